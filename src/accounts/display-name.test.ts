import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import { watchSegmenting } from '../lib/visible-text.testing.js';
import { displayNameProblem, type DisplayNameProblem } from './accounts.service.js';
import { TestBrowser, testApp, type TestApp } from './accounts.testing.js';
import { cleanName } from './providers/provider.js';

/**
 * Display names, typed on /account/name or taken over from a login provider: bounded before they
 * are counted (a 65,000-character name once stopped the server), and nothing hidden in them.
 */

const NAME_CASES: readonly [string, string, DisplayNameProblem | null][] = [
  ['a Korean name', '김바이라인', null],
  ['an English name', 'Sarah Kim', null],
  ['40 syllables', '가'.repeat(40), null],
  ['41 syllables', '가'.repeat(41), 'too_long'],
  ['a family emoji', '👨‍👩‍👧', null],
  ['a name with a technologist emoji', '독자 👩‍💻', null],
  ['the flag of Scotland', '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}', null],
  ['only spaces', '   ', 'empty'],
  ['only Hangul fillers', '\u3164\u3164', 'empty'],
  ['only zero-width spaces', '\u200B\u200B', 'empty'],
  ['a right-to-left override', 'abc\u202Edef', 'control'],
  ['a joiner between Latin letters', 'Ad\u200Dmin', 'control'],
  ['a zero-width space inside', '관\u200B리자', 'control'],
  ['a Hangul filler as padding', '관리자\u3164', 'control'],
  ['a NUL', '김\u0000독자', 'control'],
  ['a letter under 40 combining marks', `x${'\u0301'.repeat(40)}`, 'character_too_long'],
  ['a run of 10,000 jamo', '\u1100'.repeat(10_000), 'too_long'],
  ['65,000 letters', 'a'.repeat(65_000), 'too_long'],
];

describe('display names', () => {
  for (const [what, name, expected] of NAME_CASES) {
    it(`answers ${String(expected)} for ${what}`, () => {
      assert.equal(displayNameProblem(name), expected);
    });
  }

  it('refuses a 65,000-character name without segmenting it', async () => {
    const watched = await watchSegmenting(() => displayNameProblem('가'.repeat(65_000)));
    assert.equal(watched.result, 'too_long');
    assert.equal(watched.total, 0);
  });

  it('counts a name near the limit a window at a time, never whole', async () => {
    const watched = await watchSegmenting(() => displayNameProblem('가'.repeat(5_000)));
    assert.equal(watched.result, 'too_long');
    assert.ok(watched.longest <= 128, `segmented ${watched.longest} units at once`);
  });

  it("drops a provider's 70,000-character name without segmenting it", async () => {
    const watched = await watchSegmenting(() => cleanName('김'.repeat(70_000)));
    assert.equal(watched.result, undefined);
    assert.equal(watched.total, 0);
  });

  it("drops a provider's name with hidden characters, and keeps emoji sequences", () => {
    for (const name of [
      'Ad\u200Dmin',
      '관리자\u3164',
      '\u200B',
      'a\u2066b',
      `x${'\u0301'.repeat(40)}`,
    ])
      assert.equal(cleanName(name), undefined, JSON.stringify(name));
    assert.equal(cleanName('독자 👨‍👩‍👧'), '독자 👨‍👩‍👧');
  });
});

for (const backend of testBackends().slice(0, 1)) {
  describe(`POST /account/name on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    let browser: TestBrowser;

    before(async () => {
      handle = await backend.open();
      t = await testApp(handle);
      browser = new TestBrowser(t.app);
      await browser.loginByEmail(t.mailer, 'name.reader@example.com');
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    it('refuses a 65,000-character name with the form again, and keeps answering', async () => {
      const name = 'a'.repeat(65_000);
      const watched = await watchSegmenting(() =>
        browser.post('/account/name', { displayName: name }),
      );
      assert.equal(watched.result.statusCode, 400);
      assert.ok(watched.result.body.includes(name), 'the typed name is shown again');
      assert.ok(watched.longest <= 1_000, `segmented ${watched.longest} units at once`);
      assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200);
    });

    it('refuses a name that reverses its text, and takes one with an emoji sequence', async () => {
      const spoof = await browser.post('/account/name', { displayName: 'abc\u202Edef' });
      assert.equal(spoof.statusCode, 400);
      const fine = await browser.post('/account/name', { displayName: '김독자 👨‍👩‍👧' });
      assert.equal(fine.statusCode, 303);
      const row = await handle.db
        .selectFrom('accounts')
        .select('display_name')
        .where('display_name', 'is not', null)
        .executeTakeFirstOrThrow();
      assert.equal(row.display_name, '김독자 👨‍👩‍👧');
    });
  });
}
