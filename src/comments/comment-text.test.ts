import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  checkCommentText,
  linkSegments,
  normalizeCommentText,
  visibleLength,
  type CheckedCommentText,
  type TextSegment,
} from './comment-text.js';
import { commentTexts, linkTexts, longCommentTexts } from './comment-text.testing.js';
import { MAX_UNITS_PER_CHARACTER } from '../lib/visible-text.js';

const LIMIT = 250;
const KOREAN_250 = '가나다라마바사아자차'.repeat(25);

/** The count written out again from the definition, not through the module under test. */
function independentCount(raw: string): number {
  const normalized = raw.replace(/\r\n?/g, '\n').normalize('NFC');
  return [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(normalized)].length;
}

/** The longest grapheme cluster of a text, in UTF-16 units, counted on the whole text at once. */
function independentLongestCluster(raw: string): number {
  const normalized = raw.replace(/\r\n?/g, '\n').normalize('NFC');
  const clusters = [
    ...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(normalized),
  ];
  return Math.max(0, ...clusters.map(({ segment }) => segment.length));
}

/** Bidi_Control written out as its code points: ALM, LRM, RLM, U+202A–U+202E, U+2066–U+2069. */
function independentHasDirectionControl(raw: string): boolean {
  return Array.from(raw, (char) => char.codePointAt(0) ?? 0).some(
    (cp) =>
      cp === 0x061c ||
      cp === 0x200e ||
      cp === 0x200f ||
      (cp >= 0x202a && cp <= 0x202e) ||
      (cp >= 0x2066 && cp <= 0x2069),
  );
}

/** The refusal the rule should give, found code point by code point. */
function independentInvalidReason(raw: string): 'nul' | 'control' | 'surrogate' | undefined {
  const codePoints = Array.from(raw, (char) => char.codePointAt(0) ?? 0);
  if (codePoints.includes(0)) return 'nul';
  const allowed = new Set([0x09, 0x0a, 0x0d]);
  if (codePoints.some((cp) => (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) && !allowed.has(cp)))
    return 'control';
  // for…of yields an unpaired surrogate as a one-unit string; a pair becomes one code point.
  if (codePoints.some((cp) => cp >= 0xd800 && cp <= 0xdfff)) return 'surrogate';
  return undefined;
}

type CountCase = { name: string; raw: string; expected: CheckedCommentText };

const ok = (text: string, length: number): CheckedCommentText => ({ ok: true, text, length });
const refused = (reason: 'control' | 'nul' | 'surrogate'): CheckedCommentText => ({
  ok: false,
  problem: { code: 'COMMENT_INVALID_TEXT', reason },
});
const EMPTY: CheckedCommentText = { ok: false, problem: { code: 'COMMENT_EMPTY' } };
const DIRECTION: CheckedCommentText = {
  ok: false,
  problem: { code: 'COMMENT_DIRECTION_CONTROL' },
};
const CHARACTER_TOO_LONG: CheckedCommentText = {
  ok: false,
  problem: { code: 'COMMENT_CHARACTER_TOO_LONG', limit: MAX_UNITS_PER_CHARACTER },
};
/** Texts that draw nothing, as the rule defines it, for the property below. */
const DRAWS_NOTHING = /^[\s\p{Default_Ignorable_Code_Point}\u2800]*$/u;

const COUNT_CASES: readonly CountCase[] = [
  { name: 'an empty text', raw: '', expected: EMPTY },
  { name: 'only whitespace and a newline', raw: '   \n', expected: EMPTY },
  { name: 'only ideographic spaces', raw: '\u3000\u3000', expected: EMPTY },
  { name: 'ASCII letters', raw: 'abc', expected: ok('abc', 3) },
  { name: 'Hangul syllables', raw: '한국어', expected: ok('한국어', 3) },
  { name: 'an emoji with a skin tone', raw: '👍🏽', expected: ok('👍🏽', 1) },
  { name: 'a ZWJ family', raw: '👨‍👩‍👧', expected: ok('👨‍👩‍👧', 1) },
  { name: '한 typed as three jamo', raw: '\u1112\u1161\u11AB', expected: ok('한', 1) },
  { name: 'e and a combining acute', raw: 'e\u0301', expected: ok('\u00E9', 1) },
  { name: 'a flag', raw: '🇰🇷', expected: ok('🇰🇷', 1) },
  { name: 'CRLF between two syllables', raw: '가\r\n나', expected: ok('가\n나', 3) },
  { name: 'a lone CR between two syllables', raw: '가\r나', expected: ok('가\n나', 3) },
  { name: 'a tab and a newline among syllables', raw: '가\t나\n다', expected: ok('가\t나\n다', 5) },
  { name: 'a syllable between spaces (stored trimmed)', raw: ' 가 ', expected: ok('가', 3) },
  { name: '250 Korean syllables', raw: KOREAN_250, expected: ok(KOREAN_250, 250) },
  {
    name: '250 Korean syllables and an emoji',
    raw: `${KOREAN_250}👍`,
    expected: { ok: false, problem: { code: 'COMMENT_TOO_LONG', count: 251, limit: 250 } },
  },
  { name: 'a NUL', raw: '가\0나', expected: refused('nul') },
  { name: 'a bell', raw: '가\u0007', expected: refused('control') },
  { name: 'DEL', raw: '\u007F가', expected: refused('control') },
  { name: 'NEL (C1)', raw: '가\u0085나', expected: refused('control') },
  { name: 'a lone high surrogate', raw: '가\uD800', expected: refused('surrogate') },
  { name: 'a lone low surrogate', raw: '\uDC00가', expected: refused('surrogate') },
  { name: 'a control character in whitespace', raw: ' \u0001 ', expected: refused('control') },
  {
    name: 'a link reversed by RIGHT-TO-LEFT OVERRIDE',
    raw: 'https://evil.example/\u202Emoc.elpmaxe.swen',
    expected: DIRECTION,
  },
  { name: 'a right-to-left isolate', raw: '가\u2067나\u2069', expected: DIRECTION },
  { name: 'a right-to-left mark', raw: '가\u200F나', expected: DIRECTION },
  { name: 'only zero-width spaces', raw: '\u200B\u200B\u200B', expected: EMPTY },
  { name: 'only Hangul fillers', raw: '\u3164\u3164', expected: EMPTY },
  {
    name: 'fillers, joiners and a BOM among spaces',
    raw: ' \u3164\u200D\uFEFF\u115F ',
    expected: EMPTY,
  },
  { name: 'only blank braille patterns', raw: '\u2800\u2800', expected: EMPTY },
  { name: 'a zero-width space inside words', raw: '가\u200B나', expected: ok('가\u200B나', 3) },
  { name: 'a family of four', raw: '👨‍👩‍👧‍👦', expected: ok('👨‍👩‍👧‍👦', 1) },
  {
    name: 'a kiss with two skin tones',
    raw: '🧑🏻\u200D❤️\u200D💋\u200D🧑🏼',
    expected: ok('🧑🏻\u200D❤️\u200D💋\u200D🧑🏼', 1),
  },
  {
    name: 'the flag of Scotland',
    raw: '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
    expected: ok('\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}', 1),
  },
  {
    name: 'a letter under 40 combining marks',
    raw: `a${'\u0301'.repeat(40)}`,
    expected: CHARACTER_TOO_LONG,
  },
  {
    name: 'a run of 10,000 leading jamo',
    raw: '\u1100'.repeat(10_000),
    expected: CHARACTER_TOO_LONG,
  },
  {
    name: 'a chain of 20 joined emoji',
    raw: `👨${'\u200D👩'.repeat(19)}`,
    expected: CHARACTER_TOO_LONG,
  },
  {
    name: 'a character of exactly the most units allowed',
    raw: `가x${'\u0301'.repeat(MAX_UNITS_PER_CHARACTER - 1)}`,
    expected: ok(`가x${'\u0301'.repeat(MAX_UNITS_PER_CHARACTER - 1)}`, 2),
  },
];

/** A case's test name as a sentence: "counts a flag as 1", "refuses a NUL (nul)". */
function describeCase(name: string, expected: CheckedCommentText): string {
  if (expected.ok) return `counts ${name} as ${expected.length}`;
  const { problem } = expected;
  switch (problem.code) {
    case 'COMMENT_EMPTY':
      return `refuses ${name} as empty`;
    case 'COMMENT_TOO_LONG':
      return `refuses ${name} as too long (${problem.count}/${problem.limit})`;
    case 'COMMENT_INVALID_TEXT':
      return `refuses ${name} (${problem.reason})`;
    case 'COMMENT_DIRECTION_CONTROL':
      return `refuses ${name} for its direction control`;
    case 'COMMENT_CHARACTER_TOO_LONG':
      return `refuses ${name} for a character over ${problem.limit} code units`;
  }
}

describe('comment text', () => {
  describe('checkCommentText, case by case', () => {
    for (const { name, raw, expected } of COUNT_CASES) {
      it(describeCase(name, expected), () => {
        assert.deepEqual(checkCommentText(raw, LIMIT), expected);
      });
    }
  });

  it('counts the same characters visibleLength does, and never truncates', () => {
    const long = `${KOREAN_250}${KOREAN_250}`;
    assert.equal(visibleLength(long), 500);
    assert.deepEqual(checkCommentText(long, LIMIT), {
      ok: false,
      problem: { code: 'COMMENT_TOO_LONG', count: 500, limit: LIMIT },
    });
  });

  it('normalizes newlines before composing to NFC', () => {
    assert.equal(normalizeCommentText('a\r\n\r\nb\rc\n'), 'a\n\nb\nc\n');
    assert.equal(normalizeCommentText('\u1112\u1161\u11AB\u1100\u116E\u11A8'), '한국');
  });

  it('agrees with an independent grapheme count on any text, and never throws', () => {
    fc.assert(
      fc.property(commentTexts, fc.integer({ min: 0, max: 60 }), (raw, limit) => {
        const expectedCount = independentCount(raw);
        assert.equal(visibleLength(raw), expectedCount);
        const result = checkCommentText(raw, limit);
        const reason = independentInvalidReason(raw);
        const normalized = normalizeCommentText(raw);
        if (reason) {
          assert.deepEqual(result, refused(reason));
        } else if (independentHasDirectionControl(raw)) {
          assert.deepEqual(result, DIRECTION);
        } else if (DRAWS_NOTHING.test(normalized)) {
          assert.deepEqual(result, EMPTY);
        } else if (independentLongestCluster(raw) > MAX_UNITS_PER_CHARACTER) {
          assert.deepEqual(result, CHARACTER_TOO_LONG);
        } else if (expectedCount > limit) {
          assert.deepEqual(result, {
            ok: false,
            problem: { code: 'COMMENT_TOO_LONG', count: expectedCount, limit },
          });
        } else {
          assert.deepEqual(result, ok(normalized.trim(), expectedCount));
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('counts long texts window by window exactly as a count of the whole text', () => {
    fc.assert(
      fc.property(longCommentTexts, (raw) => {
        assert.equal(visibleLength(raw), independentCount(raw));
      }),
      { numRuns: 300 },
    );
  });

  it('counts a 64 KiB text in well under a second', () => {
    const started = performance.now();
    assert.equal(visibleLength('가'.repeat(64 * 1024)), 64 * 1024);
    assert.equal(visibleLength(`a${'\u0301'.repeat(64 * 1024)}`), 1);
    assert.ok(performance.now() - started < 1_000, 'counting is linear in the length');
  });
});

const text = (value: string): TextSegment => ({ kind: 'text', text: value });
const link = (value: string, href = value): TextSegment => ({ kind: 'link', text: value, href });

const LINK_CASES: readonly { input: string; expected: TextSegment[] }[] = [
  { input: '', expected: [] },
  { input: 'javascript:alert(1)', expected: [text('javascript:alert(1)')] },
  { input: '<a href=x>클릭</a>', expected: [text('<a href=x>클릭</a>')] },
  { input: '<script>alert(1)</script>', expected: [text('<script>alert(1)</script>')] },
  { input: '[링크](javascript:alert(1))', expected: [text('[링크](javascript:alert(1))')] },
  { input: 'javascript:https://evil.example', expected: [text('javascript:https://evil.example')] },
  { input: 'data:text/html,<b>x</b>', expected: [text('data:text/html,<b>x</b>')] },
  {
    input: 'https://example.com/a?b=1&c=2.',
    expected: [link('https://example.com/a?b=1&c=2'), text('.')],
  },
  {
    input: '(https://ko.wikipedia.org/wiki/한국)',
    expected: [text('('), link('https://ko.wikipedia.org/wiki/한국'), text(')')],
  },
  {
    input: '설명은 https://en.wikipedia.org/wiki/Seoul_(city) 참고',
    expected: [text('설명은 '), link('https://en.wikipedia.org/wiki/Seoul_(city)'), text(' 참고')],
  },
  {
    input: '기사 원문은 https://news.example.kr/2024/05/01에서 봤어요!',
    expected: [
      text('기사 원문은 '),
      link('https://news.example.kr/2024/05/01에서'),
      text(' 봤어요!'),
    ],
  },
  {
    input: '출처:www.example.co.kr。감사합니다',
    expected: [
      text('출처:'),
      link('www.example.co.kr', 'https://www.example.co.kr'),
      text('。감사합니다'),
    ],
  },
  { input: 'Source:https://example.com', expected: [text('Source:https://example.com')] },
  { input: 'a.www.example.com', expected: [text('a.www.example.com')] },
  {
    input: '출처 www.example.co.kr。감사합니다',
    expected: [
      text('출처 '),
      link('www.example.co.kr', 'https://www.example.co.kr'),
      text('。감사합니다'),
    ],
  },
  {
    input: '링크https://example.com에서 보세요',
    expected: [text('링크'), link('https://example.com'), text('에서 보세요')],
  },
  {
    input: '「https://example.com」',
    expected: [text('「'), link('https://example.com'), text('」')],
  },
  { input: '"https://example.com"', expected: [text('"'), link('https://example.com'), text('"')] },
  { input: 'https://user:pw@evil.example/', expected: [text('https://user:pw@evil.example/')] },
  {
    input: 'https://evil.example/\u202Emoc.elpmaxe.swen',
    expected: [text('https://evil.example/\u202Emoc.elpmaxe.swen')],
  },
  {
    input: '보세요 https://evil.example/\u2067x\u2069 끝',
    expected: [text('보세요 https://evil.example/\u2067x\u2069 끝')],
  },
  { input: 'https://example.com:99999/', expected: [text('https://example.com:99999/')] },
  { input: 'ftp://example.com www.', expected: [text('ftp://example.com www.')] },
  {
    input: 'http://a.example\nhttps://b.example',
    expected: [link('http://a.example'), text('\n'), link('https://b.example')],
  },
];

describe('linkSegments', () => {
  for (const { input, expected } of LINK_CASES) {
    it(`splits ${JSON.stringify(input)}`, () => {
      assert.deepEqual(linkSegments(input), expected);
    });
  }

  it('gives back the text exactly when the segments are joined, with only http(s) links', () => {
    fc.assert(
      fc.property(linkTexts, (input) => {
        const segments = linkSegments(input);
        assert.equal(segments.map((s) => s.text).join(''), input);
        segments.forEach((segment, i) => {
          assert.notEqual(segment.text, '');
          if (segment.kind === 'text') {
            assert.notEqual(segments[i + 1]?.kind, 'text', 'adjacent text segments are merged');
            return;
          }
          assert.match(new URL(segment.href).protocol, /^https?:$/);
          assert.doesNotMatch(segment.text, /[\s<>"]/);
          assert.doesNotMatch(segment.text, /\p{Bidi_Control}/u, 'a link shows where it goes');
        });
      }),
      { numRuns: 2_000 },
    );
  });
});
