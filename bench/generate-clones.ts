import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql, type Kysely, type Transaction } from 'kysely';
import { articlePath, type Language } from '../src/articles/article.js';
import { notifyContentChanged } from '../src/db/db-notify.js';
import { EVERYTHING } from '../src/lib/content-change.js';
import type { Database } from '../src/db/db-schema.js';
import type { AppDeps } from '../src/deps.js';
import { DAY_MS, SPREAD_MS, slugFor } from './generate-articles.js';
import { createRandom, headlineText } from './generate-text.js';
import type { Bilingual, Topic } from './generate-words.js';

/**
 * The bulk mode of generate.ts: articles made in SQL from a pool of articles saved through the
 * real write path. Each clone is a new row of `articles` (its own id, a headline of its own
 * written for its pool article's topic and place, a unique slug from that headline and its serial
 * number, its own dates and so its own path) with the pool article's summary, body, section and
 * credit, and copies of its bylines and tags rows. Clones are not translations (translation_id
 * stays null). Batches of CLONE_BATCH, one statement and so one transaction each.
 */

/** Clones per statement: a few seconds each on PostgreSQL, so progress moves and a stop is quick. */
const CLONE_BATCH = 10_000;
/** A national daily's output in both editions: the clones' dates go back this many a day at most. */
const ARTICLES_PER_DAY = 400;
/** The clones' own PRNG stream, apart from the plans (1), texts (2) and shifts (3). */
const CLONE = 4;

/** What a clone needs of its pool article, besides the row: what its headline should be about. */
export type PoolArticle = { language: Language; slug: string; topic: Topic; place: Bilingual };

export function progress(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

/**
 * A bulk statement in a transaction of its own without the app's statement timeout (15 s), which
 * a batch on a busy server may outlast.
 */
export function unbounded<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set local statement_timeout = 0`.execute(trx);
    return work(trx);
  });
}

/**
 * Runs bulk statements two at a time: PostgreSQL works on one while the generator prepares the
 * next (or on both, one a core). The first failure stops the rest and is thrown.
 */
export function createPipeline(limit = 2) {
  const running = new Set<Promise<void>>();
  let failed: { error: unknown } | undefined;
  const check = () => {
    if (failed) throw failed.error;
  };
  return {
    async add(work: () => Promise<void>): Promise<void> {
      check();
      const done: Promise<void> = work()
        .catch((error: unknown) => {
          failed ??= { error };
        })
        .finally(() => running.delete(done));
      running.add(done);
      while (running.size >= limit) await Promise.race(running);
      check();
    },
    async drain(): Promise<void> {
      await Promise.all(running);
      check();
    },
  };
}

type PoolRow = { id: string; language: Language; sectionSlug: string } & PoolArticle;

async function readPool(deps: AppDeps, pool: readonly PoolArticle[]): Promise<PoolRow[]> {
  const rows = await sql<{ id: string; language: Language; slug: string; section_slug: string }>`
    select a.id, a.language, a.slug, s.slug as section_slug
    from unnest(${pool.map((p) => p.language)}::text[], ${pool.map((p) => p.slug)}::text[]) as k(language, slug)
    join articles as a on a.language = k.language and a.slug = k.slug
    join sections as s on s.id = a.section_id
    where a.status = 'published'`.execute(deps.db);
  const found = new Map(rows.rows.map((row) => [`${row.language}:${row.slug}`, row]));
  return pool.map((p) => {
    const row = found.get(`${p.language}:${p.slug}`);
    if (!row) throw new Error(`pool article ${p.language}:${p.slug} is not in the database`);
    return { ...p, id: row.id, sectionSlug: row.section_slug };
  });
}

/** The clone with serial number `serial`, from pool article (serial - 1) mod pool size. */
function planClone(seed: number, serial: number, from: PoolRow, day: number, spreadMs: number) {
  const r = createRandom(seed, CLONE, serial);
  const headline = headlineText(from.language, r, { topic: from.topic, place: from.place });
  const slug = slugFor(headline, serial);
  const publishedAt = new Date(day - r.int(DAY_MS / 60_000, spreadMs / 60_000) * 60_000);
  const updatedAt = r.chance(0.2)
    ? new Date(publishedAt.getTime() + r.int(30, 600) * 60_000)
    : null;
  return { headline, slug, publishedAt, updatedAt };
}

export type CloneOptions = {
  seed: number;
  /** The saved pool, in serial order: serial i + 1 is pool[i]. */
  pool: readonly PoolArticle[];
  /** Serial numbers pool.length + 1 … total are cloned. */
  total: number;
  /** Midnight UTC of the run's day, as generate.ts dates its articles. */
  day: number;
  stop: AbortSignal;
};

/** Inserts the clones batch by batch; answers how many rows were added (existing slugs are skipped). */
export async function cloneArticles(deps: AppDeps, options: CloneOptions): Promise<number> {
  const pool = await readPool(deps, options.pool);
  const first = pool.length + 1;
  const clones = options.total - pool.length;
  const spreadMs = Math.max(SPREAD_MS, Math.ceil(options.total / ARTICLES_PER_DAY) * DAY_MS);
  const timeZone = deps.config.timeZone;
  const started = performance.now();
  let added = 0;
  let done = 0;
  const pipeline = createPipeline();
  progress(
    `cloning ${clones} articles from a pool of ${pool.length}, dated over ${Math.round(spreadMs / DAY_MS)} days`,
  );
  for (let start = first; start <= options.total; start += CLONE_BATCH) {
    await nextTurn();
    if (options.stop.aborted) break;
    const end = Math.min(start + CLONE_BATCH - 1, options.total);
    const rows = {
      pool: [] as string[],
      headline: [] as string[],
      slug: [] as string[],
      path: [] as string[],
      published: [] as string[],
      updated: [] as (string | null)[],
    };
    for (let serial = start; serial <= end; serial += 1) {
      const from = pool[(serial - 1) % pool.length];
      if (!from) throw new Error('empty pool');
      const clone = planClone(options.seed, serial, from, options.day, spreadMs);
      rows.pool.push(from.id);
      rows.headline.push(clone.headline);
      rows.slug.push(clone.slug);
      rows.path.push(
        articlePath(
          {
            language: from.language,
            publishedAt: clone.publishedAt,
            sectionSlug: from.sectionSlug,
            slug: clone.slug,
          },
          timeZone,
        ),
      );
      rows.published.push(clone.publishedAt.toISOString());
      rows.updated.push(clone.updatedAt?.toISOString() ?? null);
    }
    await pipeline.add(async () => {
      // Read after the await: `added += await …` would add to the value before it, losing the
      // other statement's count.
      const inserted = await insertClones(deps, rows);
      added += inserted;
      done += end - start + 1;
      const seconds = (performance.now() - started) / 1000;
      progress(`${done} / ${clones} clones (${Math.round(done / seconds)}/s)`);
    });
  }
  await pipeline.drain();
  // Servers running on this database drop the pages they kept: far too many articles to name.
  await notifyContentChanged(deps.db, EVERYTHING);
  return added;
}

/**
 * One batch in one statement: the articles, then their bylines and tags copied from their pool
 * articles, and any redirect at a new address dropped (saveArticles' rule: a live address is
 * never also a redirect). A slug or path already taken (a second run) is skipped, not updated.
 */
async function insertClones(
  deps: AppDeps,
  rows: {
    pool: string[];
    headline: string[];
    slug: string[];
    path: string[];
    published: string[];
    updated: (string | null)[];
  },
): Promise<number> {
  const now = new Date().toISOString();
  const statement = sql<{ added: string }>`
    with k as (
      select * from unnest(
        ${rows.pool}::bigint[], ${rows.headline}::text[], ${rows.slug}::text[], ${rows.path}::text[],
        ${rows.published}::timestamptz[], ${rows.updated}::timestamptz[]
      ) as k(pool_id, headline, slug, path, published_at, updated_at)
    ),
    added as (
      insert into articles (language, slug, path, headline, summary, body, status, section_id,
        credit_line, image_src, image_alt, image_caption, image_credit, published_at, updated_at,
        created_at, modified_at)
      select a.language, k.slug, k.path, k.headline, a.summary, a.body, 'published', a.section_id,
        a.credit_line, a.image_src, a.image_alt, a.image_caption, a.image_credit, k.published_at,
        k.updated_at, ${now}::timestamptz, ${now}::timestamptz
      from k join articles as a on a.id = k.pool_id
      on conflict do nothing
      returning id, slug, path
    ),
    pairs as (select added.id, k.pool_id, added.path from added join k on k.slug = added.slug),
    bylines as (
      insert into article_bylines (article_id, person_id, position)
      select pairs.id, b.person_id, b.position
      from pairs join article_bylines as b on b.article_id = pairs.pool_id
    ),
    tags as (
      insert into article_tags (article_id, tag_id, position)
      select pairs.id, t.tag_id, t.position
      from pairs join article_tags as t on t.article_id = pairs.pool_id
    ),
    redirects as (delete from article_redirects where path in (select path from pairs))
    select count(*)::text as added from pairs`;
  const result = await unbounded(deps.db, (trx) => statement.execute(trx));
  return Number(result.rows[0]?.added ?? 0);
}
