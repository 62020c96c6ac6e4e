import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { CommentStatusColumn, Database } from '../db/db-schema.js';
import { assertUnreachable } from '../lib/assert.js';
import type { CommentCursor, CommentSort, CommentViewer } from './comment.js';

/**
 * Comments' reads and writes: every statement of the feature, private to it
 * (CONTRIBUTING.md, habit 4).
 */

type Db = Kysely<Database> | Transaction<Database>;

export const COMMENTS_CHANNEL = 'byline_comments';

export type CommentRow = {
  id: string;
  articleId: string;
  parentId: string | null;
  rootId: string | null;
  depth: number;
  authorId: string;
  authorName: string | null;
  authorDeleted: boolean;
  body: string;
  status: CommentStatusColumn;
  up: number;
  down: number;
  replyCount: number;
  createdAt: Date;
  editedAt: Date | null;
  /** Picked by the standards board to stand out in the thread. */
  featured: boolean;
};

function commentColumns(db: Db) {
  return db
    .selectFrom('comments as c')
    .innerJoin('accounts as a', 'a.id', 'c.author_id')
    .select([
      'c.id',
      'c.article_id as articleId',
      'c.parent_id as parentId',
      'c.root_id as rootId',
      'c.depth',
      'c.author_id as authorId',
      'a.display_name as authorName',
      sql<boolean>`a.status = 'deleted'`.as('authorDeleted'),
      'c.body',
      'c.status',
      'c.up_count as up',
      'c.down_count as down',
      'c.reply_count as replyCount',
      'c.created_at as createdAt',
      'c.edited_at as editedAt',
      sql<boolean>`c.featured_at is not null`.as('featured'),
    ]);
}

/**
 * What a viewer sees of a thread: published comments; a deleted or hidden one only while replies
 * hang from it (as a tombstone); their own pending and hidden ones; and, for moderators, all.
 */
function visibleTo(viewer: CommentViewer) {
  return (eb: ExpressionBuilder<Database & { c: Database['comments'] }, 'c'>) => {
    const ors = [
      eb('c.status', '=', 'published'),
      eb.and([eb('c.status', 'in', ['deleted', 'hidden']), eb('c.reply_count', '>', 0)]),
    ];
    if (viewer?.moderator) ors.push(eb('c.status', 'in', ['pending', 'hidden']));
    else if (viewer)
      ors.push(
        eb.and([
          eb('c.status', 'in', ['pending', 'hidden']),
          eb('c.author_id', '=', viewer.accountId),
        ]),
      );
    return eb.or(ors);
  };
}

export async function findComment(db: Db, id: string): Promise<CommentRow | undefined> {
  return commentColumns(db).where('c.id', '=', id).executeTakeFirst();
}

/** One page of an article's top-level comments in a sort order, one more than asked to know if more follow. */
export async function listThreadPage(
  db: Db,
  input: {
    articleId: string;
    sort: CommentSort;
    after: CommentCursor | undefined;
    limit: number;
    viewer: CommentViewer;
  },
): Promise<CommentRow[]> {
  const { after, sort } = input;
  let query = commentColumns(db)
    .where('c.article_id', '=', input.articleId)
    .where('c.parent_id', 'is', null)
    .where(visibleTo(input.viewer));
  switch (sort) {
    case 'newest':
      if (after)
        query = query.where((eb) =>
          eb(eb.refTuple('c.created_at', 'c.id'), '<', eb.tuple(new Date(after.key), after.id)),
        );
      query = query.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc');
      break;
    case 'oldest':
      if (after)
        query = query.where((eb) =>
          eb(eb.refTuple('c.created_at', 'c.id'), '>', eb.tuple(new Date(after.key), after.id)),
        );
      query = query.orderBy('c.created_at', 'asc').orderBy('c.id', 'asc');
      break;
    case 'top':
      if (after)
        query = query.where((eb) =>
          eb(eb.refTuple('c.up_count', 'c.id'), '<', eb.tuple(Number(after.key), after.id)),
        );
      query = query.orderBy('c.up_count', 'desc').orderBy('c.id', 'desc');
      break;
    case 'ratio':
      if (after)
        query = query.where((eb) =>
          eb(eb.refTuple('c.ratio_score', 'c.id'), '<', eb.tuple(Number(after.key), after.id)),
        );
      query = query.orderBy('c.ratio_score', 'desc').orderBy('c.id', 'desc');
      break;
    default:
      assertUnreachable(sort);
  }
  return query.limit(input.limit + 1).execute();
}

/** The sort key of a row, to build the next page's cursor. */
export async function ratioScoreOf(db: Db, id: string): Promise<number> {
  const row = await db
    .selectFrom('comments')
    .select('ratio_score')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.ratio_score;
}

/**
 * The first `perThread` replies (oldest first) of each given top-level comment. A lateral join
 * reads at most that many index entries per thread, however many replies a thread has.
 */
export async function listReplies(
  db: Db,
  rootIds: readonly string[],
  perThread: number,
  viewer: CommentViewer,
): Promise<CommentRow[]> {
  if (rootIds.length === 0) return [];
  const firstReplies = commentColumns(db)
    .where('c.root_id', '=', sql<string>`root.id`)
    .where(visibleTo(viewer))
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(perThread);
  return db
    .selectFrom('comments as root')
    .innerJoinLateral(firstReplies.as('r'), (join) => join.onTrue())
    .selectAll('r')
    .where('root.id', 'in', [...rootIds])
    .orderBy('r.createdAt')
    .orderBy('r.id')
    .execute();
}

export async function listPublishedSince(
  db: Db,
  input: { articleId: string; afterId: string; limit: number },
): Promise<CommentRow[]> {
  return commentColumns(db)
    .where('c.article_id', '=', input.articleId)
    .where('c.status', '=', 'published')
    .where('c.id', '>', input.afterId)
    .orderBy('c.id')
    .limit(input.limit)
    .execute();
}

export async function publishedCount(db: Db, articleId: string): Promise<number> {
  const row = await db
    .selectFrom('comment_counts')
    .select('published')
    .where('article_id', '=', articleId)
    .executeTakeFirst();
  return row?.published ?? 0;
}

/** Keeps the article's published count and the thread's reply count in step with a status change. */
export async function adjustCounts(
  db: Db,
  input: { articleId: string; rootId: string | null; delta: number },
): Promise<void> {
  if (input.delta === 0) return;
  await db
    .insertInto('comment_counts')
    .values({ article_id: input.articleId, published: Math.max(0, input.delta) })
    .onConflict((oc) =>
      oc.column('article_id').doUpdateSet({
        published: sql`greatest(comment_counts.published + ${input.delta}, 0)`,
      }),
    )
    .execute();
  if (input.rootId)
    await db
      .updateTable('comments')
      .set({ reply_count: sql`greatest(reply_count + ${input.delta}, 0)` })
      .where('id', '=', input.rootId)
      .execute();
}

/** Serialises one reader's writes across processes: their limits are checked under this lock. */
export async function lockAuthor(trx: Transaction<Database>, accountId: string): Promise<string> {
  const row = await trx
    .selectFrom('accounts')
    .select('status')
    .where('id', '=', accountId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return row.status;
}

export async function lastCommentAt(db: Db, authorId: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom('comments')
    .select('created_at')
    .where('author_id', '=', authorId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.created_at;
}

/** The author's comments on one article since a time, oldest first (the oldest frees the next slot). */
export async function authorCommentTimesOnArticle(
  db: Db,
  input: { authorId: string; articleId: string; since: Date },
): Promise<Date[]> {
  const rows = await db
    .selectFrom('comments')
    .select('created_at')
    .where('author_id', '=', input.authorId)
    .where('article_id', '=', input.articleId)
    .where('created_at', '>', input.since)
    .orderBy('created_at', 'asc')
    .execute();
  return rows.map((r) => r.created_at);
}

export async function hasDuplicate(
  db: Db,
  input: { authorId: string; bodyHash: string; since: Date },
): Promise<boolean> {
  const row = await db
    .selectFrom('comments')
    .select('id')
    .where('author_id', '=', input.authorId)
    .where('body_hash', '=', input.bodyHash)
    .where('created_at', '>', input.since)
    .where('status', '!=', 'deleted')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertComment(
  db: Db,
  values: {
    articleId: string;
    parentId: string | null;
    rootId: string | null;
    depth: number;
    authorId: string;
    body: string;
    bodyHash: string;
    status: CommentStatusColumn;
    policyVersion: number;
    createdAt: Date;
  },
): Promise<string> {
  const row = await db
    .insertInto('comments')
    .values({
      article_id: values.articleId,
      parent_id: values.parentId,
      root_id: values.rootId,
      depth: values.depth,
      author_id: values.authorId,
      body: values.body,
      body_hash: values.bodyHash,
      status: values.status,
      policy_version: values.policyVersion,
      created_at: values.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Locks a comment for a change by its author or a vote, so concurrent changes apply in turn. */
export async function lockComment(
  trx: Transaction<Database>,
  id: string,
): Promise<
  | {
      id: string;
      articleId: string;
      rootId: string | null;
      authorId: string;
      body: string;
      status: CommentStatusColumn;
      createdAt: Date;
      up: number;
      down: number;
      replyCount: number;
      policyVersion: number;
      featured: boolean;
    }
  | undefined
> {
  return trx
    .selectFrom('comments')
    .select([
      'id',
      'article_id as articleId',
      'root_id as rootId',
      'author_id as authorId',
      'body',
      'status',
      'policy_version as policyVersion',
      'created_at as createdAt',
      'up_count as up',
      'down_count as down',
      'reply_count as replyCount',
      sql<boolean>`featured_at is not null`.as('featured'),
    ])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function replaceBody(
  trx: Transaction<Database>,
  input: { id: string; oldBody: string; body: string; bodyHash: string; at: Date },
): Promise<void> {
  await trx
    .insertInto('comment_revisions')
    .values({ comment_id: input.id, body: input.oldBody, replaced_at: input.at })
    .execute();
  await trx
    .updateTable('comments')
    .set({ body: input.body, body_hash: input.bodyHash, edited_at: input.at })
    .where('id', '=', input.id)
    .execute();
}

export async function listRevisions(
  db: Db,
  commentId: string,
): Promise<{ body: string; replacedAt: Date }[]> {
  return db
    .selectFrom('comment_revisions')
    .select(['body', 'replaced_at as replacedAt'])
    .where('comment_id', '=', commentId)
    .orderBy('id')
    .execute();
}

/** A comment as the desk decides on it, locked until the decision commits. */
export function lockForDesk(trx: Transaction<Database>, id: string) {
  return trx
    .selectFrom('comments')
    .select([
      'id',
      'article_id as articleId',
      'root_id as rootId',
      'author_id as authorId',
      'status',
      sql<boolean>`featured_at is not null`.as('featured'),
      'moderation_rev as rev',
      'claimed_by as claimedBy',
      'claimed_until as claimedUntil',
      'policy_version as policyVersion',
    ])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The desk's change: status and featured mark, a new revision, the claim released. */
export async function setDeskState(
  trx: Transaction<Database>,
  input: { id: string; status: CommentStatusColumn; featuredAt: Date | null; rev: number },
): Promise<void> {
  await trx
    .updateTable('comments')
    .set({
      status: input.status,
      featured_at: input.featuredAt,
      moderation_rev: input.rev,
      claimed_by: null,
      claimed_until: null,
    })
    .where('id', '=', input.id)
    .execute();
}

/**
 * An edited comment loses the board's feature: the board featured the words it read, not the
 * new ones. A new revision makes a decision taken on the old text stale.
 */
export async function clearFeature(trx: Transaction<Database>, id: string): Promise<void> {
  await trx
    .updateTable('comments')
    .set({ featured_at: null, moderation_rev: sql`moderation_rev + 1` })
    .where('id', '=', id)
    .execute();
}

/** An edited comment held again: it waits for the desk like a new one. */
export async function holdAgain(trx: Transaction<Database>, id: string): Promise<void> {
  await trx
    .updateTable('comments')
    .set({ status: 'pending', moderation_rev: sql`moderation_rev + 1` })
    .where('id', '=', id)
    .execute();
}

export async function markDeleted(trx: Transaction<Database>, id: string, at: Date): Promise<void> {
  await trx
    .updateTable('comments')
    .set({ status: 'deleted', deleted_at: at })
    .where('id', '=', id)
    .execute();
}

/** A reader's own comments, newest first, with the article each is under. */
export async function listAuthorComments(
  db: Db,
  input: { authorId: string; before: { createdAt: Date; id: string } | undefined; limit: number },
) {
  let query = db
    .selectFrom('comments as c')
    .innerJoin('articles as ar', 'ar.id', 'c.article_id')
    .select([
      'c.id',
      'c.article_id as articleId',
      'c.parent_id as parentId',
      'c.body',
      'c.status',
      'c.up_count as up',
      'c.down_count as down',
      'c.created_at as createdAt',
      'c.edited_at as editedAt',
      'ar.headline',
      'ar.path',
      'ar.language',
    ])
    .where('c.author_id', '=', input.authorId);
  const before = input.before;
  if (before)
    query = query.where((eb) =>
      eb(eb.refTuple('c.created_at', 'c.id'), '<', eb.tuple(before.createdAt, before.id)),
    );
  return query
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(input.limit + 1)
    .execute();
}

/** Published direct replies to the given comments, newest first, a few per comment. */
export async function listRepliesTo(db: Db, parentIds: readonly string[], perParent: number) {
  if (parentIds.length === 0) return [];
  const ranked = db
    .selectFrom('comments as c')
    .innerJoin('accounts as a', 'a.id', 'c.author_id')
    .select([
      'c.id',
      'c.parent_id as parentId',
      'c.body',
      'c.created_at as createdAt',
      'a.display_name as authorName',
      sql<boolean>`a.status = 'deleted'`.as('authorDeleted'),
      sql<number>`(row_number() over (partition by c.parent_id order by c.created_at desc, c.id desc))::int`.as(
        'rank',
      ),
      sql<number>`(count(*) over (partition by c.parent_id))::int`.as('total'),
    ])
    .where('c.parent_id', 'in', [...parentIds])
    .where('c.status', '=', 'published');
  return db
    .selectFrom(ranked.as('r'))
    .selectAll()
    .where('r.rank', '<=', perParent)
    .orderBy('r.createdAt', 'desc')
    .execute();
}

/**
 * A change to an article's comments, as the channel carries it: a comment published, one changed
 * otherwise, or a vote, with the counts it left (a vote is the commonest change, and open pages
 * show its counts without asking the database again).
 */
export type CommentNotice =
  | { articleId: string; commentId: string; kind: 'posted' | 'changed' }
  | { articleId: string; commentId: string; kind: 'voted'; up: number; down: number };

/** Announces a change to an article's comments to every process, once the transaction commits. */
export async function notifyComments(db: Db, message: CommentNotice): Promise<void> {
  const payload = JSON.stringify({
    a: message.articleId,
    c: message.commentId,
    k: message.kind,
    ...(message.kind === 'voted' ? { u: message.up, d: message.down } : {}),
  });
  await sql`select pg_notify(${COMMENTS_CHANNEL}, ${payload})`.execute(db);
}

/** Every comment a reader wrote, for the download of their data (privacy). */
export async function listAllByAuthor(db: Db, authorId: string) {
  return db
    .selectFrom('comments as c')
    .innerJoin('articles as ar', 'ar.id', 'c.article_id')
    .select([
      'c.id',
      'ar.path as articlePath',
      'c.parent_id as parentId',
      'c.body',
      'c.status',
      'c.created_at as createdAt',
      'c.edited_at as editedAt',
      'c.deleted_at as deletedAt',
    ])
    .where('c.author_id', '=', authorId)
    .orderBy('c.id')
    .execute();
}
