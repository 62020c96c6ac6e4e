import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from '../../src/accounts/accounts.testing.js';
import { createSession } from '../../src/accounts/sessions.js';
import {
  publishedArticle,
  resetComments,
  testReader,
} from '../../src/comments/comments.testing.js';
import { postComment } from '../../src/comments/comments.service.js';
import type { DatabaseHandle } from '../../src/db/db.js';
import { testBackends } from '../../src/db/db-test.js';
import { routesOfTree } from '../../src/http/routes.testing.js';
import { decideComment } from '../../src/moderation/moderation.service.js';
import { createStory } from '../../src/newsroom/newsroom.service.js';
import { ensureSections, storyContent } from '../../src/newsroom/newsroom.testing.js';
import { watchSegmenting } from '../../src/lib/visible-text.testing.js';

/**
 * Every text field of every form, fed a megabyte and, under the body limit, tens of kilobytes of
 * the text that is costly to count: a run of one jamo, a letter under thousands of marks, a
 * direction override before Korean. The forms are found by reading the pages each kind of visitor
 * gets; a POST route no page offers a form for is fed every field name the forms use. Every answer
 * must be a deliberate refusal or redirect (below 500), the server must keep answering, and no
 * text may be segmented more than a counting window at a time: a count over a whole field was
 * what let one 65,000-character display name stop the server. Nothing here measures time.
 */

type Who = 'anonymous' | 'reader' | 'admin';
type Form = { who: Who; action: string; fields: [string, string][] };

const MEGABYTE = 1024 * 1024;
/** What countVisible segments at a time (src/lib/visible-text.ts). */
const WINDOW = 128;

type Payload = { name: string; type: 'form' | 'json'; text: string };

/** Over every body limit: refused before any handler reads it, whichever field carries it. */
const MEGABYTE_OF_TEXT: Payload = { name: 'a megabyte', type: 'form', text: 'a'.repeat(MEGABYTE) };
/** Under the policy editor's limit of a megabyte, over everyone else's. */
const KOREAN_900_KB: Payload = {
  name: '900 KB of Korean',
  type: 'json',
  text: '가'.repeat(300_000),
};
/** Bodies near the 64 KiB limit, in the encoding that carries most code units for their size. */
const NEAR_LIMIT: readonly Payload[] = [
  { name: '60,000 letters', type: 'form', text: 'a'.repeat(60_000) },
  { name: 'a run of 20,000 jamo', type: 'json', text: '\u1100'.repeat(20_000) },
  { name: 'a letter under 29,000 marks', type: 'json', text: `a${'\u0301'.repeat(29_000)}` },
  { name: 'an override before Korean', type: 'json', text: `\u202E${'가'.repeat(19_000)}` },
];

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match?.[1] === undefined ? undefined : decodeEntities(match[1]);
}

/** The POST forms of a page, with each field's value as the page gives it. */
function formsOf(html: string, who: Who): Form[] {
  const forms: Form[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const [, open = '', inner = ''] = match;
    if (attribute(open, 'method')?.toLowerCase() !== 'post') continue;
    const action = attribute(open, 'action');
    if (action === undefined || !action.startsWith('/')) continue;
    const fields: [string, string][] = [];
    for (const field of inner.matchAll(
      /<(input|textarea|select)\b([^>]*)>(?:([^<]*)<\/textarea>)?/g,
    )) {
      const [, kind = '', attrs = '', content = ''] = field;
      const name = attribute(attrs, 'name');
      if (name === undefined) continue;
      fields.push([
        name,
        kind === 'textarea' ? decodeEntities(content) : (attribute(attrs, 'value') ?? ''),
      ]);
    }
    forms.push({ who, action, fields });
  }
  return forms;
}

function unprefixed(action: string): string {
  return (action.split('?')[0] ?? '').replace(/^\/ko(?=\/|$)/, '') || '/';
}

function encode(fields: [string, string][], type: 'form' | 'json'): string {
  if (type === 'json') return JSON.stringify(Object.fromEntries(fields));
  const params = new URLSearchParams();
  for (const [name, value] of fields) params.append(name, value);
  return params.toString();
}

for (const backend of testBackends().slice(0, 1)) {
  describe(`every text field fed a megabyte on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    const csrf = 'f'.repeat(43);
    const cookies: Record<Who, string> = { anonymous: '', reader: '', admin: '' };
    const ids: Record<string, string> = {};

    before(async () => {
      handle = await backend.open();
      await resetComments(handle);
      t = await testApp(handle);
      const article = await publishedArticle(t.deps);
      ids.articleId = article.id;
      ids.articlePath = article.path;
      const author = await testReader(t.deps, '작성자');
      ids.commentId = (
        await postComment(t.deps, { articleId: article.id, authorId: author, body: '남의 댓글' })
      ).id;
      const readerId = await testReader(t.deps, '퍼징 독자');
      ids.readerId = readerId;
      const session = await createSession(t.deps, {
        accountId: readerId,
        kind: 'reader',
        method: 'test',
        userAgent: 'fuzz',
        ip: '203.0.113.8',
      });
      cookies.reader = `byline_session=${session.token}`;
      t.clock.advance(3_600);
      ids.ownCommentId = (
        await postComment(t.deps, {
          articleId: article.id,
          authorId: readerId,
          body: '내 댓글',
        })
      ).id;
      const admin = await handle.db
        .insertInto('accounts')
        .values({
          display_name: '관리자',
          role: 'admin',
          staff_email: 'fuzz.text.admin@example.com',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // A hidden comment of the reader's, so that the appeal form is offered.
      t.clock.advance(3_600);
      const hidden = await postComment(t.deps, {
        articleId: article.id,
        authorId: readerId,
        body: '숨겨질 댓글',
      });
      const { rev } = await handle.db
        .selectFrom('comments')
        .select('moderation_rev as rev')
        .where('id', '=', hidden.id)
        .executeTakeFirstOrThrow();
      await decideComment(t.deps, {
        moderatorId: admin.id,
        commentId: hidden.id,
        rev,
        decision: 'reject',
        clauses: [1],
      });
      ids.hiddenCommentId = hidden.id;
      // A story in the newsroom, so that its editor and its workflow's forms are offered.
      await ensureSections(handle);
      ids.storyId = (
        await createStory(t.deps, { accountId: admin.id, role: 'admin' }, storyContent())
      ).id;
      // Last, on the clock as it now stands: a staff session lapses after an idle hour.
      const { token } = await createSession(t.deps, {
        accountId: admin.id,
        kind: 'staff',
        method: 'password+totp',
        userAgent: 'fuzz',
        ip: '203.0.113.9',
      });
      cookies.admin = `byline_session=${token}`;
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    function send(
      method: 'GET' | 'POST',
      url: string,
      who: Who,
      body?: { type: 'form' | 'json'; payload: string },
    ) {
      return t.app.inject({
        method,
        url,
        remoteAddress: '203.0.113.78',
        headers: {
          cookie: [cookies[who], `byline_csrf=${csrf}`].filter(Boolean).join('; '),
          'sec-fetch-site': 'same-origin',
          origin: 'http://localhost:3000',
          ...(body
            ? {
                'content-type':
                  body.type === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
              }
            : {}),
        },
        ...(body ? { payload: body.payload } : {}),
      });
    }

    /**
     * The comment a route is about: the reader's own where only its author may go (and in the
     * newsroom, the story).
     */
    function commentFor(url: string): string {
      if (url.includes('/newsroom/stories/') || url.includes('/preview/'))
        return ids.storyId ?? '1';
      if (url.includes('/appeal')) return ids.hiddenCommentId ?? '1';
      if (/\/(edit|delete)$/.test(url)) return ids.ownCommentId ?? '1';
      if (url.includes('/admin/accounts/') || url.includes('/readers/')) return ids.readerId ?? '1';
      return ids.commentId ?? '1';
    }

    /** A route's address with its parameters filled from the fixtures, as the pages link them. */
    function filled(url: string): string {
      const [, year = '', month = '', day = '', section = '', slug = ''] = (
        ids.articlePath ?? ''
      ).split('/');
      const values: Record<string, string> = { year, month, day, section, slug };
      return url.replace(/:(\w+)/g, (_all, name: string) => {
        if (name in values) return values[name] ?? '1';
        if (name === 'articleId') return ids.articleId ?? '1';
        if (name === 'commentId' || name === 'id') return commentFor(url);
        if (name === 'queue') return 'pending';
        if (name === 'provider') return 'email';
        return '1';
      });
    }

    it('refuses a megabyte in every field with a clear answer, never 5xx, and keeps answering', async (ctx) => {
      await t.app.ready();
      const routes = routesOfTree(t.app.printRoutes({ commonPrefix: false }));
      const forms: Form[] = [];
      const seen = new Set<string>();
      for (const route of routes.filter((r) => r.method === 'GET' && !r.url.endsWith('/live'))) {
        for (const who of ['anonymous', 'reader', 'admin'] as const) {
          const page = await send('GET', filled(route.url), who);
          if (page.statusCode === 200 && /text\/html/.test(String(page.headers['content-type'])))
            for (const form of formsOf(page.body, who)) {
              // Logging out takes no text (returnTo is safeReturnTo's, tested in return-to.test.ts)
              // and would end the sessions the other forms are posted with.
              if (form.action.endsWith('/logout')) continue;
              // The Korean edition's forms are the English ones' handlers under /ko.
              const key = `${who} ${unprefixed(form.action)} ${form.fields.map(([n]) => n).join()}`;
              if (seen.has(key)) continue;
              seen.add(key);
              forms.push(form);
            }
        }
      }
      // A POST route that no page offered a form for is fed every field name the forms use.
      const names = [...new Set(forms.flatMap((f) => f.fields.map(([name]) => name)))].filter(
        (name) => name !== '_csrf',
      );
      const offered = new Set(forms.map((f) => unprefixed(f.action)));
      for (const route of routes.filter((r) => r.method === 'POST')) {
        const action = filled(route.url);
        if (offered.has(unprefixed(action)) || route.url.startsWith('/ko')) continue;
        if (action.endsWith('/logout')) continue;
        const who = /^\/(admin|staff|moderation|newsroom)\//.test(action) ? 'admin' : 'reader';
        forms.push({ who, action, fields: names.map((name) => [name, '']) });
      }
      ctx.diagnostic(`${forms.length} forms, ${names.length} field names`);
      assert.ok(forms.some((f) => f.fields.some(([name]) => name === 'displayName')));
      assert.ok(forms.some((f) => f.fields.some(([name]) => name === 'body')));

      const failures: string[] = [];
      let requests = 0;
      const statuses = new Map<string, number>();
      async function post(form: Form, fields: [string, string][], payload: Payload, field: string) {
        const body = encode([['_csrf', csrf], ...fields], payload.type);
        const response = await send('POST', form.action, form.who, {
          type: payload.type,
          payload: body,
        });
        requests += 1;
        const key = `${form.action.replace(/\d+/g, 'N')} as ${form.who}: ${response.statusCode}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (response.statusCode >= 500)
          failures.push(
            `${form.action} ${field} as ${form.who}, ${payload.name}: ${response.statusCode}`,
          );
      }
      const watched = await watchSegmenting(async () => {
        for (const form of forms) {
          const fields = form.fields.filter(([name]) => name !== '_csrf');
          const [first = 'x'] = fields.map(([name]) => name);
          await post(form, [[first, MEGABYTE_OF_TEXT.text]], MEGABYTE_OF_TEXT, first);
          for (const [index, [name]] of fields.entries()) {
            for (const payload of [KOREAN_900_KB, ...NEAR_LIMIT]) {
              const sent = fields.map(([other, value], at): [string, string] => [
                other,
                at === index ? payload.text : value,
              ]);
              await post(form, sent, payload, name);
            }
          }
          const health = await send('GET', '/healthz', 'anonymous');
          if (health.statusCode !== 200) failures.push(`not answering after ${form.action}`);
        }
      });
      ctx.diagnostic(`${requests} requests, longest text segmented at once: ${watched.longest}`);
      for (const [key, count] of statuses) ctx.diagnostic(`${key}: ${count}`);
      assert.deepEqual(failures, []);
      assert.ok(watched.longest <= WINDOW, `segmented ${watched.longest} code units at once`);
      const page = await send('GET', ids.articlePath ?? '/', 'reader');
      assert.equal(page.statusCode, 200);
    });
  });
}
