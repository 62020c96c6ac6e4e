import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { TestBrowser, testApp, type TestApp } from '../accounts/accounts.testing.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
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

    it('invites an anonymous reader to log in, with the counter and the policy link', async () => {
      await start();
      const article = await publishedArticle(t.deps);
      const page = await t.app.inject({ url: article.path });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /To write comments, please log in to one of the accounts\./);
      assert.match(page.body, /\(<span data-count="true">0<\/span>\/250자\)/);
      assert.match(page.body, /<a href="\/policy">Standards Board Policy<\/a>/);
      assert.match(page.body, /"commentCount":0/);
      const ko = await t.app.inject({ url: `/ko/articles/${article.id}/comments` });
      assert.match(ko.body, /댓글을 작성하려면/);
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
      assert.match(data.html, /공감 0 · 비공감 0/);
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
