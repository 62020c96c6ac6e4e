import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from './i18n-en.js';
import { ko } from './i18n-ko.js';

/** The compiler already refuses a missing key; this also refuses an empty or untranslated one. */
function leaves(value: unknown, prefix = ''): [string, unknown][] {
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, inner]) => leaves(inner, `${prefix}${key}.`));
  }
  return [[prefix.slice(0, -1), value]];
}

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
});
