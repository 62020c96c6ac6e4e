import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import type { LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { publishedArticle, resetComments, testReader } from '../comments/comments.testing.js';
import type { DatabaseHandle } from '../db/db.js';
import type { Database, RoleColumn } from '../db/db-schema.js';
import { testBackends } from '../db/db-test.js';
import { routesOfTree } from '../http/routes.testing.js';
import { createStory, getStory, saveStory } from '../newsroom/newsroom.service.js';
import { ensureSections, storyContent } from '../newsroom/newsroom.testing.js';
import { getCurrentPolicy } from '../policy/policy.service.js';
import { TestBrowser, testApp, type TestApp } from './accounts.testing.js';
import { totpCodeAt } from './credentials/totp.js';
import { createSession } from './sessions.js';
import { addStaffAccount, issueSetupLink } from './staff.service.js';

/**
 * Object-level and field-level access (docs/SECURITY.md, items 16 and 17, battery S3). Reader B
 * acts on reader A's objects through every route that names an object, and a moderator steps
 * outside the board's scope; each attempt must be refused with 403 or 404 and leave every row as it
 * was. Then every POST form is sent as its rightful user would send it, padded with fields that
 * name the columns a forger would like to set: the stored rows must not take any of them.
 */

const ENV = {
  BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
  BYLINE_COMMENT_DUPLICATE_HOURS: '0',
  BYLINE_COMMENTS_PER_ARTICLE_PER_DAY: '1000',
  BYLINE_HOLD_REJECTION_RATE: '0',
};
const JSON_ACCEPT = { accept: 'application/json' };
const PASSWORD = '기사는 사실로 말하고 댓글은 원칙으로 지킨다';
/** A time no row of this test is written at: the clock says 2026. */
const FORGED_TIME = '2001-02-03T04:05:06.000Z';

/**
 * Routes with a `:param` that this file does not attack, each with the reason. Every other such
 * route must be attacked below; a new one fails the first test until it is added to one list.
 */
const NOT_AN_OBJECT_OF_ANYONE: Readonly<Record<string, string>> = {
  'GET /:year/:month/:day/:section/:slug': 'a public article page; no owner',
  'GET /section/:slug': 'a public section page; no owner',
  'GET /tag/:slug': 'a public tag page; no owner',
  'GET /author/:slug': 'a public byline page; no owner',
  'GET /policy/versions/:version': 'a public policy version; no owner',
  'GET /staff/setup/:token': 'the parameter is a one-time bearer secret, not an id (staff.test.ts)',
  'POST /staff/setup/:token':
    'the parameter is a one-time bearer secret, not an id (staff.test.ts); its form is fuzzed below',
  'POST /auth/:provider/start': 'a provider name, not an object (oauth-login.test.ts)',
  'GET /auth/:provider/callback': 'a provider name, not an object (oauth-login.test.ts)',
  'GET /articles/:articleId/comments': 'a public thread',
  'GET /articles/:articleId/comments/live': 'a public live thread',
  'POST /articles/:articleId/comments':
    'any reader may comment on any open article; its form is fuzzed below',
  'GET /admin/pages/:key': 'one of three site pages by name, every one an admin’s to edit',
  'POST /admin/pages/:key':
    'one of three site pages by name, every one an admin’s to edit; its form is fuzzed below',
  // The newsroom (docs/SECURITY.md, item 28): reporter B is refused every step on reporter A's
  // story below; these are the routes `may()` opens to every member of the newsroom on any story.
  // Reader B and a moderator are refused all of them, by access, below.
  'GET /newsroom/stories/:id': 'every member of the newsroom reads every story (`may()`, view)',
  'GET /newsroom/stories/:id/preview': 'the staff preview: every member reads every story',
  'POST /newsroom/stories/:id/presence':
    'tells who edits a story, which every member may see; one who may not edit holds nothing ' +
    '(checked below); its form is fuzzed below',
  'POST /newsroom/stories/:id/notes':
    'any member may leave a note on any story (`may()`, note); its form is fuzzed below',
  'GET /preview/:id':
    'the parameter goes with an expiring signature, a bearer secret, not an id alone ' +
    '(newsroom-security.test.ts)',
};

/** The editor's form as its page posts it, valid. */
function storyForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    headline: '지하철 요금 오른다',
    summary: '',
    body: JSON.stringify({
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: '서울시가 요금을 올린다.' }] },
      ],
    }),
    slug: '',
    section: 'national',
    tags: '교통',
    bylineName: '김민지',
    bylineEmail: 'kim.minji@example.com',
    credit: '',
    language: 'ko',
    translation: '',
    ...overrides,
  };
}

/** A day and minute after the test clock's, in the form's fields. */
const LATER = { date: '2030-01-02', time: '09:00' };

type Attempt = {
  /** The route pattern attacked, as the route table prints it (without /ko). */
  route: string;
  label: string;
  url: string;
  form?: Record<string, string>;
  /** A secret of A's that must not appear in the answer. */
  secret?: string;
  /** Answers besides 403 and 404 that also refuse here, with the reason. */
  alsoRefusal?: { status: number; reason: string };
};

type Snapshot = Record<string, string[]>;

/** Every row of the tables a person's objects live in, as JSON, for before/after comparisons. */
async function snapshot(db: Kysely<Database>): Promise<Snapshot> {
  const tables = [
    'accounts',
    'identities',
    'sessions',
    'staff_devices',
    'policy_acceptances',
    'comments',
    'comment_revisions',
    'comment_votes',
    'comment_reports',
    'comment_appeals',
    'comment_article_settings',
    'comment_section_settings',
    'reader_standing',
    'moderation_log',
    'moderation_words',
    'site_pages',
    'articles',
    'article_revisions',
    'article_notes',
    'story_locks',
    'article_publications',
    'article_corrections',
    'article_redirects',
  ] as const;
  const out: Snapshot = {};
  for (const table of tables) {
    const rows = (await db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    // When a session was last used is not a change of anyone's objects.
    out[table] = rows
      .map((row) => {
        const copy = { ...row };
        delete copy.last_seen_at;
        return JSON.stringify(copy);
      })
      .sort();
  }
  return out;
}

/** The columns that name a row of each table, to tell a changed row from a new one. */
const ROW_KEYS: Readonly<Record<string, readonly string[]>> = {
  identities: ['provider', 'subject'],
  staff_devices: ['token_hash'],
  policy_acceptances: ['account_id', 'version'],
  comment_votes: ['comment_id', 'account_id'],
  comment_article_settings: ['article_id'],
  comment_section_settings: ['section_id'],
  reader_standing: ['account_id'],
  moderation_words: ['word'],
  story_locks: ['article_id'],
  article_redirects: ['path'],
};

function rowKey(table: string, row: Record<string, unknown>): string {
  return JSON.stringify((ROW_KEYS[table] ?? ['id']).map((column) => row[column]));
}

/** Per table, the columns of each new row, and the columns that changed in each changed row. */
function changedColumns(before: Snapshot, after: Snapshot): [string, Record<string, unknown>][] {
  const changed: [string, Record<string, unknown>][] = [];
  for (const [table, rows] of Object.entries(after)) {
    const old = new Map(
      (before[table] ?? []).map((text) => {
        const row = JSON.parse(text) as Record<string, unknown>;
        return [rowKey(table, row), row];
      }),
    );
    for (const text of rows) {
      const row = JSON.parse(text) as Record<string, unknown>;
      const previous = old.get(rowKey(table, row));
      if (!previous) changed.push([table, row]);
      else
        changed.push([
          table,
          Object.fromEntries(
            Object.entries(row).filter(
              ([column, value]) => JSON.stringify(value) !== JSON.stringify(previous[column]),
            ),
          ),
        ]);
    }
  }
  return changed.filter(([, columns]) => Object.keys(columns).length > 0);
}

function same(before: Snapshot, after: Snapshot): boolean {
  return JSON.stringify(before) === JSON.stringify(after);
}

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_all, letter: string) => letter.toUpperCase());
}

function statusText(response: LightMyRequestResponse): string {
  try {
    const code = response.json<{ error?: { code?: string } }>().error?.code;
    return `${response.statusCode}${code ? ` ${code}` : ''}`;
  } catch {
    return String(response.statusCode);
  }
}

for (const backend of testBackends()) {
  describe(`objects and fields of other people on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    let staffNumber = 0;
    const routes = new Set<string>();

    before(async () => {
      handle = await backend.open();
      for (const table of ['comment_appeals', 'reader_standing', 'moderation_words'] as const)
        await handle.db.deleteFrom(table).execute();
      await resetComments(handle);
      t = await testApp(handle, { env: ENV });
      await t.app.ready();
      for (const { method, url } of routesOfTree(t.app.printRoutes({ commonPrefix: false })))
        if (method !== 'HEAD') routes.add(`${method} ${url.replace(/^\/ko(?=\/)/, '')}`);
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    /** A reader who logged in with an e-mailed code, as a person does. */
    async function reader(
      email: string,
      ip: string,
    ): Promise<{ browser: TestBrowser; id: string }> {
      const browser = new TestBrowser(t.app, ip);
      const login = await browser.loginByEmail(t.mailer, email);
      assert.equal(login.statusCode, 303, login.body);
      const identity = await handle.db
        .selectFrom('identities')
        .select('account_id')
        .where('provider', '=', 'email')
        .where('subject', '=', email)
        .executeTakeFirstOrThrow();
      return { browser, id: identity.account_id };
    }

    /** A member of staff in a role, signed in as staff (password and TOTP), with a CSRF cookie. */
    async function staff(role: Exclude<RoleColumn, 'reader'>, name: string) {
      staffNumber += 1;
      const { accountId } = await addStaffAccount(t.deps, {
        email: `idor.staff${staffNumber}@example.com`,
        role,
        displayName: name,
      });
      const { token } = await createSession(t.deps, {
        accountId,
        kind: 'staff',
        method: 'password+totp',
        userAgent: 'idor.test',
        ip: '192.0.2.50',
      });
      const browser = new TestBrowser(t.app, '192.0.2.50');
      browser.cookies.set('byline_session', token);
      await browser.get('/login');
      return { browser, id: accountId };
    }

    /** A reporter's story, made through the service as the reporter; gives its id. */
    async function storyOf(accountId: string, headline: string): Promise<string> {
      await ensureSections(handle);
      const { id } = await createStory(
        t.deps,
        { accountId, role: 'reporter' },
        storyContent({ headline }),
      );
      return id;
    }

    /** A story with two revisions, by a reporter of its own; gives the story's id. */
    async function staffStory(name: string): Promise<string> {
      await ensureSections(handle);
      const reporter = await staff('reporter', name);
      const actor = { accountId: reporter.id, role: 'reporter' as const };
      const content = storyContent();
      const { id } = await createStory(t.deps, actor, content);
      const saved = await saveStory(t.deps, actor, id, 1, { ...content, headline: '고친 제목' });
      assert.equal(saved.kind, 'saved');
      return id;
    }

    async function comment(browser: TestBrowser, articleId: string, body: string) {
      const posted = await browser.post(
        `/articles/${articleId}/comments`,
        { body, acceptPolicy: '1' },
        JSON_ACCEPT,
      );
      assert.equal(posted.statusCode, 201, posted.body);
      return posted.json<{ comment: { id: string } }>().comment.id;
    }

    async function revOf(commentId: string): Promise<string> {
      const row = await handle.db
        .selectFrom('comments')
        .select('moderation_rev')
        .where('id', '=', commentId)
        .executeTakeFirstOrThrow();
      return String(row.moderation_rev);
    }

    async function hide(moderator: TestBrowser, commentId: string): Promise<void> {
      const decided = await moderator.post(`/moderation/comments/${commentId}/decide`, {
        rev: await revOf(commentId),
        decision: 'reject',
        clause: '1',
        note: '모욕적 표현',
      });
      assert.equal(decided.statusCode, 303, decided.body);
    }

    /** Sends an attempt as GET or POST (with the /ko edition when the route has one). */
    async function send(browser: TestBrowser, method: string, url: string, form = {}) {
      return method === 'GET'
        ? browser.get(url, JSON_ACCEPT)
        : browser.post(url, form, JSON_ACCEPT);
    }

    it("refuses B every route that names A's objects, and a moderator outside the board's scope; nothing changes", async (ctx) => {
      const article = await publishedArticle(t.deps);
      const a = await reader('idor.a@example.com', '198.51.100.1');
      const b = await reader('idor.b@example.com', '198.51.100.2');
      const moderator = await staff('moderator', '최위원');
      const admin = await staff('admin', '관리자');
      const reporterA = await staff('reporter', '기자 갑');
      const reporterB = await staff('reporter', '기자 을');
      const storySecret = 'A의 비밀 기사 제목';
      const storyA = await storyOf(reporterA.id, storySecret);
      const revised = await staffStory('기자 무');
      const otherReporter = reporterB;
      const published = await comment(a.browser, article.id, 'A의 공개 댓글');
      const hiddenAppealed = await comment(a.browser, article.id, 'A의 비밀 숨김 댓글 하나');
      const hidden = await comment(a.browser, article.id, 'A의 비밀 숨김 댓글 둘');
      await hide(moderator.browser, hiddenAppealed);
      await hide(moderator.browser, hidden);
      const filed = await a.browser.post(`/account/comments/${hiddenAppealed}/appeal`, {
        reason: '비판이었을 뿐입니다',
      });
      assert.equal(filed.statusCode, 303, filed.body);
      const appeal = await handle.db
        .selectFrom('comment_appeals')
        .select(['id', 'rev'])
        .where('comment_id', '=', hiddenAppealed)
        .executeTakeFirstOrThrow();
      const aSessions = await handle.db
        .selectFrom('sessions')
        .select('id')
        .where('account_id', '=', a.id)
        .execute();
      const aSession = aSessions[0]?.id ?? assert.fail('A has a session');

      const secret = 'A의 비밀 숨김 댓글';
      const board = (route: string, url: string, form: Record<string, string> = {}): Attempt => ({
        route,
        label: `reader B: ${route}`,
        url,
        form,
      });
      const attempts: Attempt[] = [
        {
          route: 'GET /comments/:commentId',
          label: "B reads A's hidden comment",
          url: `/comments/${hidden}`,
          secret,
        },
        {
          route: 'GET /comments/:commentId/edit',
          label: "B opens A's comment to edit",
          url: `/comments/${published}/edit`,
        },
        {
          route: 'POST /comments/:commentId/edit',
          label: "B edits A's comment",
          url: `/comments/${published}/edit`,
          form: { body: 'B가 고친 댓글' },
        },
        {
          route: 'GET /comments/:commentId/delete',
          label: "B opens A's comment to delete",
          url: `/comments/${published}/delete`,
        },
        {
          route: 'POST /comments/:commentId/delete',
          label: "B deletes A's comment",
          url: `/comments/${published}/delete`,
        },
        {
          route: 'GET /comments/:commentId/report',
          label: "B opens A's hidden comment to report it",
          url: `/comments/${hidden}/report`,
          secret,
        },
        {
          route: 'POST /comments/:commentId/report',
          label: "B reports A's hidden comment",
          url: `/comments/${hidden}/report`,
          form: { clause: '2', note: '신고' },
          secret,
        },
        {
          route: 'POST /comments/:commentId/vote',
          label: "B votes on A's hidden comment",
          url: `/comments/${hidden}/vote`,
          form: { value: 'down' },
          alsoRefusal: {
            status: 409,
            reason: 'COMMENT_UNAVAILABLE: a hidden comment takes no votes',
          },
        },
        {
          route: 'GET /account/comments/:id/appeal',
          label: "B opens the appeal of A's hidden comment",
          url: `/account/comments/${hidden}/appeal`,
          secret,
        },
        {
          route: 'POST /account/comments/:id/appeal',
          label: "B appeals A's hidden comment",
          url: `/account/comments/${hidden}/appeal`,
          form: { reason: 'B의 이의 제기' },
        },
        {
          route: 'POST /account/sessions/end',
          label: "B ends A's session by its id",
          url: '/account/sessions/end',
          form: { session: aSession },
          alsoRefusal: {
            status: 303,
            reason: 'the same answer as for a session already ended: it ends only own sessions',
          },
        },
        {
          route: 'POST /account/unlink',
          label: "B unlinks A's e-mail identity",
          url: '/account/unlink',
          form: { provider: 'email', subject: 'idor.a@example.com' },
        },
        board('GET /moderation/queue/:queue', '/moderation/queue/pending'),
        board('POST /moderation/queue/:queue/next', '/moderation/queue/reported/next'),
        board('GET /moderation/comments/:id', `/moderation/comments/${hidden}`),
        board('POST /moderation/comments/:id/claim', `/moderation/comments/${published}/claim`),
        board('POST /moderation/comments/:id/decide', `/moderation/comments/${published}/decide`, {
          rev: await revOf(published),
          decision: 'reject',
          clause: '1',
        }),
        board('POST /moderation/readers/:id/sanction', `/moderation/readers/${a.id}/sanction`, {
          rev: '0',
          sanction: 'ban',
          clause: '1',
        }),
        board('GET /moderation/appeals/:id', `/moderation/appeals/${appeal.id}`),
        board('POST /moderation/appeals/:id/decide', `/moderation/appeals/${appeal.id}/decide`, {
          rev: String(appeal.rev),
          outcome: 'granted',
        }),
        board('POST /moderation/bulk', '/moderation/bulk', {
          queue: 'pending',
          item: `${published}:${await revOf(published)}`,
          decision: 'reject',
          clause: '1',
        }),
        board('POST /admin/accounts/:id/role', `/admin/accounts/${a.id}/role`, { role: 'admin' }),
        board('POST /admin/accounts/:id/status', `/admin/accounts/${a.id}/status`, {
          status: 'suspended',
        }),
        board('POST /admin/accounts/:id/sessions/end', `/admin/accounts/${a.id}/sessions/end`),
        board('POST /admin/accounts/:id/board', `/admin/accounts/${a.id}/board`, { board: 'on' }),
        board('POST /newsroom/staff/:id/role', `/newsroom/staff/${a.id}/role`, { role: 'admin' }),
        board('POST /newsroom/staff/:id/setup-link', `/newsroom/staff/${a.id}/setup-link`),
        board('POST /staff/comments/articles/:id', `/staff/comments/articles/${article.id}`, {
          state: 'closed',
        }),
        board('POST /staff/comments/sections/:id', '/staff/comments/sections/1', {
          state: 'closed',
        }),
        board('GET /newsroom/stories/:id/revisions', `/newsroom/stories/${revised}/revisions`),
        board(
          'GET /newsroom/stories/:id/compare',
          `/newsroom/stories/${revised}/compare?from=1&to=2`,
        ),
        board(
          'POST /newsroom/stories/:id/revisions/:number/restore',
          `/newsroom/stories/${revised}/revisions/1/restore`,
          { base: '2' },
        ),
      ];
      // Any reporter reads any story's revisions; only its own reporter (or an editor) restores.
      const newsroom: Attempt[] = [
        {
          route: 'POST /newsroom/stories/:id/revisions/:number/restore',
          label: "another reporter restores A's story",
          url: `/newsroom/stories/${revised}/revisions/1/restore`,
          form: { base: '2' },
        },
      ];
      // The board's scope: a moderator manages comments and readers, not staff or the site.
      const scoped: Attempt[] = [
        {
          route: 'POST /moderation/readers/:id/sanction',
          label: 'a moderator bans an admin',
          url: `/moderation/readers/${admin.id}/sanction`,
          form: { rev: '0', sanction: 'ban', clause: '1' },
          alsoRefusal: { status: 409, reason: 'SANCTION_NOT_ALLOWED: staff are the admins’' },
        },
        {
          route: 'POST /moderation/appeals/:id/decide',
          label: 'a moderator decides the appeal against their own decision',
          url: `/moderation/appeals/${appeal.id}/decide`,
          form: { rev: String(appeal.rev), outcome: 'upheld' },
        },
        ...[
          'POST /admin/accounts/:id/role',
          'POST /admin/accounts/:id/status',
          'POST /admin/accounts/:id/sessions/end',
          'POST /admin/accounts/:id/board',
          'POST /newsroom/staff/:id/role',
          'POST /newsroom/staff/:id/setup-link',
        ].map((route) => ({
          route,
          label: `a moderator: ${route}`,
          url: route.slice(5).replace(':id', a.id),
          form: { role: 'admin', status: 'suspended', board: 'on' },
        })),
        {
          route: 'POST /staff/comments/articles/:id',
          label: "a moderator closes an article's thread",
          url: `/staff/comments/articles/${article.id}`,
          form: { state: 'closed' },
        },
      ];

      // Reporter B on reporter A's story: a reporter writes and submits their own stories only,
      // and every other step is an editor's (`may()` in src/newsroom/story.ts).
      const onA = (what: string, form: Record<string, string> = {}): Attempt => ({
        route: `POST /newsroom/stories/:id/${what}`,
        label: `reporter B: ${what} on A's story`,
        url: `/newsroom/stories/${storyA}/${what}`,
        form,
      });
      const reporterAttempts: Attempt[] = [
        onA('save', storyForm({ base: '1', headline: 'B가 고친 제목' })),
        onA('autosave', storyForm({ base: '1', headline: 'B가 자동 저장한 제목' })),
        onA('submit'),
        onA('send-back', { note: '다시 써 주세요' }),
        onA('publish'),
        onA('schedule', LATER),
        onA('unschedule'),
        onA('unpublish'),
        onA('archive'),
        onA('embargo', LATER),
        onA('embargo/lift'),
        onA('take-over'),
        onA('corrections', { kind: 'correction', body: 'B의 정정' }),
        // Restoring a revision of another reporter's story: `newsroom`, above.
      ];
      // Reader B and a moderator, on every newsroom route: refused by access, whatever the story.
      const newsroomRoutes = [...routes].filter((route) => /^\w+ \/newsroom(\/|$)/.test(route));
      const everyField = {
        ...storyForm({ base: '1' }),
        note: '메모',
        ...LATER,
        kind: 'correction',
        email: 'outsider@example.com',
        name: '외부인',
        role: 'admin',
      };
      const outsiders = (who: string): Attempt[] =>
        newsroomRoutes.map((route) => ({
          route,
          label: `${who}: ${route}`,
          url: route.replace(/^\w+ /, '').replace(':id', storyA).replace(':number', '1'),
          form: everyField,
          secret: storySecret,
        }));

      // Every route that names something by a parameter is attacked above or excused above.
      const attacked = new Set(
        [...attempts, ...scoped, ...reporterAttempts, ...newsroom].map((attempt) => attempt.route),
      );
      const withParams = [...routes].filter((route) => route.includes(':'));
      const unaccounted = withParams.filter(
        (route) => !attacked.has(route) && NOT_AN_OBJECT_OF_ANYONE[route] === undefined,
      );
      assert.deepEqual(unaccounted, [], 'every route with a :param is attacked or excused');
      const stale = [...attacked, ...Object.keys(NOT_AN_OBJECT_OF_ANYONE)].filter(
        (route) => !routes.has(route),
      );
      assert.deepEqual(stale, [], 'every route listed here exists');

      const successes: string[] = [];
      let requests = 0;
      const tryAll = async (browser: TestBrowser, list: Attempt[]) => {
        for (const attempt of list)
          for (const prefix of ['', '/ko']) {
            const method = attempt.route.split(' ')[0] ?? '';
            const before = await snapshot(handle.db);
            const response = await send(browser, method, `${prefix}${attempt.url}`, attempt.form);
            requests += 1;
            const after = await snapshot(handle.db);
            const refused =
              response.statusCode === 403 ||
              response.statusCode === 404 ||
              response.statusCode === attempt.alsoRefusal?.status;
            const leaked = attempt.secret !== undefined && response.body.includes(attempt.secret);
            const changed = !same(before, after);
            if (!refused || leaked || changed)
              successes.push(
                `${attempt.label} (${prefix}${attempt.url}): ${statusText(response)}` +
                  (leaked ? ', leaked A’s text' : '') +
                  (changed ? `, changed ${JSON.stringify(changedColumns(before, after))}` : ''),
              );
          }
      };
      await tryAll(b.browser, attempts);
      await tryAll(moderator.browser, scoped);
      await tryAll(reporterB.browser, reporterAttempts);
      await tryAll(b.browser, outsiders('reader B'));
      await tryAll(moderator.browser, outsiders('a moderator'));
      // A reporter who may not edit A's story is told who edits it (nobody here) and holds nothing.
      const locksBefore = await snapshot(handle.db);
      const presence = await reporterB.browser.post(
        `/newsroom/stories/${storyA}/presence`,
        {},
        JSON_ACCEPT,
      );
      requests += 1;
      if (presence.statusCode !== 200 || presence.json<{ holder: unknown }>().holder !== null)
        successes.push(`reporter B's presence on A's story: ${presence.body.slice(0, 200)}`);
      if (!same(locksBefore, await snapshot(handle.db)))
        successes.push("reporter B's presence on A's story took the lock");
      await tryAll(otherReporter.browser, newsroom);
      // A's data is B's to download only as B's: no parameter names another account.
      for (const query of [`?accountId=${a.id}`, `?id=${a.id}`, `?account=${a.id}`]) {
        const data = await b.browser.get(`/account/data${query}`);
        requests += 1;
        if (data.body.includes('idor.a@example.com') || data.body.includes(secret))
          successes.push(`B downloads A's data with ${query}`);
      }
      ctx.diagnostic(
        `${withParams.length} routes with a :param: ` +
          `${withParams.filter((route) => attacked.has(route)).length} attacked, ` +
          `${Object.keys(NOT_AN_OBJECT_OF_ANYONE).length} excused; ` +
          `${requests} cross-account requests, ${successes.length} successes`,
      );
      assert.deepEqual(successes, []);

      // The attempts were refused because of whose objects they were: A, and the board, may.
      assert.equal(
        (await a.browser.post(`/comments/${published}/edit`, { body: 'A가 고친 댓글' })).statusCode,
        303,
      );
      const second = await staff('moderator', '정위원');
      const granted = await second.browser.post(`/moderation/appeals/${appeal.id}/decide`, {
        rev: String(appeal.rev),
        outcome: 'granted',
      });
      assert.equal(granted.statusCode, 303, granted.body);
      const saved = await reporterA.browser.post(
        `/newsroom/stories/${storyA}/save`,
        storyForm({ base: '1', headline: 'A가 고친 제목' }),
      );
      assert.equal(saved.statusCode, 303, saved.body);
      assert.equal((await getStory(t.deps, storyA))?.content.headline, 'A가 고친 제목');
    });

    it('stores none of the extra fields posted to any form: role, status, ids, times, revisions', async (ctx) => {
      const article = await publishedArticle(t.deps);
      // Whose ids the forger writes in: an account no form here rightly touches.
      const victim = await testReader(t.deps, '피해자');
      const forged: Record<string, string> = {
        role: 'admin',
        status: 'suspended',
        account_id: victim,
        author_id: victim,
        reporter_id: victim,
        actor_id: victim,
        claimed_by: victim,
        decided_by: victim,
        added_by: victim,
        updated_by: victim,
        featured_at: FORGED_TIME,
        updated_at: FORGED_TIME,
        created_at: FORGED_TIME,
        decided_at: FORGED_TIME,
        moderation_rev: '777',
        policy_version: '777',
        up_count: '777',
        on_board: 'true',
        id: '777777',
        display_name: '주입된 이름',
        staff_email: 'forged@example.com',
        // A story's columns: who made it, which revision is live, when it goes out, where.
        created_by: victim,
        head_revision: '777',
        live_revision: '777',
        scheduled_revision: '777',
        based_on: '777',
        pending_review: 'true',
        scheduled_for: FORGED_TIME,
        embargo_until: FORGED_TIME,
        published_at: FORGED_TIME,
        modified_at: FORGED_TIME,
        path: '/2001/02/03/national/forged',
        taken_from: victim,
        article_id: '777777',
      };
      const extras: Record<string, string> = { approved: 'true', admin: 'true' };
      for (const [name, value] of Object.entries(forged)) {
        extras[name] = value;
        extras[camel(name)] = value;
      }

      const a = await reader('mass.a@example.com', '198.51.100.11');
      const b = await reader('mass.b@example.com', '198.51.100.12');
      const moderator = await staff('moderator', '한위원');
      const second = await staff('moderator', '윤위원');
      const admin = await staff('admin', '운영자');
      const target = await testReader(t.deps, '대상');
      const sanctioned = await testReader(t.deps, '제재 대상');
      const policy = await getCurrentPolicy(t.deps);
      const own = await comment(a.browser, article.id, '원래 댓글');
      const doomed = await comment(a.browser, article.id, '지울 댓글');
      const rejected = await comment(a.browser, article.id, '숨겨질 댓글');
      const claimed = await comment(b.browser, article.id, '검토할 댓글');
      await hide(moderator.browser, rejected);
      const reporter = await staff('reporter', '기자 정');
      const editor = await staff('editor', '편집자 강');
      const story = await storyOf(reporter.id, '덧붙인 필드로 고칠 기사');
      const scheduled = await storyOf(reporter.id, '예약할 기사');
      const headOf = async (id: string) => String((await getStory(t.deps, id))?.headRevision);
      const revisedStory = await staffStory('기자 병');
      const storyEditor = await staff('editor', '편집자');

      type Case = {
        route: string;
        browser: () => TestBrowser | Promise<TestBrowser>;
        url: () => string | Promise<string>;
        form: () => Record<string, string> | Promise<Record<string, string>>;
        /** Columns this form rightly sets, so a value equal to the forged one is no finding. */
        sets?: string[];
        /** A refusal that is this form's right answer here, with the reason. */
        refusal?: { status: number; reason: string };
      };
      const anonymous = new TestBrowser(t.app, '198.51.100.20');
      const invitedId = async () =>
        (
          await handle.db
            .selectFrom('accounts')
            .select('id')
            .where('staff_email', '=', 'mass.invite@example.com')
            .executeTakeFirstOrThrow()
        ).id;
      let setupLink = '';
      let setupSecret: Uint8Array = new Uint8Array();
      /** A newsroom step on a story, by the member whose step it is; in order, as a story moves. */
      const step = (
        who: { browser: TestBrowser },
        id: string,
        what: string,
        form: () => Record<string, string> | Promise<Record<string, string>> = () => ({}),
      ): Case => ({
        route: `POST /newsroom/stories/:id/${what}`,
        browser: () => who.browser,
        url: () => `/newsroom/stories/${id}/${what}`,
        form,
      });
      const newsroomCases: Case[] = [
        {
          // A new story's creator and state are the session's and the workflow's, not the form's.
          route: 'POST /newsroom/stories',
          browser: () => reporter.browser,
          url: () => '/newsroom/stories',
          form: () => storyForm({ headline: '덧붙인 필드가 있는 기사' }),
        },
        step(reporter, story, 'save', async () => storyForm({ base: await headOf(story) })),
        step(reporter, story, 'autosave', async () => storyForm({ base: await headOf(story) })),
        step(reporter, story, 'presence'),
        step(reporter, story, 'notes', () => ({ note: '사진은 내일 들어옵니다' })),
        step(reporter, story, 'submit'),
        step(editor, story, 'send-back', () => ({ note: '출처를 더 밝혀 주세요' })),
        step(editor, story, 'take-over'),
        step(editor, story, 'publish'),
        step(editor, story, 'corrections', () => ({
          kind: 'correction',
          body: '요금은 150원 오른다',
        })),
        step(editor, story, 'unpublish'),
        step(editor, story, 'archive'),
        step(editor, scheduled, 'schedule', () => LATER),
        step(editor, scheduled, 'unschedule'),
        step(editor, scheduled, 'embargo', () => LATER),
        step(editor, scheduled, 'embargo/lift'),
      ];
      const cases: Case[] = [
        ...newsroomCases,
        {
          // Restoring writes a revision: its author and time are the session's and the clock's.
          route: 'POST /newsroom/stories/:id/revisions/:number/restore',
          browser: () => storyEditor.browser,
          url: () => `/newsroom/stories/${revisedStory}/revisions/1/restore`,
          form: () => ({ base: '2' }),
        },
        {
          route: 'POST /login/email',
          browser: () => anonymous,
          url: () => '/login/email',
          form: () => ({ email: 'mass.new@example.com', returnTo: '/' }),
        },
        {
          // A new reader's account is made here: the likeliest place for `role=admin` to stick.
          route: 'POST /login/email/code',
          browser: () => anonymous,
          url: () => '/login/email/code',
          form: () => ({ code: t.mailer.lastCode('mass.new@example.com') }),
        },
        {
          route: 'POST /account/name',
          browser: () => b.browser,
          url: () => '/account/name',
          form: () => ({ displayName: '이름 바꾼 독자', returnTo: '/' }),
        },
        {
          route: 'POST /policy/accept',
          browser: () => b.browser,
          url: () => '/policy/accept',
          form: () => ({ version: String(policy.version), returnTo: '/' }),
        },
        {
          route: 'POST /articles/:articleId/comments',
          browser: () => b.browser,
          url: () => `/articles/${article.id}/comments`,
          form: () => ({ body: '덧붙인 필드가 있는 댓글', acceptPolicy: '1' }),
        },
        {
          route: 'POST /comments/:commentId/vote',
          browser: () => b.browser,
          url: () => `/comments/${own}/vote`,
          form: () => ({ value: 'up' }),
        },
        {
          route: 'POST /comments/:commentId/report',
          browser: () => b.browser,
          url: () => `/comments/${own}/report`,
          form: () => ({ clause: '2', note: '신고 사유' }),
        },
        {
          route: 'POST /comments/:commentId/edit',
          browser: () => a.browser,
          url: () => `/comments/${own}/edit`,
          form: () => ({ body: '고친 댓글' }),
        },
        {
          route: 'POST /comments/:commentId/delete',
          browser: () => a.browser,
          url: () => `/comments/${doomed}/delete`,
          form: () => ({}),
        },
        {
          route: 'POST /account/comments/:id/appeal',
          browser: () => a.browser,
          url: () => `/account/comments/${rejected}/appeal`,
          form: () => ({ reason: '부당한 결정입니다' }),
        },
        {
          route: 'POST /moderation/queue/:queue/next',
          browser: () => moderator.browser,
          url: () => '/moderation/queue/reported/next',
          form: () => ({}),
        },
        {
          route: 'POST /moderation/comments/:id/claim',
          browser: () => moderator.browser,
          url: () => `/moderation/comments/${claimed}/claim`,
          form: () => ({}),
        },
        {
          route: 'POST /moderation/comments/:id/decide',
          browser: () => moderator.browser,
          url: () => `/moderation/comments/${claimed}/decide`,
          form: async () => ({ rev: await revOf(claimed), decision: 'feature' }),
        },
        {
          route: 'POST /moderation/bulk',
          browser: () => moderator.browser,
          url: () => '/moderation/bulk',
          form: async () => ({
            queue: 'recent',
            item: `${claimed}:${await revOf(claimed)}`,
            decision: 'unfeature',
          }),
        },
        {
          route: 'POST /moderation/readers/:id/sanction',
          browser: () => moderator.browser,
          url: () => `/moderation/readers/${sanctioned}/sanction`,
          form: () => ({ rev: '0', sanction: 'warn', clause: '1', note: '경고' }),
        },
        {
          route: 'POST /moderation/appeals/:id/decide',
          browser: () => second.browser,
          url: async () => {
            const appeal = await handle.db
              .selectFrom('comment_appeals')
              .select('id')
              .where('comment_id', '=', rejected)
              .executeTakeFirstOrThrow();
            return `/moderation/appeals/${appeal.id}/decide`;
          },
          form: async () => {
            const appeal = await handle.db
              .selectFrom('comment_appeals')
              .select('rev')
              .where('comment_id', '=', rejected)
              .executeTakeFirstOrThrow();
            return { rev: String(appeal.rev), outcome: 'upheld', note: '유지' };
          },
        },
        {
          route: 'POST /staff/comments/articles/:id',
          browser: () => admin.browser,
          url: () => `/staff/comments/articles/${article.id}`,
          form: () => ({ state: 'open', closeAfterHours: '48', premoderated: 'off' }),
        },
        {
          route: 'POST /staff/comments/sections/:id',
          browser: () => admin.browser,
          url: async () => {
            const section = await handle.db
              .selectFrom('sections')
              .select('id')
              .executeTakeFirstOrThrow();
            return `/staff/comments/sections/${section.id}`;
          },
          form: () => ({ state: 'open', closeAfterHours: '', premoderated: '' }),
        },
        {
          route: 'POST /admin/pages/:key',
          browser: () => admin.browser,
          url: () => '/admin/pages/about',
          form: () => ({ bodyEn: 'About the newsroom.', bodyKo: '편집국 소개입니다.' }),
        },
        {
          route: 'POST /admin/moderation/words',
          browser: () => admin.browser,
          url: () => '/admin/moderation/words',
          form: () => ({ banned: '금칙어', suspect: '의심어' }),
        },
        {
          route: 'POST /admin/accounts/:id/role',
          browser: () => admin.browser,
          url: () => `/admin/accounts/${target}/role`,
          form: () => ({ role: 'reporter' }),
          sets: ['role'],
        },
        {
          route: 'POST /admin/accounts/:id/status',
          browser: () => admin.browser,
          url: () => `/admin/accounts/${target}/status`,
          form: () => ({ status: 'suspended' }),
          sets: ['status'],
        },
        {
          route: 'POST /admin/accounts/:id/board',
          browser: () => admin.browser,
          url: () => `/admin/accounts/${target}/board`,
          form: () => ({ board: 'on' }),
          sets: ['on_board'],
        },
        {
          route: 'POST /admin/accounts/:id/sessions/end',
          browser: () => admin.browser,
          url: () => `/admin/accounts/${target}/sessions/end`,
          form: () => ({}),
        },
        {
          // An invitation makes a staff account: `status`, `on_board` or a second address must
          // not come with it, and the role is the one chosen.
          route: 'POST /newsroom/staff/invite',
          browser: () => admin.browser,
          url: () => '/newsroom/staff/invite',
          form: () => ({ email: 'mass.invite@example.com', name: '초대한 기자', role: 'reporter' }),
        },
        {
          route: 'POST /newsroom/staff/:id/setup-link',
          browser: () => admin.browser,
          url: async () => `/newsroom/staff/${await invitedId()}/setup-link`,
          form: () => ({}),
        },
        {
          route: 'POST /newsroom/staff/:id/role',
          browser: () => admin.browser,
          url: async () => `/newsroom/staff/${await invitedId()}/role`,
          form: () => ({ role: 'editor' }),
          sets: ['role'],
        },
        {
          // A new moderator sets up their account: `role=admin` must not make them one.
          route: 'POST /staff/setup/:token',
          browser: async () => {
            const { accountId } = await addStaffAccount(t.deps, {
              email: 'mass.setup@example.com',
              role: 'moderator',
            });
            setupLink = new URL(await issueSetupLink(t.deps, accountId, 'http://localhost:3000'))
              .pathname;
            const browser = new TestBrowser(t.app, '198.51.100.30');
            const page = await browser.get(setupLink);
            const text = /class="totp-secret">([A-Z2-7 ]+)</.exec(page.body)?.[1] ?? '';
            setupSecret = decodeBase32IgnorePadding(text.replaceAll(' ', ''));
            return browser;
          },
          url: () => setupLink,
          form: () => ({
            password: PASSWORD,
            passwordAgain: PASSWORD,
            code: totpCodeAt(setupSecret, t.clock.now),
          }),
        },
        {
          route: 'POST /staff/login',
          browser: () => {
            t.clock.advance(30);
            return new TestBrowser(t.app, '198.51.100.31');
          },
          url: () => '/staff/login',
          form: () => ({
            email: 'mass.setup@example.com',
            password: PASSWORD,
            code: totpCodeAt(setupSecret, t.clock.now),
            returnTo: '/staff',
          }),
        },
        {
          route: 'POST /account/sessions/end',
          browser: () => a.browser,
          url: () => '/account/sessions/end',
          form: async () => {
            const other = await createSession(t.deps, {
              accountId: a.id,
              kind: 'reader',
              method: 'email',
              userAgent: 'idor.test',
              ip: '198.51.100.11',
            });
            const row = await handle.db
              .selectFrom('sessions')
              .select('id')
              .where('account_id', '=', a.id)
              .orderBy('id', 'desc')
              .executeTakeFirstOrThrow();
            assert.ok(other.token);
            return { session: row.id };
          },
        },
        {
          route: 'POST /account/unlink',
          browser: () => b.browser,
          url: () => '/account/unlink',
          form: () => ({ provider: 'email', subject: 'mass.b@example.com' }),
          refusal: { status: 400, reason: 'B has one identity, and the last one stays' },
        },
        {
          route: 'POST /logout',
          browser: () => b.browser,
          url: () => '/logout',
          form: () => ({ returnTo: '/' }),
        },
        {
          route: 'POST /account/delete',
          browser: () => a.browser,
          url: () => '/account/delete',
          form: () => ({ confirm: 'yes' }),
        },
      ];
      const excused: Record<string, string> = {
        'POST /admin/policy':
          'publishes a policy version from a structured editor form (policy.routes.test.ts); ' +
          'publishing one here would make every other form out of date',
        'POST /auth/:provider/start': 'no provider is configured in this app (oauth-login.test.ts)',
      };
      const posts = [...routes].filter((route) => route.startsWith('POST '));
      const listed = new Set(cases.map((c) => c.route));
      assert.deepEqual(
        posts.filter((route) => !listed.has(route) && excused[route] === undefined),
        [],
        'every POST route is fuzzed or excused',
      );

      const findings: string[] = [];
      const refusedForms: string[] = [];
      let requests = 0;
      for (const c of cases) {
        const browser = await c.browser();
        const url = await c.url();
        const form = await c.form();
        const padded = Object.fromEntries(
          Object.entries(extras).filter(([name]) => !(name in form)),
        );
        const before = await snapshot(handle.db);
        const response = await browser.post(url, { ...padded, ...form });
        requests += 1;
        const after = await snapshot(handle.db);
        if (response.statusCode >= 400 && response.statusCode !== c.refusal?.status)
          refusedForms.push(`${c.route}: ${response.statusCode} ${response.body.slice(0, 200)}`);
        for (const [table, row] of changedColumns(before, after))
          for (const [column, value] of Object.entries(row)) {
            const injected = forged[column];
            if (injected === undefined || c.sets?.includes(column)) continue;
            const stored = String(value);
            if (stored === injected)
              findings.push(`${c.route}: ${table}.${column} took the forged ${injected}`);
          }
      }
      ctx.diagnostic(
        `${cases.length} POST forms × ${Object.keys(extras).length} extra fields: ` +
          `${requests} requests, ${findings.length} stored`,
      );
      assert.deepEqual(findings, []);
      // The forms went through (so their rows were written, and checked): the extras are ignored.
      assert.deepEqual(refusedForms, []);
      const made = await handle.db
        .selectFrom('accounts')
        .innerJoin('identities', 'identities.account_id', 'accounts.id')
        .select(['accounts.role', 'accounts.status', 'accounts.on_board'])
        .where('identities.subject', '=', 'mass.new@example.com')
        .executeTakeFirstOrThrow();
      assert.deepEqual(made, { role: 'reader', status: 'active', on_board: false });
      const setUp = await handle.db
        .selectFrom('accounts')
        .select(['role', 'on_board'])
        .where('staff_email', '=', 'mass.setup@example.com')
        .executeTakeFirstOrThrow();
      assert.deepEqual(setUp, { role: 'moderator', on_board: false });
      const invited = await handle.db
        .selectFrom('accounts')
        .select(['role', 'status', 'on_board', 'display_name'])
        .where('staff_email', '=', 'mass.invite@example.com')
        .executeTakeFirstOrThrow();
      assert.deepEqual(invited, {
        role: 'editor',
        status: 'active',
        on_board: false,
        display_name: '초대한 기자',
      });
      const posted = await handle.db
        .selectFrom('comments')
        .select(['author_id', 'status', 'featured_at', 'policy_version'])
        .where('body', '=', '덧붙인 필드가 있는 댓글')
        .executeTakeFirstOrThrow();
      assert.deepEqual(posted, {
        author_id: b.id,
        status: 'published',
        featured_at: null,
        policy_version: policy.version,
      });
      const created = await handle.db
        .selectFrom('articles')
        .select(['created_by', 'status', 'published_at', 'path', 'scheduled_for', 'embargo_until'])
        .where('headline', '=', '덧붙인 필드가 있는 기사')
        .executeTakeFirstOrThrow();
      assert.deepEqual(created, {
        created_by: reporter.id,
        status: 'draft',
        published_at: null,
        path: null,
        scheduled_for: null,
        embargo_until: null,
      });
      // The steps went through in order: the story was published, then withdrawn for good.
      assert.equal((await getStory(t.deps, story))?.status, 'archived');
      assert.equal((await getStory(t.deps, scheduled))?.status, 'draft');
    });
  });
}
