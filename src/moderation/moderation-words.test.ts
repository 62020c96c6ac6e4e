import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  countLinks,
  findListedWord,
  foldForMatching,
  listedWordsIn,
  parseWordList,
  parseWordLists,
  WORD_MAX,
} from './moderation-words.js';

/** The word lists' pure rules: folding, reading an admin's list, and finding a listed word. */

describe('foldForMatching', () => {
  it('composes Hangul typed as jamo, so NFD and NFC input fold to the same word', () => {
    const nfd = '바보'.normalize('NFD');
    assert.notEqual(nfd, '바보');
    assert.equal(foldForMatching(nfd), '바보');
    assert.equal(foldForMatching('Cafe\u0301'), 'café');
  });

  it('lowercases without a locale: Turkish İ keeps its dot as U+0307 and dotless ı stays apart', () => {
    assert.equal(foldForMatching('SPAM Spam'), 'spam spam');
    assert.equal(foldForMatching('I'), 'i');
    assert.equal(foldForMatching('İstanbul'), 'i\u0307stanbul');
    assert.notEqual(foldForMatching('ılık'), foldForMatching('ILIK'));
  });

  it('lowercases German capital sharp s to ß but does not expand ß to ss', () => {
    assert.equal(foldForMatching('STRAẞE'), 'straße');
    assert.notEqual(foldForMatching('Straße'), foldForMatching('STRASSE'));
  });
});

describe('parseWordList', () => {
  it('keeps one folded entry per line, trimmed, without blanks or repeats', () => {
    const parsed = parseWordList('  바보 \n\nSpam\r\nspam\r  \n멍청이\n바보');
    assert.deepEqual(parsed, { ok: true, words: ['바보', 'spam', '멍청이'] });
  });

  it('reads an empty text as an empty list', () => {
    assert.deepEqual(parseWordList(''), { ok: true, words: [] });
    assert.deepEqual(parseWordList('\n \n'), { ok: true, words: [] });
  });

  it('stores the NFC form of an entry typed as decomposed jamo', () => {
    assert.deepEqual(parseWordList('바보'.normalize('NFD')), { ok: true, words: ['바보'] });
  });

  it('counts an entry in visible characters: 60 pass, 61 are refused with the line', () => {
    const sixty = '가'.repeat(WORD_MAX);
    assert.deepEqual(parseWordList(sixty), { ok: true, words: [sixty] });
    // Three jamo make one visible syllable: 60 of them are still 60 characters.
    assert.equal(parseWordList('한'.normalize('NFD').repeat(WORD_MAX)).ok, true);
    assert.deepEqual(parseWordList(`바보\n${'가'.repeat(WORD_MAX + 1)}`), {
      ok: false,
      problems: [{ line: 2, reason: 'too_long' }],
    });
  });

  it('refuses control characters inside an entry and reports every bad line', () => {
    assert.deepEqual(parseWordList('나쁜\t말\n좋은 말\n나쁜\u0085말\n\u0007'), {
      ok: false,
      problems: [
        { line: 1, reason: 'control' },
        { line: 3, reason: 'control' },
        { line: 4, reason: 'control' },
      ],
    });
  });
});

describe('parseWordLists', () => {
  it('refuses a word that is in both lists, whatever its case', () => {
    assert.deepEqual(parseWordLists({ banned: '바보\nSpam', suspect: '광고\nSPAM' }), {
      ok: false,
      problem: { kind: 'both_lists', word: 'spam' },
    });
  });

  it('names the list and line of the first bad entry', () => {
    assert.deepEqual(parseWordLists({ banned: '바보', suspect: `광고\n\n${'x'.repeat(61)}` }), {
      ok: false,
      problem: { kind: 'entry', list: 'suspect', line: 3, reason: 'too_long' },
    });
  });
});

describe('findListedWord', () => {
  it('finds a Hangul entry anywhere, particles and endings attached', () => {
    assert.equal(findListedWord('이 바보야, 그만해', ['바보']), '바보');
    assert.equal(findListedWord('완전바보처럼 굴지 마', ['바보']), '바보');
    assert.equal(findListedWord('바다가 보인다', ['바보']), undefined);
  });

  it('finds an entry whichever normalisation the comment was typed in', () => {
    assert.equal(findListedWord('이 바보야'.normalize('NFD'), ['바보']), '바보');
    assert.equal(findListedWord('quel cafe\u0301 !', ['café']), 'café');
  });

  it('matches other entries only as whole words, ignoring case', () => {
    assert.equal(findListedWord('What an ASS.', ['ass']), 'ass');
    assert.equal(findListedWord('a first-class seat', ['ass']), undefined);
    assert.equal(findListedWord('assume nothing', ['ass']), undefined);
    assert.equal(findListedWord('ass', ['ass']), 'ass');
    assert.equal(findListedWord('(ass)', ['ass']), 'ass');
    assert.equal(findListedWord('ass2', ['ass']), undefined);
    assert.equal(findListedWord('buy cheap pills now', ['cheap pills']), 'cheap pills');
  });

  it('treats letters of any script and combining marks as part of a word', () => {
    assert.equal(findListedWord('assé', ['ass']), undefined);
    assert.equal(findListedWord('ass\u0327', ['ass']), undefined);
    assert.equal(findListedWord('ёass', ['ass']), undefined);
    assert.equal(findListedWord('𝐀ass', ['ass']), undefined, 'a letter outside the BMP');
    assert.equal(findListedWord('😀ass😀', ['ass']), 'ass', 'an emoji is not a letter');
  });

  it('reads Hangul right after a Latin entry as a particle, but not Hangul before it', () => {
    assert.equal(findListedWord('이건 spam이다', ['spam']), 'spam');
    assert.equal(findListedWord('이건spam', ['spam']), undefined);
  });

  it('finds a later occurrence when the first is inside a word', () => {
    assert.equal(findListedWord('class, you ass', ['ass']), 'ass');
  });

  it('answers with the first listed word the text contains, in list order', () => {
    assert.equal(findListedWord('바보 멍청이', ['멍청이', '바보']), '멍청이');
    assert.equal(findListedWord('좋은 댓글입니다', ['멍청이', '바보']), undefined);
    assert.equal(findListedWord('무엇이든', []), undefined);
  });

  it('folds the listed words too, so a word given in capitals still matches', () => {
    assert.equal(findListedWord('this is spam', ['SPAM']), 'spam');
    assert.equal(findListedWord('İstanbul', ['i̇stanbul']), 'i\u0307stanbul');
    assert.equal(
      findListedWord('Istanbul', ['İstanbul']),
      undefined,
      'documented: no Turkish fold',
    );
  });
});

describe('listedWordsIn', () => {
  it('names every listed word the text contains, folded, in list order', () => {
    assert.deepEqual(listedWordsIn('도박 광고, CASINO!', ['광고', 'casino', '주식', '도박']), [
      '광고',
      'casino',
      '도박',
    ]);
    assert.deepEqual(listedWordsIn('occasional casinos', ['casino']), []);
  });
});

describe('countLinks', () => {
  it('counts the links a reader will see, Korean particles left outside them', () => {
    assert.equal(countLinks('링크 없음'), 0);
    assert.equal(countLinks('출처:https://news.example/a 와 www.example.com에서 봤어요'), 2);
    assert.equal(countLinks('ftp://x.example 와 javascript:https://evil.example'), 0);
  });
});
