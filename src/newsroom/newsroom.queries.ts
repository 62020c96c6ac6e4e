import { sql, type Kysely, type Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { ArticleStatusColumn, Database, RevisionReasonColumn } from '../db/db-schema.js';
import type { Language } from '../lib/language.js';

/**
 * Kysely reads and writes of the newsroom; private to it (CONTRIBUTING.md, habit 4). The
 * newsroom's columns of `articles` (status, revisions, schedule, embargo) are written here; the
 * columns readers see are written by the articles feature (src/articles/article-row.service.ts).
 */

export type Db = Kysely<Database> | Transaction<Database>;

export { notifyContentChanged } from '../db/db-notify.js';

/** A story's row with what the newsroom needs to show it or derive its first revision. */
export async function findStoryRow(db: Db, id: string, lock = false) {
  let query = db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select([
      'articles.id',
      'articles.language',
      'articles.slug',
      'articles.path',
      'articles.headline',
      'articles.summary',
      'articles.body',
      'articles.status',
      'articles.credit_line',
      'articles.translation_id',
      'articles.image_src',
      'articles.image_alt',
      'articles.image_caption',
      'articles.image_credit',
      'articles.published_at',
      'articles.updated_at',
      'articles.modified_at',
      'articles.created_by',
      'articles.head_revision',
      'articles.live_revision',
      'articles.pending_review',
      'articles.scheduled_for',
      'articles.scheduled_revision',
      'articles.embargo_until',
      'sections.slug as section_slug',
    ])
    .where('articles.id', '=', id);
  if (lock) query = query.forUpdate('articles');
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const [bylines, tags] = await Promise.all([
    db
      .selectFrom('article_bylines')
      .innerJoin('people', 'people.id', 'article_bylines.person_id')
      .select(['people.name', 'people.email'])
      .where('article_bylines.article_id', '=', id)
      .orderBy('article_bylines.position')
      .execute(),
    db
      .selectFrom('article_tags')
      .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
      .select(['tags.name'])
      .where('article_tags.article_id', '=', id)
      .orderBy('article_tags.position')
      .execute(),
  ]);
  return { ...row, bylines, tags: tags.map((tag) => tag.name) };
}
export type StoryRow = NonNullable<Awaited<ReturnType<typeof findStoryRow>>>;

export async function setCreatedBy(db: Db, id: string, accountId: string): Promise<void> {
  await db.updateTable('articles').set({ created_by: accountId }).where('id', '=', id).execute();
}

export async function nextRevisionNumber(db: Db, articleId: string): Promise<number> {
  const row = await db
    .selectFrom('article_revisions')
    .select((eb) => eb.fn.max('number').as('max'))
    .where('article_id', '=', articleId)
    .executeTakeFirst();
  return (row?.max ?? 0) + 1;
}

export async function insertRevision(
  db: Db,
  revision: {
    articleId: string;
    number: number;
    basedOn: number | null;
    reason: RevisionReasonColumn;
    accountId: string | null;
    headline: string;
    contentJson: string;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('article_revisions')
    .values({
      article_id: revision.articleId,
      number: revision.number,
      based_on: revision.basedOn,
      reason: revision.reason,
      account_id: revision.accountId,
      headline: revision.headline,
      content: revision.contentJson,
      created_at: revision.at,
    })
    .execute();
}

export async function setHeadRevision(db: Db, id: string, head: number, now: Date): Promise<void> {
  await db
    .updateTable('articles')
    .set({ head_revision: head, modified_at: now })
    .where('id', '=', id)
    .execute();
}

export async function findRevision(db: Db, articleId: string, number: number) {
  return db
    .selectFrom('article_revisions')
    .leftJoin('accounts', 'accounts.id', 'article_revisions.account_id')
    .select([
      'article_revisions.number',
      'article_revisions.based_on',
      'article_revisions.reason',
      'article_revisions.account_id',
      'article_revisions.headline',
      'article_revisions.content',
      'article_revisions.created_at',
      'accounts.display_name',
      'accounts.staff_email',
    ])
    .where('article_revisions.article_id', '=', articleId)
    .where('article_revisions.number', '=', number)
    .executeTakeFirst();
}

export async function listRevisions(db: Db, articleId: string) {
  return db
    .selectFrom('article_revisions')
    .leftJoin('accounts', 'accounts.id', 'article_revisions.account_id')
    .select([
      'article_revisions.number',
      'article_revisions.based_on',
      'article_revisions.reason',
      'article_revisions.headline',
      'article_revisions.created_at',
      'accounts.display_name',
      'accounts.staff_email',
    ])
    .where('article_revisions.article_id', '=', articleId)
    .orderBy('article_revisions.number', 'desc')
    .execute();
}

/**
 * Moves a story's status if, and only if, it is still in one of `from`: the one conditional
 * update that decides a move happens, so two people (or two processes) asking at once move it
 * once. Gives whether it moved.
 */
export async function moveStatus(
  db: Db,
  id: string,
  from: readonly ArticleStatusColumn[],
  to: ArticleStatusColumn,
  set: {
    now: Date;
    scheduledFor?: Date | null;
    scheduledRevision?: number | null;
    pendingReview?: boolean;
    liveRevision?: number;
    publishedAt?: Date;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('articles')
    .set({
      status: to,
      modified_at: set.now,
      ...(set.scheduledFor !== undefined ? { scheduled_for: set.scheduledFor } : {}),
      ...(set.scheduledRevision !== undefined ? { scheduled_revision: set.scheduledRevision } : {}),
      ...(set.pendingReview !== undefined ? { pending_review: set.pendingReview } : {}),
      ...(set.liveRevision !== undefined ? { live_revision: set.liveRevision } : {}),
      ...(set.publishedAt !== undefined ? { published_at: set.publishedAt } : {}),
    })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Claims a story for publication: status to published where it may go live now, embargo
 * included, in the same statement. Whoever asks (an editor, the scheduler in any process) goes
 * through here, so an embargoed story cannot go live and a due one goes live once.
 */
export async function claimPublication(
  db: Db,
  id: string,
  from: readonly ArticleStatusColumn[],
  set: { now: Date; liveRevision: number; publishedAt: Date; path: string },
): Promise<boolean> {
  const result = await db
    .updateTable('articles')
    .set({
      status: 'published',
      path: set.path,
      live_revision: set.liveRevision,
      pending_review: false,
      scheduled_for: null,
      scheduled_revision: null,
      published_at: set.publishedAt,
      modified_at: set.now,
    })
    .where('id', '=', id)
    .where('status', 'in', from)
    .where((eb) => eb.or([eb('embargo_until', 'is', null), eb('embargo_until', '<=', set.now)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function setPendingReview(
  db: Db,
  id: string,
  pending: boolean,
  now: Date,
): Promise<void> {
  await db
    .updateTable('articles')
    .set({ pending_review: pending, modified_at: now })
    .where('id', '=', id)
    .execute();
}

export async function setEmbargo(db: Db, id: string, until: Date | null, now: Date) {
  await db
    .updateTable('articles')
    .set({ embargo_until: until, modified_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * The scheduled stories due by `now`, oldest first, locked for this transaction; a row another
 * process has locked is skipped (it is publishing it), never waited for.
 */
export async function claimDueStories(db: Db, now: Date, limit: number) {
  return db
    .selectFrom('articles')
    .select(['id', 'scheduled_for', 'scheduled_revision', 'embargo_until'])
    .where('status', '=', 'scheduled')
    .where('scheduled_for', '<=', now)
    .orderBy('scheduled_for')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function insertPublication(
  db: Db,
  publication: {
    articleId: string;
    revision: number | null;
    accountId: string | null;
    dueAt: Date | null;
    publishedAt: Date;
    process: string;
  },
): Promise<void> {
  await db
    .insertInto('article_publications')
    .values({
      article_id: publication.articleId,
      revision: publication.revision,
      account_id: publication.accountId,
      due_at: publication.dueAt,
      published_at: publication.publishedAt,
      process: publication.process,
    })
    .execute();
}

export async function listPublications(db: Db, articleId: string) {
  return db
    .selectFrom('article_publications')
    .selectAll()
    .where('article_id', '=', articleId)
    .orderBy('published_at')
    .execute();
}

export async function insertNote(
  db: Db,
  note: {
    articleId: string;
    accountId: string;
    kind: 'note' | 'sent_back';
    body: string;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('article_notes')
    .values({
      article_id: note.articleId,
      account_id: note.accountId,
      kind: note.kind,
      body: note.body,
      created_at: note.at,
    })
    .execute();
}

export async function listNotes(db: Db, articleId: string) {
  return db
    .selectFrom('article_notes')
    .leftJoin('accounts', 'accounts.id', 'article_notes.account_id')
    .select([
      'article_notes.id',
      'article_notes.kind',
      'article_notes.body',
      'article_notes.created_at',
      'article_notes.account_id',
      'accounts.display_name',
      'accounts.staff_email',
    ])
    .where('article_notes.article_id', '=', articleId)
    .orderBy('article_notes.created_at')
    .orderBy('article_notes.id')
    .execute();
}

export async function findLock(db: Db, articleId: string) {
  return db
    .selectFrom('story_locks')
    .leftJoin('accounts as holder', 'holder.id', 'story_locks.account_id')
    .leftJoin('accounts as displaced', 'displaced.id', 'story_locks.taken_from')
    .select([
      'story_locks.account_id',
      'story_locks.since',
      'story_locks.seen_at',
      'story_locks.taken_from',
      'holder.display_name as holder_name',
      'holder.staff_email as holder_email',
    ])
    .where('story_locks.article_id', '=', articleId)
    .executeTakeFirst();
}

export async function putLock(
  db: Db,
  lock: {
    articleId: string;
    accountId: string;
    since: Date;
    seenAt: Date;
    takenFrom: string | null;
  },
): Promise<void> {
  await db
    .insertInto('story_locks')
    .values({
      article_id: lock.articleId,
      account_id: lock.accountId,
      since: lock.since,
      seen_at: lock.seenAt,
      taken_from: lock.takenFrom,
    })
    .onConflict((oc) =>
      oc.column('article_id').doUpdateSet({
        account_id: lock.accountId,
        since: lock.since,
        seen_at: lock.seenAt,
        taken_from: lock.takenFrom,
      }),
    )
    .execute();
}

export async function touchLock(db: Db, articleId: string, seenAt: Date): Promise<void> {
  await db
    .updateTable('story_locks')
    .set({ seen_at: seenAt })
    .where('article_id', '=', articleId)
    .execute();
}

export async function deleteLock(db: Db, articleId: string, accountId: string): Promise<void> {
  await db
    .deleteFrom('story_locks')
    .where('article_id', '=', articleId)
    .where('account_id', '=', accountId)
    .execute();
}

export async function accountName(db: Db, accountId: string) {
  return db
    .selectFrom('accounts')
    .select(['display_name', 'staff_email'])
    .where('id', '=', accountId)
    .executeTakeFirst();
}

export type StoryFilter = {
  status?: ArticleStatusColumn | 'pending_review' | undefined;
  section?: string | undefined;
  author?: string | undefined;
  language?: Language | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  search?: string | undefined;
  createdBy?: string | undefined;
  /** Stories that wait for an editor: in review, or a published story's pending revision. */
  needsReview?: boolean | undefined;
  /**
   * A writer's drafts whose latest note is an editor's `sent_back`: what waits for that writer.
   * A note written after the sending back (the writer's answer, another editor's remark) means
   * the story is being talked over, so it no longer counts as waiting.
   */
  sentBackTo?: string | undefined;
  limit: number;
  offset: number;
};

/** The newsroom's list: the head revision's headline, newest change first. */
export async function listStories(db: Db, filter: StoryFilter) {
  let query = db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .leftJoin('article_revisions as head', (join) =>
      join
        .onRef('head.article_id', '=', 'articles.id')
        .onRef('head.number', '=', 'articles.head_revision'),
    )
    .leftJoin('accounts as owner', 'owner.id', 'articles.created_by')
    .select((eb) => [
      'articles.id',
      'articles.language',
      'articles.status',
      'articles.path',
      'articles.pending_review',
      'articles.head_revision',
      'articles.live_revision',
      'articles.scheduled_for',
      'articles.embargo_until',
      'articles.published_at',
      'articles.modified_at',
      'articles.created_by',
      'sections.slug as section_slug',
      'sections.name_en as section_name_en',
      'sections.name_ko as section_name_ko',
      'owner.display_name as owner_name',
      eb.fn.coalesce('head.headline', 'articles.headline').as('headline'),
      jsonArrayFrom(
        eb
          .selectFrom('article_bylines')
          .innerJoin('people', 'people.id', 'article_bylines.person_id')
          .select(['people.name'])
          .whereRef('article_bylines.article_id', '=', 'articles.id')
          .orderBy('article_bylines.position'),
      ).as('bylines'),
    ]);
  if (filter.status === 'pending_review') query = query.where('articles.pending_review', '=', true);
  else if (filter.status) query = query.where('articles.status', '=', filter.status);
  if (filter.needsReview) {
    query = query.where((eb) =>
      eb.or([eb('articles.status', '=', 'in_review'), eb('articles.pending_review', '=', true)]),
    );
  }
  if (filter.sentBackTo) {
    query = query
      .where('articles.created_by', '=', filter.sentBackTo)
      .where('articles.status', '=', 'draft')
      .where(
        (eb) =>
          eb
            .selectFrom('article_notes')
            .select('article_notes.kind')
            .whereRef('article_notes.article_id', '=', 'articles.id')
            .orderBy('article_notes.created_at', 'desc')
            .orderBy('article_notes.id', 'desc')
            .limit(1),
        '=',
        'sent_back',
      );
  }
  if (filter.section) query = query.where('sections.slug', '=', filter.section);
  if (filter.language) query = query.where('articles.language', '=', filter.language);
  if (filter.createdBy) query = query.where('articles.created_by', '=', filter.createdBy);
  if (filter.from) query = query.where('articles.modified_at', '>=', filter.from);
  if (filter.to) query = query.where('articles.modified_at', '<', filter.to);
  if (filter.author) {
    const author = filter.author;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('article_bylines')
          .innerJoin('people', 'people.id', 'article_bylines.person_id')
          .select(sql.lit(1).as('one'))
          .whereRef('article_bylines.article_id', '=', 'articles.id')
          .where('people.slug', '=', author),
      ),
    );
  }
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('head.headline', 'ilike', pattern), eb('articles.headline', 'ilike', pattern)]),
    );
  }
  return query
    .orderBy('articles.modified_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}
export type StoryListRow = Awaited<ReturnType<typeof listStories>>[number];

/** How many stories are in each status, and how many published ones wait for review. */
export async function countStories(db: Db) {
  const rows = await db
    .selectFrom('articles')
    .select(['status', (eb) => eb.fn.countAll<string>().as('count')])
    .groupBy('status')
    .execute();
  const pending = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('pending_review', '=', true)
    .executeTakeFirstOrThrow();
  return { byStatus: rows, pendingReview: Number(pending.count) };
}

/** Scheduled stories past their minute by more than `lateBy` (the scheduler has not run). */
export async function listLateStories(db: Db, before: Date) {
  return db
    .selectFrom('articles')
    .leftJoin('article_revisions as head', (join) =>
      join
        .onRef('head.article_id', '=', 'articles.id')
        .onRef('head.number', '=', 'articles.head_revision'),
    )
    .select((eb) => [
      'articles.id',
      'articles.language',
      'articles.scheduled_for',
      'articles.embargo_until',
      eb.fn.coalesce('head.headline', 'articles.headline').as('headline'),
    ])
    .where('articles.status', '=', 'scheduled')
    .where('articles.scheduled_for', '<', before)
    .orderBy('articles.scheduled_for')
    .execute();
}

/** The people named in at least one byline, by name: the choices of the author filter. */
export async function listBylinedPeople(db: Db): Promise<{ slug: string; name: string }[]> {
  return db
    .selectFrom('people')
    .select(['people.slug', 'people.name'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('article_bylines')
          .select(sql.lit(1).as('one'))
          .whereRef('article_bylines.person_id', '=', 'people.id'),
      ),
    )
    .orderBy('people.name')
    .orderBy('people.slug')
    .execute();
}
