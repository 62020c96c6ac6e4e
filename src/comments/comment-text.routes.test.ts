import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestBrowser, testApp, type TestApp } from '../accounts/accounts.testing.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import type { ErrorCode } from '../http/app-error.js';
import { messages } from '../features.js';
import { publishedArticle, resetComments } from './comments.testing.js';

/**
 * The text rules of comment-text.ts as a reader meets them through the comment form: a direction
 * override, text that draws nothing and one character of thousands of parts are each refused
 * with their own code and a message in the reader's edition, the text is given back, and nothing
 * is stored.
 */

const JSON_ACCEPT = { accept: 'application/json' };

const CASES: readonly [string, string, ErrorCode][] = [
  [
    'a link reversed by an override',
    '출처 https://evil.example/\u202Emoc.elpmaxe.swen',
    'COMMENT_DIRECTION_CONTROL',
  ],
  ['only Hangul fillers', '\u3164\u3164\u3164', 'COMMENT_EMPTY'],
  ['only zero-width spaces', '\u200B\u200B', 'COMMENT_EMPTY'],
  ['a run of 5,000 jamo', `좋아요 ${'\u1100'.repeat(5_000)}`, 'COMMENT_CHARACTER_TOO_LONG'],
  ['a letter under 100 marks', `a${'\u0301'.repeat(100)}`, 'COMMENT_CHARACTER_TOO_LONG'],
];

for (const backend of testBackends().slice(0, 1)) {
  describe(`the comment form's text rules on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    let browser: TestBrowser;
    let articleId = '';

    before(async () => {
      handle = await backend.open();
      await resetComments(handle);
      t = await testApp(handle, { env: { BYLINE_COMMENT_MIN_GAP_SECONDS: '0' } });
      articleId = (await publishedArticle(t.deps)).id;
      browser = new TestBrowser(t.app);
      await browser.loginByEmail(t.mailer, 'text.rules@example.com');
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    async function stored(): Promise<number> {
      const rows = await handle.db.selectFrom('comments').select('id').execute();
      return rows.length;
    }

    for (const [what, body, code] of CASES) {
      it(`refuses ${what} as ${code}, in both editions, storing nothing`, async () => {
        for (const [prefix, language] of [
          ['', 'en'],
          ['/ko', 'ko'],
        ] as const) {
          const json = await browser.post(
            `${prefix}/articles/${articleId}/comments`,
            { body, acceptPolicy: '1' },
            JSON_ACCEPT,
          );
          assert.equal(json.statusCode, 422, json.body);
          const error = json.json<{ error: { code: string; message: string } }>().error;
          assert.equal(error.code, code);
          assert.equal(error.message, messages(language).errorMessage[code]);
          const page = await browser.post(`${prefix}/articles/${articleId}/comments`, {
            body,
            acceptPolicy: '1',
          });
          assert.equal(page.statusCode, 422);
          assert.ok(page.body.includes(body.slice(0, 40)), 'the text is kept as typed');
        }
        assert.equal(await stored(), 0);
      });
    }

    it('posts Korean with an emoji family and a zero-width space inside words', async () => {
      const posted = await browser.post(
        `/articles/${articleId}/comments`,
        {
          body: '가족 👨‍👩‍👧‍👦 사진이\u200B좋네요 \u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
          acceptPolicy: '1',
        },
        JSON_ACCEPT,
      );
      assert.equal(posted.statusCode, 201, posted.body);
    });
  });
}
