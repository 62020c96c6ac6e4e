import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { reportComment } from '../comments/comments.reports.js';
import { postComment } from '../comments/comments.service.js';
import { publishedArticle, resetComments, testReader } from '../comments/comments.testing.js';
import { voteOnComment } from '../comments/comments.voting.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import { acceptPolicy, getCurrentPolicy } from '../policy/policy.service.js';
import { TestBrowser, testApp, type TestApp } from './accounts.testing.js';

/**
 * The reader's own pages (issue 13, items 6, 7 and 12): how the account page names where they
 * are logged in, the way to their comments, and what the data download holds.
 */

const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

for (const backend of testBackends()) {
  describe(`the reader's account pages on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    let readers = 0;

    before(async () => {
      handle = await backend.open();
      await resetComments(handle);
      t = await testApp(handle);
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    /** A reader logged in from a browser that sent this User-Agent, and their account id. */
    async function loggedIn(userAgent = ANDROID_CHROME) {
      readers += 1;
      const email = `account.page.${String(readers)}@example.com`;
      const browser = new TestBrowser(t.app);
      const asked = await browser.post(
        '/login/email',
        { email, returnTo: '/' },
        { 'user-agent': userAgent },
      );
      assert.equal(asked.statusCode, 303);
      const done = await browser.post(
        '/login/email/code',
        { code: t.mailer.lastCode(email) },
        { 'user-agent': userAgent },
      );
      assert.equal(done.statusCode, 303);
      await browser.post('/account/name', { displayName: `독자 ${String(readers)}` });
      const identity = await handle.db
        .selectFrom('identities')
        .select('account_id')
        .where('subject', '=', email)
        .executeTakeFirstOrThrow();
      return { browser, id: identity.account_id };
    }

    it('names the browser of each session, not its raw User-Agent, in both editions', async () => {
      const { browser } = await loggedIn();
      const english = await browser.get('/account');
      assert.equal(english.statusCode, 200);
      assert.match(english.body, /Chrome on Android/);
      assert.doesNotMatch(english.body, /AppleWebKit|Mozilla\/5\.0/);
      const korean = await browser.get('/ko/account');
      assert.match(korean.body, /안드로이드의 크롬/);
      assert.doesNotMatch(korean.body, /AppleWebKit|Mozilla\/5\.0/);
      // Sessions are cards that wrap on a phone, not a table of four columns.
      assert.doesNotMatch(english.body, /<table/);
    });

    it('links to "My comments" from the header menu and the account page, per edition', async () => {
      const { browser } = await loggedIn();
      for (const [prefix, path] of [
        ['', '/'],
        ['', '/account'],
        ['/ko', '/ko'],
        ['/ko', '/ko/account'],
      ] as const) {
        const page = await browser.get(path);
        assert.equal(page.statusCode, 200, path);
        const header = /<header[\s\S]*?<\/header>/.exec(page.body)?.[0] ?? '';
        assert.ok(header.includes(`href="${prefix}/account/comments"`), `${path}: header menu`);
      }
      const account = await browser.get('/ko/account');
      const main = /<main[\s\S]*?<\/main>/.exec(account.body)?.[0] ?? '';
      assert.ok(main.includes('href="/ko/account/comments"'), 'the account page itself');
      // Anonymous readers have no comments of their own to list.
      const anonymous = await new TestBrowser(t.app).get('/');
      assert.ok(!anonymous.body.includes('/account/comments'));
    });

    it('puts the reader’s votes, reports and policy acceptances in the data download', async () => {
      const article = await publishedArticle(t.deps);
      const author = await testReader(t.deps, '글쓴이');
      const first = await postComment(t.deps, {
        articleId: article.id,
        authorId: author,
        body: '첫 번째 댓글',
      });
      const second = await postComment(t.deps, {
        articleId: article.id,
        authorId: await testReader(t.deps, '또 다른 글쓴이'),
        body: '두 번째 댓글',
      });
      const { browser, id } = await loggedIn();
      const policy = await getCurrentPolicy(t.deps);
      await acceptPolicy(t.deps, id, policy.version);
      await voteOnComment(t.deps, { commentId: first.id, accountId: id, vote: 'up' });
      await voteOnComment(t.deps, { commentId: second.id, accountId: id, vote: 'down' });
      const clause = policy.clauses[0]?.number ?? assert.fail('a clause');
      await reportComment(t.deps, {
        commentId: second.id,
        reporterId: id,
        clause,
        note: '욕설입니다',
      });
      // Another reader's vote is theirs alone, never in this download.
      const other = await testReader(t.deps, '다른 독자');
      await voteOnComment(t.deps, { commentId: first.id, accountId: other, vote: 'down' });

      const response = await browser.get('/account/data');
      assert.equal(response.statusCode, 200);
      const data = JSON.parse(response.body) as {
        votes: { comment: string; article: string; vote: string }[];
        reports: { comment: string; clause: number; note: string; policyVersion: number }[];
        policyAcceptances: { version: number; acceptedAt: string }[];
      };
      assert.deepEqual(
        data.votes.map((v) => [v.comment, v.article, v.vote]),
        [
          [first.id, article.path, 'up'],
          [second.id, article.path, 'down'],
        ],
      );
      assert.deepEqual(
        data.reports.map((r) => [r.comment, r.policyVersion, r.clause, r.note]),
        [[second.id, policy.version, clause, '욕설입니다']],
      );
      assert.deepEqual(
        data.policyAcceptances.map((a) => a.version),
        [policy.version],
      );
      assert.equal(data.policyAcceptances[0]?.acceptedAt, t.clock.now.toISOString());
    });
  });
}
