import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import type { ArticleInput } from '../src/articles/article.js';
import { findArticleIdAt, saveArticles } from '../src/articles/articles.service.js';
import { SESSION_LIFETIMES } from '../src/accounts/sessions.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/db-schema.js';
import type { AppDeps } from '../src/deps.js';
import { randomToken, tokenDigest } from '../src/lib/tokens.js';
import { createLogger, openMigratedDatabase } from '../src/main.js';
import { getCurrentPolicy } from '../src/policy/policy.service.js';
import { commentText, displayName } from './generate-comment-text.js';
import { articleText, createRandom } from './generate-text.js';
import { PLACES, TOPIC_TAGS } from './generate-words.js';

/**
 * The comment benchmarks' data: `node dist/bench/generate-comments.js --out FILE [--comments
 * 10000] [--small 10] [--posters 12000] [--seed 1]`, on the app's database (DATABASE_URL, else
 * BYLINE_DATA_DIR; on PGlite no server may hold the folder). Writes the ids it made to FILE.
 *
 * - Three English articles through saveArticles (the real write path), dated 2015 so that no
 *   listing page the other scenarios measure shows them: `big` with --comments comments,
 *   `small` with --small (10), `posting` with 10 (the target of the posting and live scenarios).
 * - Comments in bulk SQL (generate_series), not through postComment: 10,000 posts one by one
 *   would take minutes on PGlite and measure nothing. Four in five are top-level; the other fifth
 *   are replies, shared evenly among every 8th top-level comment (two each); 1 % more top-level
 *   ones are hidden by a moderator (not counted, not shown to readers). The counts the app keeps,
 *   `comment_counts.published` and each thread's `reply_count`, are computed from the rows.
 * - 300 commenters and --posters readers, in bulk SQL too, each with an identity and the policy
 *   in force accepted; every poster has a session as createSession makes one (the SHA-256 of a
 *   random token), and the tokens go to FILE. A poster has posted nothing, so each may post once
 *   at once under the default limits.
 */

export type SeededArticle = { id: string; path: string };

/** What the benchmark reads back from FILE. */
export type SeededComments = {
  articles: { big: SeededArticle; small: SeededArticle; posting: SeededArticle };
  /** Published top-level comments of the posting article, which some posts reply to. */
  postingRoots: string[];
  /** Session cookies' values for readers who may each post at once. */
  tokens: string[];
};

type Db = Kysely<Database>;

const COMMENTERS = 300;
/** Distinct comment texts; rows take them in turn, so neighbours differ. */
const TEXTS = 240;
/** Seconds between two top-level comments of a seeded thread. */
const SPACING_SECONDS = 9;

type Options = { out: string; comments: number; small: number; posters: number; seed: number };

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      out: { type: 'string' },
      comments: { type: 'string', default: '10000' },
      small: { type: 'string', default: '10' },
      posters: { type: 'string', default: '12000' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (values.out === undefined) throw new Error('--out FILE is required');
  return {
    out: values.out,
    comments: wholeNumber('--comments', values.comments, 10),
    small: wholeNumber('--small', values.small, 10),
    posters: wholeNumber('--posters', values.posters, 1),
    seed: wholeNumber('--seed', values.seed, 0),
  };
}

function wholeNumber(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${flag} must be a whole number ≥ ${min}, not "${text}"`);
  return value;
}

function progress(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

/** As comments.service.ts hashes a body for the duplicate rule: case and spacing folded. */
function bodyHash(text: string): string {
  const folded = text.toLowerCase().replace(/\s+/gu, ' ').trim();
  return createHash('sha256').update(folded).digest('base64url');
}

async function createArticles(deps: AppDeps, seed: number): Promise<SeededComments['articles']> {
  // A tag of this run in the slugs: a reused database (--database-url) gets new articles.
  const run = randomBytes(3).toString('hex');
  const roles = ['big', 'small', 'posting'] as const;
  const inputs: ArticleInput[] = roles.map((role, k) => {
    const r = createRandom(seed, 11, k);
    const place = r.pick(PLACES);
    return {
      language: 'en',
      slug: `comments-bench-${role}-${run}`,
      ...articleText('en', r, { topic: 'culture', place }),
      section: 'Culture',
      tags: [place.en, ...r.sample(TOPIC_TAGS.culture, 2).map((tag) => tag.en)],
      authors: [{ name: 'Han Ye-jin', email: 'yejin.han@byline.example' }],
      publishedAt: new Date(Date.UTC(2015, 2, 2 + k, 1)),
    };
  });
  const saved = await saveArticles(deps, inputs);
  const found = await Promise.all(
    saved.map(async ({ path }) => {
      const id = await findArticleIdAt(deps, path);
      if (id === undefined) throw new Error(`${path} was saved but is not found`);
      return { id, path };
    }),
  );
  const [big, small, posting] = found;
  if (!big || !small || !posting) throw new Error('saveArticles saved fewer articles than given');
  return { big, small, posting };
}

/** Readers in bulk, each with an identity and the policy in force accepted; returns their ids. */
async function insertReaders(db: Db, names: readonly string[], policy: number): Promise<string[]> {
  const at = new Date(Date.now() - 400 * 86_400_000);
  const rows = await sql<{ id: string }>`
    insert into accounts (display_name, created_at)
    select name, ${at} from unnest(${names}::text[]) as name
    returning id`.execute(db);
  const ids = rows.rows.map((row) => row.id);
  await sql`
    insert into identities (provider, subject, account_id, created_at, last_login_at)
    select 'bench', 'reader-' || id, id, ${at}, ${at} from unnest(${ids}::bigint[]) as id`.execute(
    db,
  );
  await sql`
    insert into policy_acceptances (account_id, version, accepted_at)
    select id, ${policy}, ${at} from unnest(${ids}::bigint[]) as id`.execute(db);
  return ids;
}

/** A session per reader, as createSession stores one; returns the tokens, in the readers' order. */
async function insertSessions(db: Db, readerIds: readonly string[]): Promise<string[]> {
  const now = new Date();
  const expires = new Date(now.getTime() + SESSION_LIFETIMES.reader.absoluteSeconds * 1000);
  const tokens = readerIds.map(() => randomToken());
  await sql`
    insert into sessions (token_hash, account_id, kind, method, created_at, last_seen_at, expires_at, user_agent, ip)
    select hash, account, 'reader', 'email', ${now}, ${now}, ${expires}, 'byline-bench', '127.0.0.1'
    from unnest(${readerIds}::bigint[], ${tokens.map(tokenDigest)}::text[]) as s(account, hash)`.execute(
    db,
  );
  return tokens;
}

type Pool = { authors: string[]; bodies: string[]; hashes: string[]; policy: number };

/**
 * One article's thread of `total` published comments (see the header), newest an hour ago.
 * Returns the ids of its published top-level comments.
 */
async function seedThread(db: Db, articleId: string, total: number, pool: Pool): Promise<string[]> {
  const top = Math.round(total * 0.8);
  const hidden = Math.floor(top / 100);
  const base = new Date(Date.now() - 3_600_000 - top * SPACING_SECONDS * 1000);
  const { authors, bodies, hashes, policy } = pool;
  const na = authors.length;
  const nb = bodies.length;
  await sql`
    insert into comments (article_id, author_id, body, body_hash, status, policy_version, created_at)
    select ${articleId}, (${authors}::bigint[])[1 + (j * 7) % ${na}],
      (${bodies}::text[])[1 + (j * 13) % ${nb}], (${hashes}::text[])[1 + (j * 13) % ${nb}],
      'published', ${policy}, ${base}::timestamptz + j * ${SPACING_SECONDS} * interval '1 second'
    from generate_series(1, ${top}) as j`.execute(db);
  // Hidden by a moderator between two published ones: the readers' query must skip them.
  await sql`
    insert into comments (article_id, author_id, body, body_hash, status, policy_version, created_at)
    select ${articleId}, (${authors}::bigint[])[1 + (h * 11) % ${na}],
      (${bodies}::text[])[1 + (h * 29) % ${nb}], (${hashes}::text[])[1 + (h * 29) % ${nb}],
      'hidden', ${policy}, ${base}::timestamptz + (h * 100 * ${SPACING_SECONDS} + 4) * interval '1 second'
    from generate_series(1, ${hidden}) as h`.execute(db);
  // Replies shared evenly among every 8th published top-level comment, oldest first in each.
  const replies = total - top;
  await sql`
    insert into comments (article_id, parent_id, root_id, depth, author_id, body, body_hash, status, policy_version, created_at)
    select c.article_id, c.id, c.id, 1, (${authors}::bigint[])[1 + ((c.j * 3 + r) * 11) % ${na}],
      (${bodies}::text[])[1 + (c.j * 5 + r * 17) % ${nb}],
      (${hashes}::text[])[1 + (c.j * 5 + r * 17) % ${nb}],
      'published', ${policy}, c.created_at + r * interval '3 minutes'
    from (
      select t.*, row_number() over (order by t.j) as k, count(*) over () as roots
      from (
        select id, article_id, created_at, row_number() over (order by created_at, id) as j
        from comments where article_id = ${articleId} and parent_id is null and status = 'published'
      ) as t
      where t.j % 8 = 0
    ) as c
    cross join lateral generate_series(
      1, (${replies}::int / c.roots + case when c.k <= ${replies}::int % c.roots then 1 else 0 end)::int
    ) as r`.execute(db);
  // The counts the app keeps in step on every post, computed once from the rows.
  await sql`
    update comments as p set reply_count = x.n
    from (
      select root_id, count(*)::int as n from comments
      where article_id = ${articleId} and root_id is not null and status = 'published'
      group by root_id
    ) as x
    where p.id = x.root_id`.execute(db);
  await sql`
    insert into comment_counts (article_id, published)
    select ${articleId}, count(*)::int from comments
    where article_id = ${articleId} and status = 'published'
    on conflict (article_id) do update set published = excluded.published`.execute(db);
  const roots = await sql<{ id: string }>`
    select id from comments
    where article_id = ${articleId} and parent_id is null and status = 'published'
    order by created_at, id`.execute(db);
  return roots.rows.map((row) => row.id);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const config = loadConfig(process.env);
  const log = createLogger(config);
  const handle = await openMigratedDatabase(config, log, 'bench generate-comments');
  const started = performance.now();
  try {
    const deps: AppDeps = {
      db: handle.db,
      config,
      log,
      clock: () => new Date(),
      contentChanged: () => undefined,
    };
    const articles = await createArticles(deps, options.seed);
    const policy = (await getCurrentPolicy(deps)).version;
    const names = (count: number, stream: number) =>
      Array.from({ length: count }, (_, i) =>
        displayName(createRandom(options.seed, stream, i), i),
      );
    const authors = await insertReaders(handle.db, names(COMMENTERS, 12), policy);
    const bodies = Array.from({ length: TEXTS }, (_, i) =>
      commentText(
        i % 2 === 0 ? 'ko' : 'en',
        createRandom(options.seed, 13, i),
        config.commentMaxLength,
      ),
    );
    const pool = { authors, bodies, hashes: bodies.map(bodyHash), policy };
    progress(`seeding ${options.comments} comments on ${articles.big.path}…`);
    await seedThread(handle.db, articles.big.id, options.comments, pool);
    await seedThread(handle.db, articles.small.id, options.small, pool);
    const postingRoots = await seedThread(handle.db, articles.posting.id, 10, pool);
    progress(`making ${options.posters} readers with sessions…`);
    const posters = await insertReaders(handle.db, names(options.posters, 14), policy);
    const tokens = await insertSessions(handle.db, posters);
    const seeded: SeededComments = { articles, postingRoots, tokens };
    fs.writeFileSync(options.out, JSON.stringify(seeded));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    progress(`comments, readers and sessions made in ${seconds} s`);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`generate-comments failed: ${text}\n`);
  process.exitCode = 1;
});
