import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { TestBrowser, testApp, type TestApp } from '../accounts/accounts.testing.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import { textOf } from '../http/routes.testing.js';
import { sanctionReader } from '../moderation/moderation.service.js';
import { publishedArticle, resetComments } from './comments.testing.js';

/**
 * Comments through HTTP, as browsers use them: with and without JavaScript, the refusals a
 * reader sees (status, message, their text kept), the XSS corpus over every page that shows a
 * comment, and live delivery over server-sent events.
 */

const PERMISSIVE = {
  BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
  BYLINE_COMMENT_DUPLICATE_HOURS: '0',
  BYLINE_COMMENTS_PER_ARTICLE_PER_DAY: '1000',
};
const JSON_ACCEPT = { accept: 'application/json' };
const KOREAN_250 = '가나다라마바사아자차'.repeat(25);

/** Every tag a comment's text reached must be one of our own links, and nothing else. */
function assertInert(html: string, marker: RegExp): void {
  const tag = new RegExp(`<([a-zA-Z][\\w:-]*)\\b([^>]*(?:${marker.source})[^>]*)>`, 'g');
  for (const match of html.matchAll(tag)) {
    assert.equal(match[1], 'a', `comment text reached a <${match[1]}> tag: ${match[0]}`);
    assert.match(
      match[2] ?? '',
      /^ href="https?:\/\/[^"\s<>]*" rel="nofollow ugc noopener noreferrer"$/,
      `comment text reached an attribute: ${match[0]}`,
    );
  }
  assert.doesNotMatch(html, /<a [^>]*href="(?:javascript|data|vbscript):/i);
}

const XSS_CORPUS = [
  `<script>alert('XSS1')</script>`,
  `<img src=x onerror=alert('XSS2')>`,
  `"><svg onload=alert('XSS3')>`,
  `javascript:alert('XSS4')`,
  `<a href="javascript:alert('XSS5')">링크</a>`,
  `https://example.com/"onmouseover="alert('XSS6')`,
  `https://example.com/<script>XSS7</script>`,
  `</textarea><script>XSS8</script>`,
  `<!--XSS9-->`,
  `<iframe srcdoc="<script>XSS10</script>">`,
  `{{constructor.constructor('XSS11')()}}`,
  '${alert("XSS12")}',
  `<style>@import 'XSS13'</style>`,
  `data:text/html,<script>XSS14</script>`,
  `&lt;script&gt;XSS15&lt;/script&gt;`,
  `\u200Bevil XSS16 <b>굵게</b>`,
  `<math><mi xlink:href="javascript:XSS17">x</mi></math>`,
  `www.example.com/?q=<b>XSS18</b>`,
  `]]><![CDATA[XSS19]]>`,
  `'';!--"<XSS20>=&{()}`,
  `https://example.com/#'><img src=x onerror=XSS21>`,
  `<div style="background:url(javascript:XSS22)">`,
];

/** Opens a live stream as a reconnecting browser; retries while the old one is still counted. */
async function waitForStream(
  address: string,
  path: string,
  lastEventId: string,
): Promise<{ body: ReadableStreamDefaultReader<Uint8Array>; abort(): void }> {
  for (let tries = 0; tries < 50; tries += 1) {
    const controller = new AbortController();
    const response = await fetch(`${address}${path}`, {
      signal: controller.signal,
      headers: { 'last-event-id': lastEventId },
    });
    if (response.status === 200 && response.body)
      return { body: response.body.getReader(), abort: () => controller.abort() };
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the live stream did not open');
}

/** The data of the next `comment` event on a stream. */
async function readEvent(
  body: ReadableStreamDefaultReader<Uint8Array>,
): Promise<{ id: string; parentId: string | null; count: number; html: string }> {
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const match = /event: comment\ndata: (.*)\n\n/.exec(text);
    if (match?.[1])
      return JSON.parse(match[1]) as {
        id: string;
        parentId: string | null;
        count: number;
        html: string;
      };
    const chunk = await body.read();
    assert.equal(chunk.done, false, 'the stream stayed open');
    text += decoder.decode(chunk.value, { stream: true });
  }
}

for (const backend of testBackends()) {
  describe(`comment routes on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;

    before(async () => {
      handle = await backend.open();
    });
    after(async () => {
      await handle.close();
    });
    beforeEach(async () => {
      await resetComments(handle);
    });

    const start = async (env: Record<string, string> = {}) => {
      t = await testApp(handle, { env, app: { listen: (...args) => handle.listen(...args) } });
      return t;
    };
    const reader = async (email: string) => {
      const browser = new TestBrowser(t.app);
      const login = await browser.loginByEmail(t.mailer, email);
      assert.equal(login.statusCode, 303);
      return browser;
    };

    it('answers 404, not 500, for an id past bigint in any comment address', async () => {
      await start();
      for (const url of [
        '/comments/9999999999999999999',
        '/comments/9223372036854775808/report',
        '/articles/9999999999999999999/comments',
        '/moderation/comments/9999999999999999999',
      ])
        assert.ok([404, 303].includes((await t.app.inject({ url })).statusCode), url);
    });

    it('invites an anonymous reader to log in, with the policy link and no orphan counter', async () => {
      await start();
      const article = await publishedArticle(t.deps);
      const page = await t.app.inject({ url: article.path });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /To write comments, please log in to one of the accounts\./);
      assert.match(page.body, /<a href="\/policy">Standards Board Policy<\/a>/);
      assert.match(page.body, /"commentCount":0/);
      // No text box, so no counter; no comments, so nothing to sort.
      assert.doesNotMatch(page.body, /data-comment-counter/);
      assert.doesNotMatch(page.body, /class="comment-sort"/);
      const ko = await t.app.inject({ url: `/ko/articles/${article.id}/comments` });
      assert.match(ko.body, /댓글을 작성하려면/);
      assert.doesNotMatch(ko.body, /data-comment-counter|class="comment-sort"/);
      await t.app.close();
    });

    it('offers the sort links once a thread has a comment, logged in or not', async () => {
      await start();
      const article = await publishedArticle(t.deps);
      const author = await reader('sorted@example.com');
      assert.doesNotMatch((await author.get(article.path)).body, /class="comment-sort"/);
      await author.post(`/articles/${article.id}/comments`, { body: '정렬', acceptPolicy: '1' });
      for (const page of [
        await author.get(article.path),
        await t.app.inject({ url: article.path }),
      ])
        assert.match(page.body, /class="comment-sort"/);
      await t.app.close();
    });

    it('speaks English in the English comment area and Korean in the Korean one', async () => {
      await start(PERMISSIVE);
      const article = await publishedArticle(t.deps);
      const author = await reader('words.author@example.com');
      const other = await reader('words.reader@example.com');
      await author.post(`/articles/${article.id}/comments`, {
        body: 'Good point',
        acceptPolicy: '1',
      });
      const section = (html: string) =>
        /<section class="comments"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
      const en = section((await other.get(`/articles/${article.id}/comments`)).body);
      assert.match(en, /\(<span data-count="true">0<\/span>\/250 characters\)/);
      assert.match(en, /Agree <span data-up-count="true">0<\/span>/);
      assert.match(en, /Disagree <span data-down-count="true">0<\/span>/);
      assert.match(en, />Most agreed</);
      assert.doesNotMatch(en, /[\u3131-\u318e\uac00-\ud7a3]/, 'no Hangul in the English area');
      const ko = section((await other.get(`/ko/articles/${article.id}/comments`)).body);
      assert.match(ko, /\(<span data-count="true">0<\/span>\/250자\)/);
      assert.match(ko, /공감 <span data-up-count="true">0<\/span>/);
      assert.match(ko, /비공감 <span data-down-count="true">0<\/span>/);
      assert.match(ko, />공감순</);
      // The Korean area's visible text: the reader's English comment is the only English in it.
      const koText = textOf(ko).replace('Good point', '');
      assert.doesNotMatch(koText, /[A-Za-z]{2,}/, 'no English words in the Korean area');
      await t.app.close();
    });

    it('posts without JavaScript: policy accepted with the comment, then 303 to #comment-<id>', async () => {
      await start();
      const article = await publishedArticle(t.deps);
      const browser = await reader('first.reader@example.com');
      const form = await browser.get(article.path);
      assert.match(form.body, /name="acceptPolicy" value="1"/);
      const posted = await browser.post(`/articles/${article.id}/comments`, {
        body: '첫 댓글입니다 👍🏽',
        acceptPolicy: '1',
      });
      assert.equal(posted.statusCode, 303);
      const location = posted.headers.location ?? '';
      assert.match(location, /#comment-\d+$/);
      const after = await browser.get(article.path);
      assert.match(after.body, /첫 댓글입니다 👍🏽/);
      assert.doesNotMatch(after.body, /name="acceptPolicy"/);
      const anonymous = await t.app.inject({ url: article.path });
      assert.match(anonymous.body, /"commentCount":1/);
      assert.match(anonymous.body, /첫 댓글입니다/);
      await t.app.close();
    });

    it('refuses 251 visible characters with 422 naming the count, keeps the text, stores nothing', async () => {
      await start();
      const article = await publishedArticle(t.deps);
      const browser = await reader('long@example.com');
      const text = `${KOREAN_250}👍`;
      const html = await browser.post(`/articles/${article.id}/comments`, {
        body: text,
        acceptPolicy: '1',
      });
      assert.equal(html.statusCode, 422);
      assert.match(html.body, /251 characters; the limit is 250/);
      assert.ok(html.body.includes(`>${text}</textarea>`), 'the text is in the form again');
      const json = await browser.post(
        `/ko/articles/${article.id}/comments`,
        { body: text, acceptPolicy: '1' },
        JSON_ACCEPT,
      );
      assert.equal(json.statusCode, 422);
      const error = json.json<{
        error: { code: string; count: number; limit: number; message: string };
      }>().error;
      assert.deepEqual([error.code, error.count, error.limit], ['COMMENT_TOO_LONG', 251, 250]);
      assert.match(error.message, /251자/);
      const rows = await handle.db.selectFrom('comments').select('id').execute();
      assert.equal(rows.length, 0);
      await t.app.close();
    });

    it('shows a suspended reader, without JavaScript, why (403) and their text in the form again', async () => {
      await start(PERMISSIVE);
      const article = await publishedArticle(t.deps);
      const author = await reader('suspended.author@example.com');
      const posted = await author.post(
        `/articles/${article.id}/comments`,
        { body: '정지 전에 쓴 댓글', acceptPolicy: '1' },
        JSON_ACCEPT,
      );
      const id = posted.json<{ comment: { id: string } }>().comment.id;
      const { author_id: authorId } = await handle.db
        .selectFrom('comments')
        .select('author_id')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const moderator = await handle.db
        .insertInto('accounts')
        .values({ display_name: '정지한 위원', role: 'moderator', staff_email: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await sanctionReader(t.deps, {
        moderatorId: moderator.id,
        accountId: authorId,
        rev: 0,
        sanction: 'suspend',
        days: 3,
        clauses: [1],
      });
      const text = '정지 중에 쓴 댓글';
      const page = await author.post(`/articles/${article.id}/comments`, {
        body: text,
        acceptPolicy: '1',
      });
      assert.equal(page.statusCode, 403);
      assert.ok(page.body.includes(`>${text}</textarea>`), 'the text is in the form again');
      assert.match(textOf(page.body), /suspended you from commenting until/);
      await t.app.close();
    });

    it('answers the enhanced form with JSON and the rendered comment; 429 says when to retry', async () => {
      await start();
      const article = await publishedArticle(t.deps);
      const browser = await reader('fast@example.com');
      const first = await browser.post(
        `/articles/${article.id}/comments`,
        { body: '빠른 댓글', acceptPolicy: '1' },
        JSON_ACCEPT,
      );
      assert.equal(first.statusCode, 201);
      const body = first.json<{
        comment: { id: string; status: string };
        count: number;
        html: string;
      }>();
      assert.equal(body.comment.status, 'published');
      assert.equal(body.count, 1);
      assert.match(
        body.html,
        new RegExp(`<li class="comment[^"]*" id="comment-${body.comment.id}"`),
      );
      const second = await browser.post(
        `/articles/${article.id}/comments`,
        { body: '또 댓글' },
        JSON_ACCEPT,
      );
      assert.equal(second.statusCode, 429);
      assert.equal(second.headers['retry-after'], '15');
      assert.match(
        second.json<{ error: { message: string } }>().error.message,
        /Try again in 15 seconds/,
      );
      await t.app.close();
    });

    it('votes, replies and reports through forms; the reader sees their comments on "My comments"', async () => {
      await start(PERMISSIVE);
      const article = await publishedArticle(t.deps);
      const author = await reader('author@example.com');
      const other = await reader('other@example.com');
      const posted = await author.post(
        `/articles/${article.id}/comments`,
        { body: '원 댓글', acceptPolicy: '1' },
        JSON_ACCEPT,
      );
      const id = posted.json<{ comment: { id: string } }>().comment.id;
      const vote = await other.post(`/comments/${id}/vote`, { value: 'up' }, JSON_ACCEPT);
      assert.deepEqual(vote.json(), { up: 1, down: 0, mine: 'up' });
      const own = await author.post(`/comments/${id}/vote`, { value: 'up' }, JSON_ACCEPT);
      assert.equal(own.statusCode, 422);
      const reply = await other.post(`/articles/${article.id}/comments`, {
        body: '답글',
        parentId: id,
        acceptPolicy: '1',
      });
      assert.equal(reply.statusCode, 303);
      const reportForm = await other.get(`/comments/${id}/report`);
      assert.match(reportForm.body, /name="clause" id="clause-2" value="2"/);
      const report = await other.post(`/comments/${id}/report`, { clause: '2', note: '모욕' });
      assert.equal(report.statusCode, 200);
      assert.match(report.body, /Thank you/);
      const mine = await author.get('/ko/account/comments');
      assert.equal(mine.statusCode, 200);
      assert.match(mine.body, /원 댓글/);
      assert.match(mine.body, /답글 1개/);
      const data = await author.get('/account/data');
      assert.match(data.body, /"text": "원 댓글"/);
      const anonymousMine = await t.app.inject({ url: '/account/comments' });
      assert.equal(anonymousMine.statusCode, 303);
      await t.app.close();
    });

    it("edits within the window and deletes with a confirmation, never someone else's", async () => {
      await start(PERMISSIVE);
      const article = await publishedArticle(t.deps);
      const author = await reader('editor.of.own@example.com');
      const other = await reader('stranger@example.com');
      const posted = await author.post(
        `/articles/${article.id}/comments`,
        { body: '고칠 댓글', acceptPolicy: '1' },
        JSON_ACCEPT,
      );
      const id = posted.json<{ comment: { id: string } }>().comment.id;
      assert.equal((await other.get(`/comments/${id}/edit`)).statusCode, 404);
      assert.equal((await other.post(`/comments/${id}/delete`)).statusCode, 403);
      const tooLong = await author.post(`/comments/${id}/edit`, { body: 'x'.repeat(300) });
      assert.equal(tooLong.statusCode, 422);
      assert.ok(tooLong.body.includes(`>${'x'.repeat(300)}</textarea>`));
      const edited = await author.post(`/comments/${id}/edit`, { body: '고친 댓글' });
      assert.equal(edited.statusCode, 303);
      const page = await t.app.inject({ url: `/comments/${id}` });
      assert.match(page.body, /고친 댓글/);
      assert.match(page.body, /\(edited\)/);
      const deleted = await author.post(`/comments/${id}/delete`);
      assert.equal(deleted.statusCode, 303);
      assert.equal((await t.app.inject({ url: `/comments/${id}` })).statusCode, 404);
      await t.app.close();
    });

    it('offers only clauses a comment can break, refuses the others, and shows "Reported" after', async () => {
      await start(PERMISSIVE);
      const article = await publishedArticle(t.deps);
      const author = await reader('reported.author@example.com');
      const other = await reader('reporter@example.com');
      const posted = await author.post(
        `/articles/${article.id}/comments`,
        { body: '신고될 댓글', acceptPolicy: '1' },
        JSON_ACCEPT,
      );
      const id = posted.json<{ comment: { id: string } }>().comment.id;
      const form = await other.get(`/comments/${id}/report`);
      assert.match(form.body, /name="clause" id="clause-2" value="2"/);
      // Clause 8, "Decisions and appeals", is about the board: no comment can break it.
      assert.doesNotMatch(form.body, /name="clause" id="clause-8"/);
      const refused = await other.post(`/comments/${id}/report`, { clause: '8' }, JSON_ACCEPT);
      assert.equal(refused.statusCode, 422);
      assert.equal(refused.json<{ error: { code: string } }>().error.code, 'COMMENT_REPORT_CLAUSE');
      const refusedPage = await other.post(`/comments/${id}/report`, { clause: '8' });
      assert.equal(refusedPage.statusCode, 422);
      assert.match(refusedPage.body, /name="clause" id="clause-2"/, 'the form again, to choose');
      assert.equal(
        (await handle.db.selectFrom('comment_reports').select('id').execute()).length,
        0,
      );

      const report = `/comments/${id}/report`;
      assert.match((await other.get(article.path)).body, new RegExp(`href="${report}"`));
      assert.equal((await other.post(report, { clause: '2' })).statusCode, 200);
      // The reporter sees that they reported it, in the thread and on the report page.
      const thread = await other.get(article.path);
      assert.doesNotMatch(thread.body, new RegExp(`href="${report}"`));
      assert.match(thread.body, /<span class="comment-reported">Reported<\/span>/);
      const again = await other.get(report);
      assert.doesNotMatch(again.body, /name="clause"/);
      assert.match(again.body, /You reported this comment/);
      const ko = await other.get(`/ko/comments/${id}`);
      assert.match(ko.body, /<span class="comment-reported">신고함<\/span>/);
      // Another reader may still report it.
      const third = await reader('third.reader@example.com');
      assert.match((await third.get(article.path)).body, new RegExp(`href="${report}"`));
      await t.app.close();
    });

    it('returns to the thread after a delete, or to "My comments" when it started there', async () => {
      await start(PERMISSIVE);
      const article = await publishedArticle(t.deps);
      const author = await reader('deleter@example.com');
      const other = await reader('replier@example.com');
      const post = async (browser: TestBrowser, body: string, parentId?: string) => {
        const posted = await browser.post(
          `/articles/${article.id}/comments`,
          { body, acceptPolicy: '1', ...(parentId ? { parentId } : {}) },
          JSON_ACCEPT,
        );
        return posted.json<{ comment: { id: string } }>().comment.id;
      };
      const alone = await post(author, '혼자인 댓글');
      const answered = await post(author, '답글이 달린 댓글');
      const reply = await post(author, '내 답글', answered);
      await post(other, '남의 답글', answered);
      const fromAccount = await post(author, '내 댓글 목록에서 지울 댓글');

      const deleteFrom = async (id: string, from?: string) => {
        const page = await author.get(`/comments/${id}/delete${from ? `?from=${from}` : ''}`);
        assert.equal(page.statusCode, 200);
        const hidden = /<input type="hidden" name="from" value="([^"]*)"/.exec(page.body)?.[1];
        const done = await author.post(`/comments/${id}/delete`, hidden ? { from: hidden } : {});
        assert.equal(done.statusCode, 303);
        return done.headers.location;
      };
      // Nothing stays of a comment without replies: back to the comment area.
      assert.equal(await deleteFrom(alone), `${article.path}#comments`);
      // A reply's place is its thread; a comment with replies stays as a tombstone.
      assert.equal(await deleteFrom(reply), `${article.path}#comment-${answered}`);
      assert.equal(await deleteFrom(answered), `${article.path}#comment-${answered}`);
      const mine = await author.get('/account/comments');
      assert.ok(mine.body.includes(`href="/comments/${fromAccount}/delete?from=account"`));
      assert.equal(await deleteFrom(fromAccount, 'account'), '/account/comments');
      await t.app.close();
    });

    it("sends a vote's new counts live to every browser on the article", async () => {
      await start(PERMISSIVE);
      const article = await publishedArticle(t.deps);
      const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
      const author = await reader('counted@example.com');
      const voter = await reader('voter@example.com');
      const posted = await author.post(
        `/articles/${article.id}/comments`,
        { body: '공감을 기다리는 댓글', acceptPolicy: '1' },
        JSON_ACCEPT,
      );
      const id = posted.json<{ comment: { id: string } }>().comment.id;
      const controller = new AbortController();
      const stream = await fetch(`${address}/articles/${article.id}/comments/live`, {
        signal: controller.signal,
      });
      const body = stream.body?.getReader();
      assert.ok(body);
      const decoder = new TextDecoder();
      let text = '';
      // The stream is open (its first line has come) before the vote is cast.
      while (!text.includes('retry:')) text += decoder.decode((await body.read()).value);
      assert.equal(
        (await voter.post(`/comments/${id}/vote`, { value: 'up' }, JSON_ACCEPT)).statusCode,
        200,
      );
      while (!/event: votes\ndata: .*\n\n/.test(text)) {
        const chunk = await body.read();
        assert.equal(chunk.done, false, 'the stream stayed open');
        text += decoder.decode(chunk.value, { stream: true });
      }
      const event = /(.*\n)?event: votes\ndata: (.*)\n\n/.exec(text);
      assert.deepEqual(JSON.parse(event?.[2] ?? '{}'), { id, up: 1, down: 0 });
      // No id: a browser reconnecting names the last comment it saw, not the last vote.
      assert.doesNotMatch(event?.[1] ?? '', /^id:/);
      controller.abort();
      await t.app.close();
    });

    it('refuses malformed ids, sorts and cursors with 4xx, never 500', async () => {
      await start();
      const article = await publishedArticle(t.deps);
      for (const url of [
        `/articles/${article.id}/comments?sort=best`,
        `/articles/${article.id}/comments?after=%E0%A4%A`,
        `/articles/${article.id}/comments?after=eyJhIjoxfQ`,
        '/articles/0/comments',
        '/articles/99999999999999999999999/comments',
        '/comments/abc',
        '/articles/1e3/comments/live',
      ]) {
        const res = await t.app.inject({ url });
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${url}: ${res.statusCode}`);
      }
      const browser = await reader('bad.input@example.com');
      const bad = await browser.post(`/comments/1/vote`, { value: 'sideways' });
      assert.equal(bad.statusCode, 400);
      await t.app.close();
    });

    it('renders the XSS corpus as inert text on every page that shows a comment', async () => {
      await start(PERMISSIVE);
      const article = await publishedArticle(t.deps);
      const author = await reader('xss@example.com');
      const ids: string[] = [];
      for (const [index, payload] of XSS_CORPUS.entries()) {
        const posted = await author.post(
          `/articles/${article.id}/comments`,
          { body: payload, acceptPolicy: '1' },
          JSON_ACCEPT,
        );
        assert.equal(posted.statusCode, 201, `payload ${index}: ${posted.body}`);
        const body = posted.json<{ comment: { id: string }; html: string }>();
        ids.push(body.comment.id);
        assertInert(body.html, /XSS\d+/);
      }
      const other = await reader('xss.reader@example.com');
      const pages = [
        await t.app.inject({ url: article.path }),
        await other.get(article.path),
        await other.get(`/articles/${article.id}/comments?sort=oldest`),
        await t.app.inject({ url: `/ko/articles/${article.id}/comments?sort=top` }),
        await author.get('/account/comments'),
        ...(await Promise.all(ids.slice(0, 6).map((id) => other.get(`/comments/${id}`)))),
        await other.get(`/comments/${ids[1] ?? ''}/report`),
        await author.get(`/comments/${ids[7] ?? ''}/edit`),
        await author.get(`/comments/${ids[7] ?? ''}/delete`),
      ];
      for (const page of pages) {
        assert.equal(page.statusCode, 200);
        assertInert(page.body, /XSS\d+/);
      }
      assert.match(pages[2]?.body ?? '', /&lt;script>alert\('XSS1'\)&lt;\/script>/);
      await t.app.close();
    });

    it('delivers a new comment live to a listening browser (server-sent events)', async () => {
      await start({ BYLINE_LIVE_STREAMS_PER_CLIENT: '1' });
      const article = await publishedArticle(t.deps);
      const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
      const controller = new AbortController();
      const stream = await fetch(`${address}/ko/articles/${article.id}/comments/live`, {
        signal: controller.signal,
      });
      assert.equal(stream.status, 200);
      assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.match(stream.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      // One address holds a bounded number of streams; HEAD holds none.
      const second = await fetch(`${address}/articles/${article.id}/comments/live`);
      assert.equal(second.status, 429);
      await second.arrayBuffer();
      const head = await fetch(`${address}/articles/${article.id}/comments/live`, {
        method: 'HEAD',
      });
      assert.equal(head.status, 200);
      const reader_ = stream.body?.getReader();
      assert.ok(reader_);
      const author = await reader('live@example.com');
      const posted = await author.post(
        `/articles/${article.id}/comments`,
        { body: '실시간 댓글', acceptPolicy: '1' },
        JSON_ACCEPT,
      );
      const id = posted.json<{ comment: { id: string } }>().comment.id;
      let text = '';
      const decoder = new TextDecoder();
      while (!text.includes('event: comment')) {
        const chunk = await reader_.read();
        assert.equal(chunk.done, false, 'the stream stayed open');
        text += decoder.decode(chunk.value, { stream: true });
      }
      while (!/event: comment\ndata: .*\n\n/.test(text)) {
        const chunk = await reader_.read();
        text += decoder.decode(chunk.value, { stream: true });
      }
      const data = JSON.parse(/event: comment\ndata: (.*)\n/.exec(text)?.[1] ?? '{}') as {
        id: string;
        count: number;
        html: string;
      };
      assert.equal(data.id, id);
      assert.equal(data.count, 1);
      assert.match(data.html, /실시간 댓글/);
      // A Korean listener gets the Korean interface; an anonymous one gets no forms.
      assert.match(textOf(data.html), /공감 0 · 비공감 0/);
      assert.doesNotMatch(data.html, /<form/);
      controller.abort();

      // Reconnecting with Last-Event-ID brings what was missed meanwhile, replies included.
      const replier = await reader('live.replier@example.com');
      const reply = await replier.post(
        `/articles/${article.id}/comments`,
        { body: '놓친 답글', parentId: id, acceptPolicy: '1' },
        JSON_ACCEPT,
      );
      assert.equal(reply.statusCode, 201);
      const again = await waitForStream(address, `/articles/${article.id}/comments/live`, id);
      const caught = await readEvent(again.body);
      again.abort();
      assert.equal(caught.parentId, id);
      assert.equal(caught.count, 2);
      assert.match(caught.html, /놓친 답글/);
      await t.app.close();
    });
  });
}
