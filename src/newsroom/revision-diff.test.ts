import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffBody, diffStory, diffWords } from './revision-diff.js';
import { storyContent } from './newsroom.testing.js';
import type { EditorDocument, StoryContent } from './story.js';

/** The readable diff between two revisions: field by field, bylines, tags, the body word by word. */

function doc(...paragraphs: string[]): EditorDocument {
  return {
    type: 'doc',
    content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
  };
}

const base = storyContent({ slug: 'subway-fares' });
const changed = (overrides: Partial<StoryContent>) => ({ ...base, ...overrides });

describe('diffStory', () => {
  it('finds no changes between a revision and its copy', () => {
    const diff = diffStory(base, structuredClone(base));
    assert.equal(diff.same, true);
    assert.deepEqual(diff.fields, []);
    assert.deepEqual(diff.bylines, []);
    assert.deepEqual(diff.tags, []);
    assert.equal(diff.body, null);
  });

  it('shows a changed English headline word by word', () => {
    const diff = diffStory(base, changed({ headline: 'Bus fares rise in March' }));
    assert.equal(diff.same, false);
    assert.deepEqual(diff.fields, [
      {
        field: 'headline',
        from: 'Subway fares rise in March',
        to: 'Bus fares rise in March',
        words: [
          { change: 'removed', text: 'Subway' },
          { change: 'added', text: 'Bus' },
          { change: 'same', text: ' fares rise in March' },
        ],
      },
    ]);
  });

  it('changes a Korean summary a whole eojeol at a time', () => {
    const from = changed({ summary: '서울시가 지하철 요금을 올린다.' });
    const to = changed({ summary: '서울시는 지하철 요금을 150원 올린다.' });
    const [summary] = diffStory(from, to).fields;
    assert.equal(summary?.field, 'summary');
    assert.deepEqual(summary.words, [
      { change: 'removed', text: '서울시가' },
      { change: 'added', text: '서울시는' },
      { change: 'same', text: ' 지하철 요금을 ' },
      { change: 'added', text: '150원 ' },
      { change: 'same', text: '올린다.' },
    ]);
  });

  it('compares slug, language, section, credit and translation as whole values', () => {
    const diff = diffStory(
      base,
      changed({
        slug: 'fares-up',
        language: 'ko',
        section: 'business',
        credit: '',
        translationId: '42',
      }),
    );
    assert.deepEqual(
      diff.fields.map((f) => [f.field, f.from, f.to, f.words]),
      [
        ['slug', 'subway-fares', 'fares-up', undefined],
        ['language', 'en', 'ko', undefined],
        ['section', 'national', 'business', undefined],
        ['credit', 'with the Korea JoongAng Daily', '', undefined],
        ['translation', '', '42', undefined],
      ],
    );
  });

  it('compares each part of the feature image', () => {
    const withImage = changed({
      image: { src: '/media/a.jpg', alt: 'A platform', caption: 'Seoul Station', credit: 'Yonhap' },
    });
    const diff = diffStory(
      withImage,
      changed({ image: { src: '/media/a.jpg', alt: '승강장', credit: 'Yonhap' } }),
    );
    assert.deepEqual(
      diff.fields.map((f) => [f.field, f.from, f.to]),
      [
        ['imageAlt', 'A platform', '승강장'],
        ['imageCaption', 'Seoul Station', ''],
      ],
    );
    assert.deepEqual(
      diffStory(withImage, base).fields.map((f) => f.field),
      ['imageSrc', 'imageAlt', 'imageCaption', 'imageCredit'],
    );
  });

  it('names bylines added, removed and moved by name and e-mail', () => {
    const kim = { name: '김민지', email: 'minji@example.com' };
    const park = { name: 'Park Ji-ho', email: null };
    const lee = { name: 'Lee Su-jin', email: 'sujin@example.com' };
    const diff = diffStory(
      changed({ bylines: [kim, park, lee] }),
      changed({ bylines: [park, kim, { name: 'Choi Yu-na', email: null }] }),
    );
    assert.deepEqual(diff.bylines, [
      { change: 'removed', byline: lee, from: 3 },
      { change: 'moved', byline: park, from: 2, to: 1 },
      { change: 'moved', byline: kim, from: 1, to: 2 },
      { change: 'added', byline: { name: 'Choi Yu-na', email: null }, to: 3 },
    ]);
  });

  it('does not call a byline moved when one is only added in front of it', () => {
    const kim = { name: '김민지', email: 'minji@example.com' };
    const park = { name: 'Park Ji-ho', email: null };
    const diff = diffStory(changed({ bylines: [kim] }), changed({ bylines: [park, kim] }));
    assert.deepEqual(diff.bylines, [{ change: 'added', byline: park, to: 1 }]);
  });

  it('treats the same name with another e-mail as another byline', () => {
    const diff = diffStory(
      changed({ bylines: [{ name: 'Sarah Kim', email: 'a@example.com' }] }),
      changed({ bylines: [{ name: 'Sarah Kim', email: 'b@example.com' }] }),
    );
    assert.deepEqual(
      diff.bylines.map((b) => b.change),
      ['removed', 'added'],
    );
  });

  it('lists tags removed and added', () => {
    const diff = diffStory(
      changed({ tags: ['Transport', '서울'] }),
      changed({ tags: ['서울', 'Fares'] }),
    );
    assert.deepEqual(diff.tags, [
      { change: 'removed', tag: 'Transport' },
      { change: 'added', tag: 'Fares' },
    ]);
  });

  it('shows the body’s changed words in their paragraph', () => {
    const diff = diffStory(
      changed({ body: doc('Seoul will raise subway fares.') }),
      changed({ body: doc('Seoul will raise bus fares.') }),
    );
    assert.deepEqual(diff.body, [
      {
        kind: 'line',
        changed: true,
        parts: [
          { change: 'same', text: 'Seoul will raise ' },
          { change: 'removed', text: 'subway' },
          { change: 'added', text: 'bus' },
          { change: 'same', text: ' fares.' },
        ],
      },
    ]);
  });

  it('shows a Korean paragraph added after another', () => {
    const diff = diffStory(
      changed({ body: doc('지하철 요금이 오른다.') }),
      changed({ body: doc('지하철 요금이 오른다.', '버스 요금은 그대로다.') }),
    );
    assert.deepEqual(diff.body, [
      {
        kind: 'line',
        changed: false,
        parts: [{ change: 'same', text: '지하철 요금이 오른다.' }],
      },
      {
        kind: 'line',
        changed: true,
        parts: [{ change: 'added', text: '버스 요금은 그대로다.' }],
      },
    ]);
  });
});

describe('diffBody', () => {
  it('folds a long unchanged run into a count and keeps one block of context', () => {
    const from = ['one', 'two', 'three', 'four', 'five', 'six'].join('\n');
    const to = ['one', 'two', 'three', 'four', 'five', 'SIX'].join('\n');
    assert.deepEqual(diffBody(from, to), [
      { kind: 'folded', count: 4 },
      { kind: 'line', changed: false, parts: [{ change: 'same', text: 'five' }] },
      {
        kind: 'line',
        changed: true,
        parts: [
          { change: 'removed', text: 'six' },
          { change: 'added', text: 'SIX' },
        ],
      },
    ]);
  });

  it('shows a single far block rather than folding it', () => {
    const lines = diffBody('a\nb\nc', 'a\nb\nC');
    assert.deepEqual(lines[0], {
      kind: 'line',
      changed: false,
      parts: [{ change: 'same', text: 'a' }],
    });
    assert.equal(lines.length, 3);
  });

  it('compares the words of a changed paragraph with those of its replacement only', () => {
    const from = ['같은 문단.', '서울시가 요금을 올린다.', '끝 문단.'].join('\n');
    const to = ['같은 문단.', '서울시는 요금을 150원 올린다.', '새 문단.', '끝 문단.'].join('\n');
    assert.deepEqual(diffBody(from, to), [
      { kind: 'line', changed: false, parts: [{ change: 'same', text: '같은 문단.' }] },
      {
        kind: 'line',
        changed: true,
        parts: [
          { change: 'removed', text: '서울시가' },
          { change: 'added', text: '서울시는' },
          { change: 'same', text: ' 요금을 ' },
          { change: 'added', text: '150원 ' },
          { change: 'same', text: '올린다.' },
        ],
      },
      { kind: 'line', changed: true, parts: [{ change: 'added', text: '새 문단.' }] },
      { kind: 'line', changed: false, parts: [{ change: 'same', text: '끝 문단.' }] },
    ]);
  });

  it('marks a removed paragraph without marking the one after it', () => {
    assert.deepEqual(diffBody('a\nb\nc', 'a\nc'), [
      { kind: 'line', changed: false, parts: [{ change: 'same', text: 'a' }] },
      { kind: 'line', changed: true, parts: [{ change: 'removed', text: 'b' }] },
      { kind: 'line', changed: false, parts: [{ change: 'same', text: 'c' }] },
    ]);
  });
});

describe('diffWords', () => {
  it('shows texts with nothing in common as one replaced by the other', () => {
    const from = Array.from({ length: 1_500 }, (_, i) => `old${i}`).join(' ');
    const to = Array.from({ length: 1_500 }, (_, i) => `새${i}`).join(' ');
    assert.deepEqual(diffWords(from, to), [
      { change: 'removed', text: from },
      { change: 'added', text: to },
    ]);
  });

  it('reads two neighbouring changed words as one change', () => {
    assert.deepEqual(diffWords('the red car', 'a blue car'), [
      { change: 'removed', text: 'the red' },
      { change: 'added', text: 'a blue' },
      { change: 'same', text: ' car' },
    ]);
  });
});
