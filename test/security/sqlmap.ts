import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createSession } from '../../src/accounts/sessions.js';
import { addStaffAccount } from '../../src/accounts/staff.service.js';
import { publishedArticle, testReader } from '../../src/comments/comments.testing.js';
import { testDatabaseUrl } from '../../src/config.js';
import { openDatabase } from '../../src/db/db.js';
import { silentLog, testDeps } from '../../src/db/db-test.js';
import {
  createStory,
  publishNow,
  saveStory,
  signPreviewLink,
} from '../../src/newsroom/newsroom.service.js';
import { ensureSections, storyContent } from '../../src/newsroom/newsroom.testing.js';
import { projectRoot } from '../../src/lib/project-root.js';
import { startServer } from '../e2e/cli-process.js';

/**
 * docs/SECURITY.md, battery S6: sqlmap (Debian's) against a real `byline serve` on a PostgreSQL
 * database of its own, on the public, the logged-in reader's and the staff's parameters. The
 * targets are not a hand-kept list of fields: every form on the pages each kind of visitor sees is
 * read from the HTML the app serves (action, method, every named field with its value), plus the
 * ids and slugs in the addresses, marked for sqlmap with `*`. Each target runs at
 * `--level 3 --risk 2`.
 *
 * Fails (exit 1) on any parameter sqlmap finds injectable, on any 5xx answer it saw, and on a
 * server that stopped answering. Run it from the project root:
 *
 *   TEST_DATABASE_URL=postgres://… node --import tsx test/security/sqlmap.ts [--full] [--only TEXT]
 *
 * `.ci/run` runs it after `npm test`. Sessions are made with the app's own session service on
 * the shared database (as the two-process tests do), so no login flow is needed per target.
 */

type Target = {
  /** Who asks: the cookie set used. */
  as: 'anonymous' | 'reader' | 'staff';
  method: 'GET' | 'POST';
  /** Absolute URL; a `*` marks a place in the path to inject. */
  url: string;
  /** POST forms: the fields as the page sends them. */
  data?: string;
  from: string;
};

type Outcome = {
  target: Target;
  tested: string[];
  injectable: string[];
  serverErrors: number;
  seconds: number;
  exit: number | null;
  /** sqlmap's whole output for this target. */
  log: string;
};

/** `--full`: the battery's setting; without it, the short form CI runs on every change. */
type Depth = { level: number; risk: number };
const FULL: Depth = { level: 3, risk: 2 };
const SHORT: Depth = { level: 1, risk: 1 };
const JOBS = Number(process.env.SQLMAP_JOBS ?? 2);

/** Forms sqlmap must not submit: they end the session the run depends on. */
const SKIPPED_ACTIONS = [
  /\/logout$/,
  /\/account\/sessions\/end$/,
  /\/account\/unlink$/,
  /\/account\/delete$/,
  /\/staff\/logout$/,
];

const serverUrl = testDatabaseUrl();

function decodeEntities(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  return match === undefined ? undefined : decodeEntities(match);
}

/**
 * The forms of a page our views render (preact: double-quoted attributes, no nesting): each
 * named input (the first radio of a group, checked boxes), select (its first option) and
 * textarea (its text, or a word when empty).
 */
function formsOf(html: string, pageUrl: string, as: Target['as']): Target[] {
  const targets: Target[] = [];
  for (const form of html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)) {
    const open = /<form\b[^>]*>/.exec(form[0])?.[0] ?? '';
    const action = new URL(attribute(open, 'action') ?? pageUrl, pageUrl);
    if (SKIPPED_ACTIONS.some((pattern) => pattern.test(action.pathname))) continue;
    const method = (attribute(open, 'method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET';
    const fields = new URLSearchParams();
    const seen = new Set<string>();
    for (const tag of form[0].matchAll(/<(input|select|textarea|button)\b[^>]*>/g)) {
      const name = attribute(tag[0], 'name');
      if (name === undefined || seen.has(name)) continue;
      const type = attribute(tag[0], 'type') ?? (tag[1] === 'button' ? 'submit' : 'text');
      // A named submit button sends its value (the vote form's up or down): the first one.
      if (type === 'submit' && tag[1] === 'input') continue;
      seen.add(name);
      let value = attribute(tag[0], 'value') ?? '';
      if (tag[1] === 'select') {
        const rest = form[0].slice(tag.index + tag[0].length);
        value = decodeEntities(/<option\b[^>]*value="([^"]*)"/.exec(rest)?.[1] ?? '');
      } else if (tag[1] === 'textarea') {
        const rest = form[0].slice(tag.index + tag[0].length);
        value = decodeEntities(/^([^<]*)<\/textarea>/.exec(rest)?.[1] ?? '') || 'sqlmap probe';
      } else if (value === '' && type !== 'hidden') {
        value = type === 'email' ? 'probe@example.com' : type === 'number' ? '1' : 'probe';
      }
      fields.append(name, value);
    }
    // A form of buttons alone (take the next item, end sessions) has nothing to inject into.
    if ([...fields.keys()].every((name) => name === '_csrf')) continue;
    if (method === 'GET') {
      for (const [name, value] of fields) action.searchParams.set(name, value);
      targets.push({ as, method, url: action.href, from: pageUrl });
    } else {
      targets.push({ as, method, url: action.href, data: fields.toString(), from: pageUrl });
    }
  }
  return targets;
}

/**
 * Targets from addresses whose parameters are written in braces, `/articles/{9}/comments`: one
 * target per parameter, marked with `*` for sqlmap; a query string is a target of its own (sqlmap
 * tests every parameter of it).
 */
function pathTargets(base: string, as: Target['as'], paths: readonly string[]): Target[] {
  const targets: Target[] = [];
  for (const template of paths) {
    const count = [...template.matchAll(/\{([^}]*)\}/g)].length;
    for (let index = 0; index < count; index += 1) {
      let seen = -1;
      const marked = template.replace(/\{([^}]*)\}/g, (_all, value: string) => {
        seen += 1;
        return seen === index ? `${value}*` : value;
      });
      targets.push({
        as,
        method: 'GET',
        url: `${base}${marked.split('?')[0] ?? ''}`,
        from: 'address',
      });
    }
    const plain = template.replace(/\{([^}]*)\}/g, '$1');
    if (plain.includes('?'))
      targets.push({ as, method: 'GET', url: `${base}${plain}`, from: 'query' });
  }
  return targets;
}

function runSqlmap(
  target: Target,
  cookies: Record<Target['as'], string>,
  depth: Depth,
  output: string,
  index: number,
): Promise<Outcome> {
  const first = index === 0;
  const name = `target-${String(index + 1).padStart(2, '0')}`;
  const log = path.join(output, `${name}.log`);
  const started = performance.now();
  const args = [
    '-u',
    target.url,
    '--batch',
    `--level=${depth.level}`,
    `--risk=${depth.risk}`,
    '--flush-session',
    // A folder each: sqlmap keeps its session in SQLite, and two runs sharing one file fail
    // on each other's locks ("problem occurred while accessing session file").
    `--output-dir=${path.join(output, name)}`,
    '--disable-coloring',
    // Every request from another client address, believed because the app trusts the loopback
    // proxy here: the run tests the queries, not the per-client rate limits (S10 does).
    '--tamper=xforwardedfor',
    '--headers=Sec-Fetch-Site: same-origin',
    // The CSRF token is ours, fixed; cookies and headers other than the first target's are
    // tested once, on the first target, not again on every form.
    `--skip=_csrf${first ? '' : ',User-Agent,Referer,byline_session,byline_csrf,byline_device'}`,
  ];
  if (target.url.includes('*')) args.push('--answers=custom injection marker=Y');
  if (cookies[target.as] !== '') args.push(`--cookie=${cookies[target.as]}`);
  if (target.method === 'POST') args.push(`--data=${target.data ?? ''}`, '--method=POST');
  return new Promise((resolve, reject) => {
    const child = spawn('sqlmap', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exit) => {
      fs.writeFileSync(log, out);
      const tested = [
        ...new Set(
          [...out.matchAll(/testing for SQL injection on (\S+ parameter '[^']+')/g)].map(
            (m) => m[1] ?? '',
          ),
        ),
      ];
      // What sqlmap confirmed, not what it suspected and then called a false positive: the
      // "identified the following injection point(s)" block, one "Parameter:" line each.
      const confirmed =
        /identified the following injection point\(s\)[\s\S]*?\n---\n([\s\S]*?)\n---/.exec(
          out,
        )?.[1];
      const injectable = [...(confirmed ?? '').matchAll(/^Parameter: (.+)$/gm)].map(
        (m) => m[1] ?? '',
      );
      if (confirmed !== undefined && injectable.length === 0) injectable.push(`see ${log}`);
      const serverErrors = [...out.matchAll(/^(5\d\d) \([^)]*\) - (\d+) times/gm)].reduce(
        (sum, m) => sum + Number(m[2]),
        0,
      );
      resolve({
        target,
        tested,
        injectable,
        serverErrors,
        seconds: Math.round((performance.now() - started) / 100) / 10,
        exit,
        log,
      });
    });
  });
}

async function main(): Promise<number> {
  if (!serverUrl) {
    process.stderr.write('sqlmap.ts needs TEST_DATABASE_URL (a PostgreSQL server).\n');
    return 2;
  }
  const name = `byline_sqlmap_${randomBytes(4).toString('hex')}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-sqlmap-'));
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(
    `create database ${pg.escapeIdentifier(name)} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
  );
  const server = await startServer({
    DATABASE_URL: url.toString(),
    BYLINE_DATA_DIR: dataDir,
    BYLINE_TRUSTED_PROXY: '127.0.0.1',
    // sqlmap posts hundreds of comments as one reader: the limits would answer 429 before any
    // query that takes the injected text ran.
    BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
    BYLINE_COMMENTS_PER_ARTICLE_PER_DAY: '10000',
    BYLINE_COMMENT_VOTES_PER_DAY: '100000',
    BYLINE_COMMENT_DUPLICATE_HOURS: '0',
  });
  const handle = await openDatabase(
    { kind: 'postgres', url: url.toString() },
    { log: silentLog, purpose: 'test' },
  );
  const outcomes: Outcome[] = [];
  const depth = process.argv.includes('--full') ? FULL : SHORT;
  try {
    const deps = testDeps(handle, { clock: () => new Date() });
    const base = server.url;
    const article = await publishedArticle(deps);
    const readerId = await testReader(deps, 'sqlmap reader');
    const otherId = await testReader(deps, 'sqlmap author');
    const session = async (accountId: string, kind: 'reader' | 'staff') =>
      (
        await createSession(deps, {
          accountId,
          kind,
          method: kind === 'staff' ? 'password' : 'email',
          userAgent: 'sqlmap.ts',
          ip: '127.0.0.1',
        })
      ).token;
    const { accountId: adminId } = await addStaffAccount(deps, {
      email: 'sqlmap-admin@example.com',
      role: 'admin',
      displayName: 'Sqlmap Admin',
    });
    const csrf = randomBytes(32).toString('base64url');
    const cookies = {
      anonymous: `byline_csrf=${csrf}`,
      reader: `byline_session=${await session(readerId, 'reader')}; byline_csrf=${csrf}`,
      staff: `byline_session=${await session(adminId, 'staff')}; byline_csrf=${csrf}`,
    };
    const otherCookie = `byline_session=${await session(otherId, 'reader')}; byline_csrf=${csrf}`;
    const send = async (cookie: string, pathname: string, form: Record<string, string>) => {
      const response = await fetch(`${base}${pathname}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie,
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
        },
        body: new URLSearchParams({ _csrf: csrf, ...form }),
      });
      const text = await response.text();
      if (response.status >= 400) throw new Error(`POST ${pathname}: ${response.status} ${text}`);
      return text;
    };
    const page = async (cookie: string, pathname: string) => {
      const response = await fetch(`${base}${pathname}`, {
        headers: { cookie },
        redirect: 'manual',
      });
      const html = await response.text();
      if (response.status !== 200) throw new Error(`GET ${pathname}: ${response.status}`);
      return html;
    };
    const commentId = (json: string) => {
      const id = /"id":"(\d+)"/.exec(json)?.[1];
      if (id === undefined) throw new Error(`no comment id in ${json}`);
      return id;
    };
    // Something on every page: the reader's own comments (one to edit, one the board hides and
    // the reader appeals), another reader's (report and vote forms, a reply), and a report.
    const commentsPath = `/articles/${article.id}/comments`;
    const hidden = commentId(await send(cookies.reader, commentsPath, { body: '첫 댓글입니다.' }));
    const editable = commentId(await send(cookies.reader, commentsPath, { body: 'A second one.' }));
    const theirs = commentId(await send(otherCookie, commentsPath, { body: 'Another reader.' }));
    await send(cookies.reader, `/comments/${theirs}/report`, { clause: '1', note: 'off topic' });
    const rev = /name="rev" value="(\d+)"/.exec(
      await page(cookies.staff, `/moderation/comments/${hidden}`),
    )?.[1];
    await send(cookies.staff, `/moderation/comments/${hidden}/decide`, {
      rev: rev ?? '',
      decision: 'reject',
      clause: '1',
    });
    const appealPath = `/account/comments/${hidden}/appeal`;
    const [appealForm] = formsOf(
      await page(cookies.reader, appealPath),
      `${base}${appealPath}`,
      'reader',
    );
    await send(cookies.reader, appealPath, {
      ...Object.fromEntries(new URLSearchParams(appealForm?.data ?? '')),
      reason: 'I meant no harm.',
    });
    const appealId = /\/moderation\/appeals\/(\d+)/.exec(
      await page(cookies.staff, '/moderation/queue/appeals'),
    )?.[1];
    if (appealId === undefined) throw new Error('the appeal is not in the appeals queue');
    // The newsroom: a draft (its editor and workflow forms) and a published story (corrections,
    // unpublish), and a signed preview link, the one newsroom address open to anyone.
    await ensureSections(handle);
    const editor = { accountId: adminId, role: 'admin' } as const;
    const draftContent = storyContent();
    const draft = (await createStory(deps, editor, draftContent)).id;
    // A second revision: the revisions page offers its restore forms, the compare page a diff.
    await saveStory(deps, editor, draft, 1, { ...draftContent, headline: 'Subway fares rise' });
    const live = (await createStory(deps, editor, storyContent({ headline: 'Live story' }))).id;
    await publishNow(deps, editor, live);
    const preview = await signPreviewLink(deps, draft);

    const pages: Record<Target['as'], string[]> = {
      anonymous: ['/', '/ko', article.path, '/login', '/staff/login', '/policy', '/transparency'],
      reader: [
        article.path,
        commentsPath,
        `/comments/${theirs}`,
        `/comments/${editable}/edit`,
        `/comments/${theirs}/report`,
        '/account',
        '/account/name',
        '/account/comments',
        appealPath,
      ],
      staff: [
        '/staff',
        '/staff/comments',
        '/moderation/queue/pending',
        '/moderation/queue/reported',
        '/moderation/queue/recent',
        '/moderation/queue/appeals',
        `/moderation/comments/${theirs}`,
        `/moderation/appeals/${appealId}`,
        '/admin/moderation/words',
        '/admin/policy',
        '/admin/accounts',
        '/newsroom',
        '/newsroom/stories/new',
        `/newsroom/stories/${draft}`,
        `/newsroom/stories/${live}`,
        `/newsroom/stories/${draft}/revisions`,
      ],
    };
    const targets: Target[] = [
      ...pathTargets(base, 'anonymous', [
        article.path.replace(/^\/(\d+)\/(\d+)\/(\d+)\/([^/]+)\/(.+)$/, '/{$1}/{$2}/{$3}/{$4}/{$5}'),
        `/articles/{${article.id}}/comments?sort=oldest`,
        `/comments/{${theirs}}`,
        '/section/{national}',
        '/policy/versions/{1}',
        `/preview/{${draft}}?expires=${String(preview.expires)}&signature=${preview.signature}`,
      ]),
      ...pathTargets(base, 'reader', [
        `/comments/{${editable}}/edit`,
        `/account/comments/{${hidden}}/appeal`,
      ]),
      ...pathTargets(base, 'staff', [
        `/moderation/comments/{${theirs}}`,
        `/moderation/appeals/{${appealId}}`,
        '/moderation/queue/{pending}',
        // The list's filters and search, besides the filter form read from the page.
        '/newsroom?q=subway&status=draft&section=national&author=sqlmap-admin&language=en&from=2026-01-01&to=2030-12-31',
        `/newsroom/stories/{${draft}}?done=saved`,
        `/newsroom/stories/{${draft}}/preview`,
        `/newsroom/stories/{${draft}}/compare?from=1&to=2`,
      ]),
    ];
    for (const as of ['anonymous', 'reader', 'staff'] as const) {
      for (const pathname of pages[as])
        targets.push(...formsOf(await page(cookies[as], pathname), `${base}${pathname}`, as));
    }
    // The editor's script posts the story form to the autosave address: the same fields, JSON
    // answers, a query of its own.
    const saveForm = targets.find((t) => t.method === 'POST' && t.url.endsWith(`/${draft}/save`));
    if (saveForm === undefined) throw new Error('no save form on the story page');
    targets.push({ ...saveForm, url: saveForm.url.replace(/\/save$/, '/autosave') });
    // One target per form kind: the vote forms of twenty comments are one form. Forms that
    // change who may do what (accounts, sanctions, the policy) run last, after the reader's.
    const unique = new Map<string, Target>();
    for (const target of targets) {
      const shape = `${target.as} ${target.method} ${new URL(target.url.replace('*', '')).pathname.replace(/\d+/g, 'N')} ${target.url.includes('*') ? target.url : ''} ${[...new URLSearchParams(target.data ?? new URL(target.url.replace('*', '')).search).keys()].join(',')}`;
      if (!unique.has(shape)) unique.set(shape, target);
    }
    const last = (t: Target) => (/\/admin\/(accounts|policy)|\/sanction/.test(t.url) ? 1 : 0);
    // `--only TEXT` runs the targets whose address contains TEXT: one target again, at depth.
    const only = process.argv[process.argv.indexOf('--only') + 1];
    const ordered = [...unique.values()]
      .filter((t) => !process.argv.includes('--only') || t.url.includes(only ?? ''))
      .sort((a, b) => last(a) - last(b));
    const output = path.join(projectRoot(), 'test-results', 'sqlmap');
    fs.rmSync(output, { recursive: true, force: true });
    fs.mkdirSync(output, { recursive: true });
    process.stderr.write(
      `sqlmap --level ${depth.level} --risk ${depth.risk}: ${ordered.length} targets against ${base}, ${JOBS} at a time; logs in ${output}\n`,
    );
    const run = async (index: number) => {
      const target = ordered[index];
      if (target === undefined) return;
      const outcome = await runSqlmap(target, cookies, depth, output, index);
      outcomes[index] = outcome;
      const fields = target.data
        ? ` [${[...new URLSearchParams(target.data).keys()].join(', ')}]`
        : '';
      process.stderr.write(
        `${String(index + 1).padStart(2)} ${target.as.padEnd(9)} ${target.method.padEnd(4)} ${target.url.replace(base, '')}${fields}: ${outcome.tested.length} tested, ${outcome.injectable.length} injectable, ${outcome.serverErrors} 5xx, ${outcome.seconds} s\n`,
      );
      const alive = await fetch(`${base}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (alive !== 200)
        throw new Error(`the app stopped answering after ${target.url} (readyz ${alive})`);
    };
    // A pool of JOBS workers over the ordinary targets, then the ones that change who may do
    // what, one at a time, after every reader's target has run.
    const ordinary = ordered.filter((t) => last(t) === 0).length;
    let next = 0;
    await Promise.all(
      Array.from({ length: JOBS }, async () => {
        while (next < ordinary) await run(next++);
      }),
    );
    for (let index = ordinary; index < ordered.length; index += 1) await run(index);
  } finally {
    await server.stop();
    await handle.close();
    await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const tested = outcomes.reduce((sum, o) => sum + o.tested.length, 0);
  const injectable = outcomes.flatMap((o) => o.injectable.map((p) => `${o.target.url} ${p}`));
  const serverErrors = outcomes.reduce((sum, o) => sum + o.serverErrors, 0);
  const untested = outcomes.filter((o) => o.tested.length === 0).map((o) => o.target.url);
  process.stdout.write(
    `\nS6 sqlmap --level ${depth.level} --risk ${depth.risk}: ${outcomes.length} targets, ${tested} parameters tested, ${injectable.length} injectable, ${serverErrors} answers 5xx, ${untested.length} targets with no parameter tested, ${Math.round(outcomes.reduce((s, o) => s + o.seconds, 0))} s\n`,
  );
  for (const line of injectable) process.stdout.write(`INJECTABLE ${line}\n`);
  for (const o of outcomes.filter((x) => x.serverErrors > 0))
    process.stdout.write(`5xx: ${o.target.url} (${o.log})\n`);
  for (const url of untested) process.stdout.write(`untested: ${url}\n`);
  return injectable.length > 0 || serverErrors > 0 || untested.length > 0 ? 1 : 0;
}

process.exitCode = await main();
