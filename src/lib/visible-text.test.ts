import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  MAX_UNITS_PER_CHARACTER,
  countVisible,
  drawsNothing,
  hasDirectionControl,
  hasHiddenFormat,
  visibleLengthProblem,
} from './visible-text.js';
import { watchSegmenting } from './visible-text.testing.js';

/** The clusters of a text, segmented whole: the definition the windowed count must match. */
function clustersOf(text: string): string[] {
  return [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map(
    ({ segment }) => segment,
  );
}

const PIECES = [
  '가',
  '\u1100', // choseong: runs of it are one cluster
  '\u1161',
  '\u11A8',
  'a',
  '\u0301',
  '\u200D',
  '👩',
  '🏽',
  '🇰',
  ' ',
  '\n',
  'क',
  '\u094D',
];
/** Texts with runs long enough to cross windows and to pass the per-character cap. */
const texts = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...PIECES),
    fc
      .tuple(fc.constantFrom(...PIECES), fc.integer({ min: 1, max: 200 }))
      .map(([p, n]) => p.repeat(n)),
  ),
  maxLength: 30,
});

describe('visible text', () => {
  it('counts window by window exactly as a count of the whole text', () => {
    fc.assert(
      fc.property(texts, (text) => {
        assert.deepEqual(countVisible(text), {
          count: clustersOf(text).length,
          characterTooLong: false,
        });
      }),
      { numRuns: 500 },
    );
  });

  it('finds a character over the cap wherever it falls, windows or not', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const longest = Math.max(0, ...clustersOf(text).map((c) => c.length));
        const { characterTooLong } = countVisible(text, MAX_UNITS_PER_CHARACTER);
        assert.equal(characterTooLong, longest > MAX_UNITS_PER_CHARACTER);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses input too long to pass before segmenting any of it', async () => {
    const megabyte = '가'.repeat(1024 * 1024);
    const watched = await watchSegmenting(() => visibleLengthProblem(megabyte, 40));
    assert.equal(watched.result, 'too_long');
    assert.equal(watched.total, 0);
  });

  it('segments a text under the bound a window at a time, never whole', async () => {
    const text = '가'.repeat(40 * MAX_UNITS_PER_CHARACTER - 1);
    const watched = await watchSegmenting(() => visibleLengthProblem(text, 40));
    assert.equal(watched.result, 'too_long');
    assert.ok(watched.longest <= 128, `segmented ${watched.longest} units at once`);
  });

  it('stops at a character of 10,000 jamo without growing its window over it', async () => {
    const watched = await watchSegmenting(() =>
      countVisible(`가${'\u1100'.repeat(10_000)}`, MAX_UNITS_PER_CHARACTER),
    );
    assert.deepEqual(watched.result, { count: 1, characterTooLong: true });
    assert.ok(watched.longest <= 128, `segmented ${watched.longest} units at once`);
  });

  it('takes a character of exactly the cap and refuses one unit more', () => {
    const atCap = `x${'\u0301'.repeat(MAX_UNITS_PER_CHARACTER - 1)}`;
    assert.equal(visibleLengthProblem(`${atCap}${atCap}`, 2), null);
    assert.equal(visibleLengthProblem(`${atCap}\u0301`, 2), 'character_too_long');
  });

  it('names the direction controls, and nothing Korean or English', () => {
    for (const control of ['\u202E', '\u202A', '\u2066', '\u2067', '\u2069', '\u200E', '\u200F'])
      assert.equal(hasDirectionControl(`가${control}나`), true, JSON.stringify(control));
    for (const text of ['한국어 댓글', 'English, with "quotes" (and brackets)', '👨‍👩‍👧 🇰🇷'])
      assert.equal(hasDirectionControl(text), false, text);
  });

  it('calls text of fillers, zero-width characters and spaces empty, and nothing else', () => {
    for (const text of ['', ' \n\t', '\u200B', '\u3164\u3164', '\uFFA0', '\u115F\u1160', '\u2800'])
      assert.equal(drawsNothing(text), true, JSON.stringify(text));
    for (const text of ['가', '.', '\u200B가', '\u3164a', '👍', 'ㄱ'])
      assert.equal(drawsNothing(text), false, JSON.stringify(text));
  });

  it('lets emoji sequences and subdivision flags through a name, and no hidden character', () => {
    const shown = [
      '김바이라인',
      'Sarah Kim',
      '👨‍👩‍👧',
      '🧑🏻‍❤️‍💋‍🧑🏼',
      '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
      '독자 👩‍💻',
      'क्ष',
    ];
    for (const name of shown) assert.equal(hasHiddenFormat(name), false, name);
    const hidden = [
      'Ad\u200Dmin', // a joiner between Latin letters
      '관리자\u200D', // a joiner at the end
      '\u200D👩',
      '관\u200B리자', // zero-width space
      '관리자\u3164', // Hangul filler as padding
      'abc\u202Edef',
      '김\u2066독자\u2069',
      'a\u{E0067}b', // a tag character outside a flag
      '\uFEFF김',
      '김\u2028독자',
      '\uE000',
    ];
    for (const name of hidden) assert.equal(hasHiddenFormat(name), true, JSON.stringify(name));
  });
});
