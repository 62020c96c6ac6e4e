import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { AppealStatusColumn, CommentStatusColumn, Database } from '../db/db-schema.js';
import type { Queue, StandingRow } from './moderation.js';

/**
 * The desk's statements. The desk reads comments for its queues and claims them through the
 * columns migration 0005 gave it (`moderation_rev`, `claimed_by`, `claimed_until`); changes of a
 * comment's status go through comments.service.ts, which keeps the counts and live pages right.
 */

type Db = Kysely<Database> | Transaction<Database>;

export type QueueFilters = Readonly<{
  section?: string | undefined;
  articleId?: string | undefined;
  readerId?: string | undefined;
  /** Words the article's headline contains (case-insensitive). */
  headline?: string | undefined;
  /** Words the author's display name contains (case-insensitive). */
  author?: string | undefined;
  /** Words the comment contains (case-insensitive). */
  text?: string | undefined;
}>;

/** `%`, `_` and `\` match themselves in a search, not as LIKE wildcards. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

type CommentScope = ExpressionBuilder<Database & { c: Database['comments'] }, 'c'>;

function matchesFilters(filters: QueueFilters) {
  return (eb: CommentScope) => {
    const ands = [];
    if (filters.articleId) ands.push(eb('c.article_id', '=', filters.articleId));
    if (filters.readerId) ands.push(eb('c.author_id', '=', filters.readerId));
    if (filters.section)
      ands.push(
        eb(
          'c.article_id',
          'in',
          eb
            .selectFrom('articles as fa')
            .innerJoin('sections as fs', 'fs.id', 'fa.section_id')
            .select('fa.id')
            .where('fs.slug', '=', filters.section),
        ),
      );
    if (filters.headline)
      ands.push(
        eb(
          'c.article_id',
          'in',
          eb
            .selectFrom('articles as ha')
            .select('ha.id')
            .where('ha.headline', 'ilike', likePattern(filters.headline)),
        ),
      );
    if (filters.author)
      ands.push(
        eb(
          'c.author_id',
          'in',
          eb
            .selectFrom('accounts as na')
            .select('na.id')
            .where('na.display_name', 'ilike', likePattern(filters.author)),
        ),
      );
    if (filters.text) ands.push(eb('c.body', 'ilike', likePattern(filters.text)));
    return eb.and(ands);
  };
}

function inQueue(queue: Exclude<Queue, 'appeals'>) {
  return (eb: CommentScope) => {
    switch (queue) {
      case 'pending':
        return eb('c.status', '=', 'pending');
      case 'reported':
        return eb.and([
          eb('c.status', 'in', ['published', 'pending']),
          eb.exists(
            eb
              .selectFrom('comment_reports as r')
              .select(sql.lit(1).as('one'))
              .whereRef('r.comment_id', '=', 'c.id')
              .where('r.resolved_at', 'is', null),
          ),
        ]);
      case 'recent':
        return eb('c.status', '<>', 'deleted');
    }
  };
}

export type QueueItem = {
  id: string;
  body: string;
  status: CommentStatusColumn;
  featured: boolean;
  rev: number;
  parentId: string | null;
  createdAt: Date;
  authorId: string;
  authorName: string | null;
  articleId: string;
  headline: string;
  articlePath: string | null;
  language: 'en' | 'ko';
  openReports: number;
  claimedBy: string | null;
  claimedByName: string | null;
  claimedUntil: Date | null;
};

function queueColumns(db: Db) {
  return db
    .selectFrom('comments as c')
    .innerJoin('accounts as au', 'au.id', 'c.author_id')
    .innerJoin('articles as ar', 'ar.id', 'c.article_id')
    .leftJoin('accounts as cl', 'cl.id', 'c.claimed_by')
    .select((eb) => [
      'c.id',
      'c.body',
      'c.status',
      sql<boolean>`c.featured_at is not null`.as('featured'),
      'c.moderation_rev as rev',
      'c.parent_id as parentId',
      'c.created_at as createdAt',
      'c.author_id as authorId',
      'au.display_name as authorName',
      'c.article_id as articleId',
      'ar.headline',
      'ar.path as articlePath',
      'ar.language',
      eb
        .selectFrom('comment_reports as r')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('r.comment_id', '=', 'c.id')
        .where('r.resolved_at', 'is', null)
        .as('openReports'),
      'c.claimed_by as claimedBy',
      'cl.display_name as claimedByName',
      'c.claimed_until as claimedUntil',
    ]);
}

/** One page of a comment queue, in the queue's order. */
export async function listQueue(
  db: Db,
  input: {
    queue: Exclude<Queue, 'appeals'>;
    filters: QueueFilters;
    limit: number;
    offset: number;
  },
): Promise<QueueItem[]> {
  let query = queueColumns(db).where(inQueue(input.queue)).where(matchesFilters(input.filters));
  switch (input.queue) {
    case 'pending':
      query = query.orderBy('c.created_at').orderBy('c.id');
      break;
    case 'reported':
      query = query.orderBy('openReports', 'desc').orderBy('c.created_at').orderBy('c.id');
      break;
    case 'recent':
      query = query.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc');
      break;
  }
  const rows = await query.limit(input.limit).offset(input.offset).execute();
  return rows.map((r) => ({ ...r, openReports: r.openReports ?? 0 }));
}

export async function findQueueItem(db: Db, id: string): Promise<QueueItem | undefined> {
  const row = await queueColumns(db).where('c.id', '=', id).executeTakeFirst();
  return row && { ...row, openReports: row.openReports ?? 0 };
}

/** Every section by name in both editions, in the site's order: the desk's section filter. */
export async function listSections(
  db: Db,
): Promise<{ slug: string; name: Readonly<{ en: string; ko: string }> }[]> {
  const rows = await db
    .selectFrom('sections')
    .select(['slug', 'name_en', 'name_ko'])
    .orderBy('position')
    .orderBy('slug')
    .execute();
  return rows.map((r) => ({ slug: r.slug, name: { en: r.name_en, ko: r.name_ko } }));
}

/** How many items each queue holds, for the desk's tabs. */
export async function queueSizes(db: Db): Promise<Record<Queue, number>> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('comments as c')
        .select(sql<number>`count(*)::int`.as('n'))
        .where(inQueue('pending'))
        .as('pending'),
      eb
        .selectFrom('comments as c')
        .select(sql<number>`count(*)::int`.as('n'))
        .where(inQueue('reported'))
        .as('reported'),
      eb
        .selectFrom('comment_appeals')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('status', '=', 'open')
        .as('appeals'),
    ])
    .executeTakeFirstOrThrow();
  return {
    pending: row.pending ?? 0,
    reported: row.reported ?? 0,
    recent: 0,
    appeals: row.appeals ?? 0,
  };
}

/**
 * Claims the first item of a queue that nobody else holds, for one moderator until `until`.
 * Rows another transaction is claiming at this moment are skipped (`SKIP LOCKED`), and rows
 * another moderator claimed earlier are filtered out, so two moderators asking at once never get
 * the same comment. A moderator's own claims stay among the candidates, in queue order, so an
 * item they took and left undecided is theirs to take again. Their own comments are never
 * candidates: the service refuses a moderator's decision on their own words.
 */
export async function claimNextComment(
  trx: Transaction<Database>,
  input: {
    queue: Exclude<Queue, 'appeals'>;
    filters: QueueFilters;
    moderatorId: string;
    now: Date;
    until: Date;
  },
): Promise<string | undefined> {
  let candidate = trx
    .selectFrom('comments as c')
    .select('c.id')
    .where(inQueue(input.queue))
    .where(matchesFilters(input.filters))
    .where('c.author_id', '<>', input.moderatorId)
    .where((eb) =>
      eb.or([
        eb('c.claimed_until', 'is', null),
        eb('c.claimed_until', '<=', input.now),
        eb('c.claimed_by', '=', input.moderatorId),
      ]),
    );
  candidate =
    input.queue === 'recent'
      ? candidate.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc')
      : candidate.orderBy('c.created_at').orderBy('c.id');
  const row = await trx
    .updateTable('comments')
    .set({ claimed_by: input.moderatorId, claimed_until: input.until })
    .where('id', '=', (eb) =>
      eb.selectFrom(candidate.limit(1).forUpdate().skipLocked().as('next')).select('next.id'),
    )
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Claims one comment unless another moderator holds it; undefined when they do. */
export async function claimComment(
  trx: Transaction<Database>,
  input: { id: string; moderatorId: string; now: Date; until: Date },
): Promise<boolean> {
  const row = await trx
    .updateTable('comments')
    .set({ claimed_by: input.moderatorId, claimed_until: input.until })
    .where('id', '=', input.id)
    .where((eb) =>
      eb.or([
        eb('claimed_until', 'is', null),
        eb('claimed_until', '<=', input.now),
        eb('claimed_by', '=', input.moderatorId),
      ]),
    )
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Settles a comment's open reports with a decision; returns how many. */
export async function resolveReports(db: Db, commentId: string, at: Date): Promise<number> {
  const rows = await db
    .updateTable('comment_reports')
    .set({ resolved_at: at })
    .where('comment_id', '=', commentId)
    .where('resolved_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

export type ReportRow = {
  id: string;
  reporterName: string | null;
  policyVersion: number;
  clause: number;
  note: string;
  createdAt: Date;
  resolvedAt: Date | null;
};

export function listReports(db: Db, commentId: string): Promise<ReportRow[]> {
  return db
    .selectFrom('comment_reports as r')
    .innerJoin('accounts as a', 'a.id', 'r.reporter_id')
    .select([
      'r.id',
      'a.display_name as reporterName',
      'r.policy_version as policyVersion',
      'r.clause_number as clause',
      'r.note',
      'r.created_at as createdAt',
      'r.resolved_at as resolvedAt',
    ])
    .where('r.comment_id', '=', commentId)
    .orderBy('r.id')
    .execute();
}

/** Open reports of several comments, by clause: the reported queue's reasons. */
export async function openReportClauses(
  db: Db,
  commentIds: readonly string[],
): Promise<Map<string, { clause: number; count: number }[]>> {
  if (commentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('comment_reports')
    .select(['comment_id', 'clause_number', sql<number>`count(*)::int`.as('n')])
    .where('comment_id', 'in', commentIds)
    .where('resolved_at', 'is', null)
    .groupBy(['comment_id', 'clause_number'])
    .orderBy('comment_id')
    .orderBy('clause_number')
    .execute();
  const byComment = new Map<string, { clause: number; count: number }[]>();
  for (const r of rows) {
    const list = byComment.get(r.comment_id) ?? [];
    list.push({ clause: r.clause_number, count: r.n });
    byComment.set(r.comment_id, list);
  }
  return byComment;
}

/** A reader's comments by status: their history at a glance. */
export async function authorStatusCounts(
  db: Db,
  authorId: string,
): Promise<Record<CommentStatusColumn, number>> {
  const rows = await db
    .selectFrom('comments')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .where('author_id', '=', authorId)
    .groupBy('status')
    .execute();
  const counts = { published: 0, pending: 0, hidden: 0, deleted: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

export type ReaderFacts = {
  id: string;
  displayName: string | null;
  role: string;
  createdAt: Date;
};

export function findReader(db: Db, accountId: string): Promise<ReaderFacts | undefined> {
  return db
    .selectFrom('accounts')
    .select(['id', 'display_name as displayName', 'role', 'created_at as createdAt'])
    .where('id', '=', accountId)
    .executeTakeFirst();
}

// Standing -----------------------------------------------------------------------------------

export function findStanding(db: Db, accountId: string): Promise<StandingRow | undefined> {
  return db
    .selectFrom('reader_standing')
    .select(['suspended_until as suspendedUntil', 'banned', 'warnings', 'rev'])
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

/** The reader's standing row, created if need be and locked for this transaction. */
export async function lockStanding(
  trx: Transaction<Database>,
  accountId: string,
): Promise<StandingRow> {
  await trx
    .insertInto('reader_standing')
    .values({ account_id: accountId })
    .onConflict((oc) => oc.column('account_id').doNothing())
    .execute();
  return trx
    .selectFrom('reader_standing')
    .select(['suspended_until as suspendedUntil', 'banned', 'warnings', 'rev'])
    .where('account_id', '=', accountId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function saveStanding(
  trx: Transaction<Database>,
  accountId: string,
  row: StandingRow,
): Promise<void> {
  await trx
    .updateTable('reader_standing')
    .set({
      suspended_until: row.suspendedUntil,
      banned: row.banned,
      warnings: row.warnings,
      rev: row.rev,
    })
    .where('account_id', '=', accountId)
    .execute();
}

// Appeals ------------------------------------------------------------------------------------

export type AppealRow = {
  id: string;
  commentId: string;
  authorId: string;
  decisionId: string;
  decidedByFirst: string | null;
  reason: string;
  status: AppealStatusColumn;
  createdAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  rev: number;
  claimedBy: string | null;
  claimedUntil: Date | null;
};

function appealColumns(db: Db) {
  return db
    .selectFrom('comment_appeals as ap')
    .select([
      'ap.id',
      'ap.comment_id as commentId',
      'ap.author_id as authorId',
      'ap.decision_id as decisionId',
      'ap.decided_by_first as decidedByFirst',
      'ap.reason',
      'ap.status',
      'ap.created_at as createdAt',
      'ap.decided_at as decidedAt',
      'ap.decided_by as decidedBy',
      'ap.rev',
      'ap.claimed_by as claimedBy',
      'ap.claimed_until as claimedUntil',
    ]);
}

export async function listAppealsFor(
  db: Db,
  commentIds: readonly string[],
): Promise<Map<string, AppealRow>> {
  if (commentIds.length === 0) return new Map();
  const rows = await appealColumns(db).where('ap.comment_id', 'in', commentIds).execute();
  return new Map(rows.map((r) => [r.commentId, r]));
}

export function findAppeal(db: Db, id: string): Promise<AppealRow | undefined> {
  return appealColumns(db).where('ap.id', '=', id).executeTakeFirst();
}

export function lockAppeal(trx: Transaction<Database>, id: string): Promise<AppealRow | undefined> {
  return appealColumns(trx).where('ap.id', '=', id).forUpdate().executeTakeFirst();
}

/** Files an appeal; false when the comment has one already (one per comment, ever). */
export async function insertAppeal(
  trx: Transaction<Database>,
  input: {
    commentId: string;
    authorId: string;
    decisionId: string;
    decidedByFirst: string | null;
    reason: string;
    at: Date;
  },
): Promise<string | undefined> {
  const row = await trx
    .insertInto('comment_appeals')
    .values({
      comment_id: input.commentId,
      author_id: input.authorId,
      decision_id: input.decisionId,
      decided_by_first: input.decidedByFirst,
      reason: input.reason,
      created_at: input.at,
    })
    .onConflict((oc) => oc.column('comment_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function decideAppealRow(
  trx: Transaction<Database>,
  input: { id: string; status: 'upheld' | 'granted'; by: string; at: Date; rev: number },
): Promise<void> {
  await trx
    .updateTable('comment_appeals')
    .set({
      status: input.status,
      decided_by: input.by,
      decided_at: input.at,
      rev: input.rev + 1,
      claimed_by: null,
      claimed_until: null,
    })
    .where('id', '=', input.id)
    .execute();
}

export type AppealQueueItem = AppealRow & {
  body: string;
  commentStatus: CommentStatusColumn;
  authorName: string | null;
  headline: string;
  articlePath: string | null;
  claimedByName: string | null;
};

export function listOpenAppeals(
  db: Db,
  input: { filters: QueueFilters; limit: number; offset: number },
): Promise<AppealQueueItem[]> {
  return appealColumns(db)
    .innerJoin('comments as c', 'c.id', 'ap.comment_id')
    .innerJoin('accounts as au', 'au.id', 'ap.author_id')
    .innerJoin('articles as ar', 'ar.id', 'c.article_id')
    .leftJoin('accounts as cl', 'cl.id', 'ap.claimed_by')
    .select([
      'c.body',
      'c.status as commentStatus',
      'au.display_name as authorName',
      'ar.headline',
      'ar.path as articlePath',
      'cl.display_name as claimedByName',
    ])
    .where('ap.status', '=', 'open')
    .where(matchesFilters(input.filters))
    .orderBy('ap.created_at')
    .orderBy('ap.id')
    .limit(input.limit)
    .offset(input.offset)
    .execute();
}

/**
 * Claims the oldest open appeal nobody else holds, skipping those being claimed right now and,
 * always, those against the moderator's own decision (a different moderator decides an appeal)
 * and those on the moderator's own comment.
 */
export async function claimNextAppeal(
  trx: Transaction<Database>,
  input: { moderatorId: string; now: Date; until: Date },
): Promise<string | undefined> {
  const candidate = trx
    .selectFrom('comment_appeals as ap')
    .select('ap.id')
    .where('ap.status', '=', 'open')
    .where('ap.author_id', '<>', input.moderatorId)
    .where((eb) =>
      eb.or([
        eb('ap.decided_by_first', 'is', null),
        eb('ap.decided_by_first', '<>', input.moderatorId),
      ]),
    )
    .where((eb) =>
      eb.or([
        eb('ap.claimed_until', 'is', null),
        eb('ap.claimed_until', '<=', input.now),
        eb('ap.claimed_by', '=', input.moderatorId),
      ]),
    )
    .orderBy('ap.created_at')
    .orderBy('ap.id')
    .limit(1)
    .forUpdate()
    .skipLocked();
  const row = await trx
    .updateTable('comment_appeals')
    .set({ claimed_by: input.moderatorId, claimed_until: input.until })
    .where('id', '=', (eb) => eb.selectFrom(candidate.as('next')).select('next.id'))
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}
