import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { safeReturnTo } from './return-to.js';

const SITE = 'https://news.example';

/** Where a browser on this site goes when told `Location: <path>`. */
function destination(path: string): URL {
  return new URL(path, `${SITE}/login`);
}

const HOSTILE = [
  '//evil.example/phish',
  '/\\evil.example/phish',
  '/.//evil.example/phish',
  '/./\\evil.example',
  '/%2e//evil.example/phish',
  '/%2E//evil.example/phish',
  '/.%2e//evil.example',
  '/%2e%2e//evil.example',
  '/x/..//evil.example/phish',
  '/x/%2e%2e//evil.example',
  '/ko/../..//evil.example',
  '/././/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  'https://evil.example/',
  'http:/evil.example',
  'javascript:alert(1)',
  'evil.example',
  '',
];

const LEGITIMATE: readonly [string, string][] = [
  ['/', '/'],
  ['/ko', '/ko'],
  ['/policy', '/policy'],
  ['/ko/account/name?welcome=1', '/ko/account/name?welcome=1'],
  ['/2026/11/30/some-article#comment-12', '/2026/11/30/some-article#comment-12'],
  ['/search?q=%ED%95%9C%EA%B5%AD', '/search?q=%ED%95%9C%EA%B5%AD'],
  ['/ko/기사', '/ko/%EA%B8%B0%EC%82%AC'],
  ['/a/./b/../c', '/a/c'],
  ['/%2F/evil.example', '/%2F/evil.example'],
];

describe('safeReturnTo', () => {
  for (const value of HOSTILE) {
    it(`sends ${JSON.stringify(value)} to the fallback`, () => {
      assert.equal(safeReturnTo(value, '/fallback'), '/fallback');
    });
  }

  for (const [value, expected] of LEGITIMATE) {
    it(`keeps ${JSON.stringify(value)} as ${expected}`, () => {
      assert.equal(safeReturnTo(value, '/fallback'), expected);
      assert.equal(destination(expected).origin, SITE);
    });
  }

  it('never answers a path that a browser resolves off the site', () => {
    const piece = fc.constantFrom(
      '/',
      '\\',
      '.',
      '..',
      '%2e',
      '%2E',
      '%2f',
      '%5c',
      'evil.example',
      '@',
      ':',
      '?',
      '#',
      'x',
      '기사',
      '\t',
    );
    fc.assert(
      fc.property(fc.string({ unit: piece, maxLength: 12 }), (tail) => {
        const answer = safeReturnTo(`/${tail}`, '/fallback');
        assert.equal(destination(answer).origin, SITE, `${JSON.stringify(tail)} → ${answer}`);
        assert.ok(!answer.startsWith('//') && !answer.startsWith('/\\'), answer);
      }),
      { numRuns: 5_000 },
    );
  });
});
