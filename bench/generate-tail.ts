import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql, type RawBuilder } from 'kysely';
import type { AppDeps } from '../src/deps.js';
import { getCurrentPolicy } from '../src/policy/policy.service.js';
import { createPipeline, progress, unbounded } from './generate-clones.js';
import { commentText, displayName } from './generate-comment-text.js';
import { createRandom, type Random } from './generate-text.js';

/**
 * `generate.js --comments M`: M comments over every published article of the database, with a
 * long tail, in bulk SQL as generate-comments.ts writes its threads.
 *
 * - **Who gets how many.** The three most-commented stories are three of the 50 newest articles
 *   and get 0.5 %, 0.3 % and 0.2 % of M (50,000, 30,000 and 20,000 of 10 million), arriving
 *   within an hour of publication for the first, six hours for the other two. Every other
 *   article, in a seeded random order, gets a share falling as rank^-0.6 times an exponential
 *   draw: over 1,000,000 articles and 10,000,000 comments 7.4 % got none, the median 5, 94.9 %
 *   at most 30, 149 over 1,000. Each thread spans 36 hours from a minute after
 *   publication (never past now).
 * - **Shape of a thread**: a fifth of the rows are replies (rounded), to every 4th top-level
 *   comment, shared evenly, two minutes apart; every 100th top-level row is hidden by a
 *   moderator (stored, not counted). `reply_count` and `comment_counts.published` are written
 *   with the rows, from the same arithmetic, in the same statement.
 * - **Readers**: --readers accounts (default M / 30), each with an identity and the policy in
 *   force accepted, none with a session. Authors are drawn with a skew (u^1.5): some readers
 *   write many comments, most a few.
 * - Batches of about BATCH_COMMENTS comments, one statement and so one transaction each, two
 *   at a time, articles in id order; generate.ts runs VACUUM (ANALYZE) at the end.
 */

const TOP_SHARES = [0.005, 0.003, 0.002] as const;
/** The top stories are drawn from this many of the newest articles. */
const TOP_FROM_NEWEST = 50;
const EXPONENT = 0.6;
const REPLY_SHARE = 0.2;
const BATCH_COMMENTS = 100_000;
const BATCH_ARTICLES = 20_000;
const READER_BATCH = 50_000;
const NAMES = 5_000;
const TEXTS = 240;
const HOUR_MS = 3_600_000;
/** The comments' own PRNG streams. */
const STREAM = { names: 31, texts: 32, ranks: 33, shares: 34 } as const;

export type TailOptions = {
  comments: number;
  readers: number;
  seed: number;
  stop: AbortSignal;
};

/** As comments.service.ts hashes a body for the duplicate rule: case and spacing folded. */
function bodyHash(text: string): string {
  const folded = text.toLowerCase().replace(/\s+/gu, ' ').trim();
  return createHash('sha256').update(folded).digest('base64url');
}

function shuffle(items: Int32Array, r: Random): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = r.int(0, i);
    const item = items[i] ?? 0;
    items[i] = items[j] ?? 0;
    items[j] = item;
  }
}

/**
 * Comments per article (indexes into `published`), summing to `total` exactly: the top stories'
 * fixed shares, then rank^-EXPONENT × an exponential draw, rounded cumulatively.
 */
export function commentCounts(published: Float64Array, total: number, seed: number) {
  const n = published.length;
  const counts = new Int32Array(n);
  const windows = new Float64Array(n).fill(36 * HOUR_MS);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const r = createRandom(seed, STREAM.ranks, 0);
  // The top stories among the newest articles, the rest in a random order.
  const newest = [...order].sort((a, b) => (published[b] ?? 0) - (published[a] ?? 0));
  const candidates = Int32Array.from(newest.slice(0, Math.min(TOP_FROM_NEWEST, n)));
  shuffle(candidates, r);
  const top = [...candidates.slice(0, Math.min(TOP_SHARES.length, n))];
  const rest = Int32Array.from(order.filter((i) => !top.includes(i)));
  shuffle(rest, r);
  let left = total;
  top.forEach((index, k) => {
    const count = Math.min(left, Math.round(total * (TOP_SHARES[k] ?? 0)));
    counts[index] = count;
    windows[index] = (k === 0 ? 1 : 6) * HOUR_MS;
    left -= count;
  });
  const share = createRandom(seed, STREAM.shares, 0);
  const weights = new Float64Array(rest.length);
  let sum = 0;
  for (let k = 0; k < rest.length; k += 1) {
    const weight = (k + top.length + 1) ** -EXPONENT * -Math.log(1 - share.float());
    weights[k] = weight;
    sum += weight;
  }
  let cumulative = 0;
  let given = 0;
  for (let k = 0; k < rest.length; k += 1) {
    cumulative += ((weights[k] ?? 0) * left) / sum;
    const upTo = k === rest.length - 1 ? left : Math.round(cumulative);
    counts[rest[k] ?? 0] = upTo - given;
    given = upTo;
  }
  return { counts, windows };
}

async function insertReaders(deps: AppDeps, count: number, seed: number, policy: number) {
  const names = Array.from({ length: NAMES }, (_, i) =>
    displayName(createRandom(seed, STREAM.names, i), i),
  );
  const at = new Date(Date.now() - 400 * 86_400_000).toISOString();
  const ids: string[] = [];
  for (let from = 0; from < count; from += READER_BATCH) {
    const to = Math.min(from + READER_BATCH, count) - 1;
    const statement = sql<{ id: string }>`
      with a as (
        insert into accounts (display_name, created_at)
        select (${names}::text[])[1 + g % ${NAMES}], ${at}::timestamptz
        from generate_series(${from}::int, ${to}::int) as g
        returning id
      ),
      i as (
        insert into identities (provider, subject, account_id, created_at, last_login_at)
        select 'bench', 'scale-reader-' || id, id, ${at}::timestamptz, ${at}::timestamptz from a
      ),
      p as (
        insert into policy_acceptances (account_id, version, accepted_at)
        select id, ${policy}::int, ${at}::timestamptz from a
      )
      select id from a order by id`;
    const rows = await unbounded(deps.db, (trx) => statement.execute(trx));
    ids.push(...rows.rows.map((row) => row.id));
    progress(`${ids.length} / ${count} readers`);
  }
  return ids;
}

type Batch = {
  ids: string[];
  tops: number[];
  replies: number[];
  published: number[];
  starts: string[];
  spacing: number[];
  comments: number;
};

const emptyBatch = (): Batch => ({
  ids: [],
  tops: [],
  replies: [],
  published: [],
  starts: [],
  spacing: [],
  comments: 0,
});

type Shared = { readers: string[]; bodies: string[]; hashes: string[]; policy: number };

/**
 * One batch of articles' threads in one statement: the top-level rows (each chosen root with the
 * reply count it is about to get), the replies to them, and the articles' published counts.
 */
async function insertThreads(deps: AppDeps, batch: Batch, shared: Shared): Promise<void> {
  const { readers, bodies, hashes, policy } = shared;
  const now = new Date().toISOString();
  const nr = readers.length;
  const nb = bodies.length;
  // A reader for a hash h (an int4): u = (h + 2^31) / 2^32 in [0, 1), the reader u^1.5 × nr.
  const reader = (h: RawBuilder<unknown>) =>
    sql`(${readers}::bigint[])[1 + floor(${nr}::int * power((${h}::bigint + 2147483648) / 4294967296.0, 1.5))::int]`;
  const statement = sql`
    with t as (
      select * from unnest(
        ${batch.ids}::bigint[], ${batch.tops}::int[], ${batch.replies}::int[],
        ${batch.starts}::timestamptz[], ${batch.spacing}::float8[]
      ) as t(article_id, top, replies, start_at, spacing)
    ),
    roots as (
      insert into comments (article_id, author_id, body, body_hash, status, policy_version,
        created_at, reply_count)
      select t.article_id, ${reader(sql`hashint8(t.article_id * 1048576 + j)`)},
        (${bodies}::text[])[(1 + (t.article_id + j * 13) % ${nb}::int)::int],
        (${hashes}::text[])[(1 + (t.article_id + j * 13) % ${nb}::int)::int],
        case when j % 100 = 0 then 'hidden' else 'published' end, ${policy}::int,
        t.start_at + (j - 1) * t.spacing * interval '1 second',
        case when j % 4 = 1
          then t.replies / ((t.top + 3) / 4)
            + case when (j - 1) / 4 + 1 <= t.replies % ((t.top + 3) / 4) then 1 else 0 end
          else 0 end
      from t cross join lateral generate_series(1, t.top) as j
      returning id, article_id, created_at, reply_count
    ),
    replies as (
      insert into comments (article_id, parent_id, root_id, depth, author_id, body, body_hash,
        status, policy_version, created_at)
      select r.article_id, r.id, r.id, 1, ${reader(sql`hashint8(r.id * 1024 + k)`)},
        (${bodies}::text[])[(1 + (r.id * 7 + k * 17) % ${nb}::int)::int],
        (${hashes}::text[])[(1 + (r.id * 7 + k * 17) % ${nb}::int)::int],
        'published', ${policy}::int, least(r.created_at + k * interval '2 minutes', ${now}::timestamptz)
      from roots as r cross join lateral generate_series(1, r.reply_count) as k
      where r.reply_count > 0
    )
    insert into comment_counts (article_id, published)
    select * from unnest(${batch.ids}::bigint[], ${batch.published}::int[])
    on conflict (article_id) do update set published = comment_counts.published + excluded.published`;
  await unbounded(deps.db, (trx) => statement.execute(trx));
}

/** Adds the comments and readers; answers how many comments were written. */
export async function longTailComments(deps: AppDeps, options: TailOptions): Promise<number> {
  const started = performance.now();
  const policy = (await getCurrentPolicy(deps)).version;
  const articles = await sql<{ id: string; published_ms: number }>`
    select id, (extract(epoch from published_at) * 1000)::float8 as published_ms
    from articles where status = 'published' order by id`.execute(deps.db);
  const n = articles.rows.length;
  if (n === 0) throw new Error('--comments needs published articles: there are none');
  const published = Float64Array.from(articles.rows, (row) => row.published_ms);
  const { counts, windows } = commentCounts(published, options.comments, options.seed);
  progress(`${options.comments} comments over ${n} articles; making ${options.readers} readers…`);
  const readers = await insertReaders(deps, options.readers, options.seed, policy);
  const bodies = Array.from({ length: TEXTS }, (_, i) =>
    commentText(
      i % 2 === 0 ? 'ko' : 'en',
      createRandom(options.seed, STREAM.texts, i),
      deps.config.commentMaxLength,
    ),
  );
  const shared = { readers, bodies, hashes: bodies.map(bodyHash), policy };
  const now = Date.now();
  let written = 0;
  let batch = emptyBatch();
  const pipeline = createPipeline();
  const flush = async () => {
    const full = batch;
    batch = emptyBatch();
    if (full.ids.length === 0) return;
    await pipeline.add(async () => {
      await insertThreads(deps, full, shared);
      written += full.comments;
      const seconds = (performance.now() - started) / 1000;
      progress(`${written} / ${options.comments} comments (${Math.round(written / seconds)}/s)`);
    });
  };
  for (let i = 0; i < n; i += 1) {
    const count = counts[i] ?? 0;
    if (count === 0) continue;
    const replies = Math.round(count * REPLY_SHARE);
    const top = count - replies;
    const start = (published[i] ?? now) + 60_000;
    const window = Math.max(0, Math.min(windows[i] ?? 0, now - start - 300_000));
    batch.ids.push(articles.rows[i]?.id ?? '');
    batch.tops.push(top);
    batch.replies.push(replies);
    batch.published.push(count - Math.floor(top / 100));
    batch.starts.push(new Date(start).toISOString());
    batch.spacing.push(window / 1000 / top);
    batch.comments += count;
    if (batch.comments >= BATCH_COMMENTS || batch.ids.length >= BATCH_ARTICLES) {
      await nextTurn();
      if (options.stop.aborted) break;
      await flush();
    }
  }
  if (!options.stop.aborted) await flush();
  await pipeline.drain();
  return written;
}
