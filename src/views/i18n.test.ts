import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messages } from '../features.js';

// The whole catalogue as a page sees it: the platform's strings, every feature's and every
// error's text, composed as at start-up (src/features.ts).
const en = messages('en');
const ko = messages('ko');

/** The compiler already refuses a missing key; this also refuses an empty or untranslated one. */
function leaves(value: unknown, prefix = ''): [string, unknown][] {
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, inner]) => leaves(inner, `${prefix}${key}.`));
  }
  return [[prefix.slice(0, -1), value]];
}

/**
 * English strings that must show Korean: the switch to the Korean edition, and the word-list
 * rules, which explain how an entry in Hangul matches by quoting one.
 */
const QUOTES_KOREAN = new Set(['languageSwitch', 'wordLists.ruleHangul', 'wordLists.ruleWhole']);

describe('interface strings', () => {
  it('exist in English and Korean, key for key', () => {
    assert.deepEqual(
      leaves(ko)
        .map(([key]) => key)
        .sort(),
      leaves(en)
        .map(([key]) => key)
        .sort(),
    );
  });

  it('are never empty, except a byline part a language does without', () => {
    for (const [key, value] of [...leaves(en), ...leaves(ko)]) {
      if (key === 'bylinePrefix' || key === 'bylineSuffix') continue;
      const text =
        typeof value === 'function' ? (value as (s: string) => string)('x') : String(value);
      assert.ok(text.trim().length > 0, key);
    }
  });

  it('are written in Korean in the Korean catalogue', () => {
    const hangul = /[\uac00-\ud7a3]/;
    const untranslated = leaves(ko).filter(
      ([key, value]) =>
        typeof value === 'string' &&
        value.length > 0 &&
        !hangul.test(value) &&
        key !== 'languageSwitch',
    );
    assert.deepEqual(untranslated, []);
  });

  it('are written in English in the English catalogue (no Korean but the switch to it)', () => {
    const hangul = /[\uac00-\ud7a3\u3131-\u318e]/;
    const korean = leaves(en).filter(([key, value]) => {
      const text =
        typeof value === 'function' ? (value as (s: string) => string)('x') : String(value);
      return hangul.test(text) && !QUOTES_KOREAN.has(key);
    });
    assert.deepEqual(korean, []);
  });

  it('give the standards board one Korean name, 심의위원회, and its members 심의위원', () => {
    const strings = leaves(ko).map(([key, value]) => [
      key,
      typeof value === 'function' ? (value as (s: string) => string)('x') : String(value),
    ]);
    const others = strings.filter(([, text]) => /독자위원|(?<!심의)위원회/.test(text ?? ''));
    assert.deepEqual(others, []);
    const board = strings.filter(([, text]) => /심의위원/.test(text ?? ''));
    assert.ok(board.length > 20, 'the board is named throughout the Korean interface');
  });
});
