import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { TestBrowser, testApp, type TestApp } from '../../src/accounts/accounts.testing.js';
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
import { createStory } from '../../src/newsroom/newsroom.service.js';
import { ensureSections, storyContent } from '../../src/newsroom/newsroom.testing.js';

/**
 * R10: every route and form of the app fed random input (fast-check), as an anonymous visitor, a
 * reader and an admin with a staff session: parameters, queries and form fields of any Unicode,
 * huge numbers, traversal and injection shapes, repeated fields, wrong content types. Every
 * answer must be a deliberate one (below 500), and the app must keep answering afterwards.
 */

const RUNS_PER_ROUTE = Number(process.env.BYLINE_FUZZ_RUNS ?? 12);
/** A fixed seed keeps CI repeatable; set BYLINE_FUZZ_SEED to explore further. */
const SEED = Number(process.env.BYLINE_FUZZ_SEED ?? 20261130);

/** Field names the app's forms read, plus a few they never should. */
const FIELDS = [
  'body',
  'parentId',
  'acceptPolicy',
  'value',
  'clause',
  'note',
  'email',
  'code',
  'displayName',
  'returnTo',
  'version',
  'role',
  'status',
  'state',
  'closeAfterHours',
  'premoderated',
  'password',
  'confirm',
  'session',
  'introEn',
  'bodyEn',
  'bodyKo',
  // The newsroom's story form and workflow steps.
  'base',
  'headline',
  'summary',
  'slug',
  'section',
  'tags',
  'bylineName',
  'bylineEmail',
  'credit',
  'language',
  'translation',
  'imageSrc',
  'imageAlt',
  'minor',
  'date',
  'time',
  'kind',
  '__proto__',
  'constructor',
];

const nasty = fc.constantFrom(
  '',
  '0',
  '-1',
  '1',
  '999999999999999999999999',
  '1e309',
  'NaN',
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\uD800',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '𝕳𝖊𝖑𝖑𝖔',
  '한국어',
  '👨‍👩‍👧',
  'a'.repeat(3000),
  '[object Object]',
);
const text = fc.oneof(
  nasty,
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
/** Lone surrogates cannot be percent-encoded; a browser sends U+FFFD for them. */
function wellFormed(value: string): string {
  return value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

/**
 * A path segment as a browser would send it: percent-encoded, never a raw `/` or `?`; often the
 * id of something that exists (`known`), so that handlers past the not-found check are reached.
 */
function segmentOf(known: readonly string[]) {
  return fc
    .oneof(fc.constantFrom('1', '2', '999999', ...known), text)
    .map((value) => encodeURIComponent(wellFormed(value)) || 'x');
}
const form = fc.dictionary(
  fc.constantFrom(...FIELDS),
  fc.oneof(text, fc.array(text, { maxLength: 3 })),
  {
    maxKeys: 5,
  },
);
const contentType = fc.constantFrom(
  'application/x-www-form-urlencoded',
  'application/json',
  'text/plain',
  'multipart/form-data; boundary=x',
);

function encodeForm(values: Record<string, string | string[]>, csrf: string, type: string): string {
  const params = new URLSearchParams({ _csrf: csrf });
  for (const [name, value] of Object.entries(values))
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, one);
  if (type === 'application/json') return JSON.stringify(Object.fromEntries(params));
  return params.toString();
}

for (const backend of testBackends().slice(0, 1)) {
  describe(`every route fed random input on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    const cookies: Record<'anonymous' | 'reader' | 'admin', string> = {
      anonymous: '',
      reader: '',
      admin: '',
    };
    const csrf = 'f'.repeat(43);
    const known: string[] = [];

    before(async () => {
      handle = await backend.open();
      await resetComments(handle);
      t = await testApp(handle);
      const article = await publishedArticle(t.deps);
      const author = await testReader(t.deps, '작성자');
      await postComment(t.deps, {
        articleId: article.id,
        authorId: author,
        body: '퍼징 대상 댓글',
      });
      const reader = new TestBrowser(t.app);
      await reader.loginByEmail(t.mailer, 'fuzz.reader@example.com');
      cookies.reader = [...reader.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
      const admin = await handle.db
        .insertInto('accounts')
        .values({ display_name: '관리자', role: 'admin', staff_email: 'fuzz.admin@example.com' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { token } = await createSession(t.deps, {
        accountId: admin.id,
        kind: 'staff',
        method: 'password+totp',
        userAgent: 'fuzz',
        ip: '203.0.113.9',
      });
      cookies.admin = `byline_session=${token}`;
      // A story in the newsroom, so that its editor, saves and workflow steps are reached.
      await ensureSections(handle);
      const story = await createStory(
        t.deps,
        { accountId: admin.id, role: 'admin' },
        storyContent(),
      );
      known.push(article.id, story.id);
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    async function send(
      app: FastifyInstance,
      method: string,
      url: string,
      who: keyof typeof cookies,
      body?: { type: string; payload: string },
    ) {
      const cookie = [cookies[who], `byline_csrf=${csrf}`].filter(Boolean).join('; ');
      return app.inject({
        method: method as 'GET',
        url,
        remoteAddress: '203.0.113.77',
        headers: {
          cookie,
          'sec-fetch-site': 'same-origin',
          ...(body ? { 'content-type': body.type } : {}),
        },
        ...(body ? { payload: body.payload } : {}),
      });
    }

    it('answers every route below 500 and keeps answering', async (ctx) => {
      await t.app.ready();
      const routes = routesOfTree(t.app.printRoutes({ commonPrefix: false })).filter(
        (r) => r.method === 'GET' || r.method === 'POST',
      );
      let requests = 0;
      const failures: string[] = [];
      for (const route of routes) {
        // The live stream never ends for an article that exists: HEAD asks the same handler.
        const method = route.url.endsWith('/live') ? 'HEAD' : route.method;
        await fc.assert(
          fc.asyncProperty(
            fc.array(segmentOf(known), { minLength: 8, maxLength: 8 }),
            fc.dictionary(
              fc.constantFrom(
                'sort',
                'after',
                'before',
                'returnTo',
                'article',
                'welcome',
                // The newsroom's list filters, its notices and the preview link's signature.
                'q',
                'status',
                'section',
                'author',
                'language',
                'from',
                'to',
                'done',
                'expires',
                'signature',
              ),
              text,
              { maxKeys: 3 },
            ),
            fc.constantFrom<keyof typeof cookies>('anonymous', 'reader', 'admin'),
            form,
            contentType,
            async (values, query, who, fields, type) => {
              let i = 0;
              const path = route.url.replace(/:\w+/g, () => values[i++ % values.length] ?? 'x');
              const search = new URLSearchParams(query).toString();
              const url = search ? `${path}?${search}` : path;
              const body =
                method === 'POST' ? { type, payload: encodeForm(fields, csrf, type) } : undefined;
              const response = await send(t.app, method, url, who, body);
              requests += 1;
              if (response.statusCode >= 500)
                failures.push(
                  `${method} ${url} as ${who}: ${response.statusCode} ${response.body.slice(0, 200)}`,
                );
              if (response.statusCode >= 500) ctx.diagnostic(failures.at(-1) ?? '');
              return response.statusCode < 500;
            },
          ),
          { numRuns: RUNS_PER_ROUTE, seed: SEED },
        );
      }
      ctx.diagnostic(
        `${routes.length} routes, ${requests} random requests, ${failures.length} answered 5xx`,
      );
      assert.deepEqual(failures, []);
      const health = await t.app.inject({ url: '/healthz' });
      assert.equal(health.statusCode, 200);
    });
  });
}
