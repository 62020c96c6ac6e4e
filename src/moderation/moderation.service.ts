import {
  applyDeskDecision,
  checkText,
  findCommentThread,
  listCommentRevisions,
  lockCommentForDesk,
  listMyComments,
} from '../comments/comments.service.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import { citableClauses, getCurrentPolicy, type PolicyVersion } from '../policy/policy.service.js';
import {
  NOTE_MAX,
  SUSPENSION_DAYS,
  decisionOutcome,
  sanctionOutcome,
  standingOf,
  type AppealOutcome,
  type CommentDecision,
  type Queue,
  type Sanction,
} from './moderation.js';
import { readerStanding } from './moderation-gate.service.js';
import {
  appendLog,
  findLogEntry,
  latestDecisions,
  listAccountLog,
  listCommentLog,
} from './moderation-log.queries.js';
import * as q from './moderation.queries.js';

/**
 * The standards board's desk: queues, claims, decisions on comments and readers, and appeals.
 * Every decision is checked against the revision the moderator saw (a stale one is refused),
 * against another moderator's claim, and against the policy in force (clauses cited must be its
 * own), and is appended to the audit log in the same transaction as its effect.
 */

export type DeskDeps = Pick<AppDeps, 'db' | 'clock' | 'config' | 'log'>;

export const QUEUE_PAGE_SIZE = 50;

function claimUntil(deps: DeskDeps, now: Date): Date {
  return new Date(now.getTime() + deps.config.moderation.claimMinutes * 60_000);
}

export type QueuePage = Readonly<{
  items: (q.QueueItem & { reportClauses: { clause: number; count: number }[] })[];
  appeals: q.AppealQueueItem[];
  sizes: Record<Queue, number>;
  hasMore: boolean;
  /** What the section filter offers. */
  sections: Awaited<ReturnType<typeof q.listSections>>;
}>;

export async function listQueuePage(
  deps: DeskDeps,
  input: { queue: Queue; filters: q.QueueFilters; page: number },
): Promise<QueuePage> {
  const offset = (input.page - 1) * QUEUE_PAGE_SIZE;
  const [sizes, sections] = await Promise.all([q.queueSizes(deps.db), q.listSections(deps.db)]);
  if (input.queue === 'appeals') {
    const appeals = await q.listOpenAppeals(deps.db, {
      filters: input.filters,
      limit: QUEUE_PAGE_SIZE + 1,
      offset,
    });
    return {
      items: [],
      appeals: appeals.slice(0, QUEUE_PAGE_SIZE),
      sizes,
      hasMore: appeals.length > QUEUE_PAGE_SIZE,
      sections,
    };
  }
  const rows = await q.listQueue(deps.db, {
    queue: input.queue,
    filters: input.filters,
    limit: QUEUE_PAGE_SIZE + 1,
    offset,
  });
  const page = rows.slice(0, QUEUE_PAGE_SIZE);
  const clauses = await q.openReportClauses(
    deps.db,
    page.filter((r) => r.openReports > 0).map((r) => r.id),
  );
  return {
    items: page.map((r) => ({ ...r, reportClauses: clauses.get(r.id) ?? [] })),
    appeals: [],
    sizes,
    hasMore: rows.length > QUEUE_PAGE_SIZE,
    sections,
  };
}

/**
 * Claims the next item of a queue for a moderator: a comment id, or for the appeals queue an
 * appeal id; undefined when nothing is left that nobody else holds.
 */
export async function claimNext(
  deps: DeskDeps,
  input: { queue: Queue; filters: q.QueueFilters; moderatorId: string },
): Promise<string | undefined> {
  const now = deps.clock();
  const until = claimUntil(deps, now);
  const { queue } = input;
  return deps.db
    .transaction()
    .execute((trx) =>
      queue === 'appeals'
        ? q.claimNextAppeal(trx, { moderatorId: input.moderatorId, now, until })
        : q.claimNextComment(trx, { ...input, queue, now, until }),
    );
}

/** Claims one comment for a moderator; refused while another moderator holds it. */
export async function claimComment(
  deps: DeskDeps,
  input: { commentId: string; moderatorId: string },
): Promise<void> {
  const now = deps.clock();
  const item = await q.findQueueItem(deps.db, input.commentId);
  if (!item) throw new AppError('NOT_FOUND', `comment ${input.commentId}`);
  assertNotOwn(item.authorId, input.moderatorId, `comment ${item.id}`);
  const claimed = await deps.db
    .transaction()
    .execute((trx) =>
      q.claimComment(trx, { ...input, id: input.commentId, now, until: claimUntil(deps, now) }),
    );
  if (!claimed) throw new AppError('MODERATION_CLAIMED', `comment ${input.commentId}`);
}

/**
 * The clauses a decision cites, checked against the policy in force, in order, once each: only
 * clauses a comment or reader can break (a clause about the board's own decisions is none).
 */
function citedClauses(policy: PolicyVersion, clauses: readonly number[], required: boolean) {
  const cited = [...new Set(clauses)].sort((a, b) => a - b);
  if (required && cited.length === 0) throw new AppError('MODERATION_CLAUSE_REQUIRED');
  const known = new Set(citableClauses(policy).map((c) => c.number));
  const unknown = cited.find((n) => !known.has(n));
  if (unknown !== undefined)
    throw new AppError('MODERATION_CLAUSE_REQUIRED', `no clause ${unknown} in ${policy.version}`);
  return cited;
}

/** An optional note to the reader: at most NOTE_MAX visible characters, like comment text. */
function noteOf(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  const checked = checkText(raw, NOTE_MAX);
  if (!checked.ok) throw new AppError('MODERATION_NOTE_INVALID', checked.problem.code);
  return checked.text;
}

/**
 * Nobody on the board judges their own words: a moderator who comments is a reader there, and a
 * decision (featuring, restoring, granting an appeal) on one's own comment would be self-dealing
 * whatever its outcome.
 */
function assertNotOwn(authorId: string, moderatorId: string, what: string): void {
  if (authorId === moderatorId)
    throw new AppError('MODERATION_OWN_COMMENT', `${what} is by ${moderatorId}`);
}

/** Refuses a decision made on what another moderator holds or has changed since. */
function assertCurrent(
  item: { rev: number; claimedBy: string | null; claimedUntil: Date | null },
  input: { rev: number; moderatorId: string },
  now: Date,
  what: string,
): void {
  if (item.rev !== input.rev)
    throw new AppError('MODERATION_STALE', `${what}: rev ${input.rev}, now ${item.rev}`);
  if (
    item.claimedBy !== null &&
    item.claimedBy !== input.moderatorId &&
    item.claimedUntil !== null &&
    item.claimedUntil > now
  )
    throw new AppError('MODERATION_CLAIMED', `${what} held by ${item.claimedBy}`);
}

export type DecisionInput = Readonly<{
  moderatorId: string;
  commentId: string;
  /** The comment's moderation revision the moderator saw. */
  rev: number;
  decision: CommentDecision;
  clauses: readonly number[];
  note?: string | undefined;
  /** Set when the decision was one of a bulk selection. */
  bulk?: boolean;
}>;

export async function decideComment(deps: DeskDeps, input: DecisionInput): Promise<void> {
  const policy = await getCurrentPolicy(deps);
  const note = noteOf(input.note);
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const comment = await lockCommentForDesk(trx, input.commentId);
    if (!comment) throw new AppError('NOT_FOUND', `comment ${input.commentId}`);
    assertNotOwn(comment.authorId, input.moderatorId, `comment ${comment.id}`);
    assertCurrent(comment, input, now, `comment ${comment.id}`);
    const outcome = decisionOutcome(input.decision, comment);
    if (!outcome)
      throw new AppError('MODERATION_NOT_APPLICABLE', `${input.decision} on ${comment.status}`);
    const clauses = citedClauses(policy, input.clauses, outcome.needsClauses);
    await applyDeskDecision(trx, comment, { ...outcome, at: now });
    const reports = await q.resolveReports(trx, comment.id, now);
    await appendLog(trx, {
      at: now,
      action: outcome.action,
      actorId: input.moderatorId,
      commentId: comment.id,
      articleId: comment.articleId,
      accountId: comment.authorId,
      policyVersion: policy.version,
      clauses,
      note,
      fromState: comment.status,
      toState: outcome.status,
      detail: { reportsSettled: reports, ...(input.bulk ? { bulk: true } : {}) },
    });
  });
  deps.log.info(
    { commentId: input.commentId, decision: input.decision, moderatorId: input.moderatorId },
    'comment decided',
  );
}

export type BulkResult = Readonly<{
  decided: string[];
  skipped: { id: string; code: string }[];
}>;

/**
 * One decision over a selection. Each comment is decided in its own transaction, so one that
 * another moderator changed or holds is skipped and named, and the rest still go through.
 */
export async function decideBulk(
  deps: DeskDeps,
  input: Omit<DecisionInput, 'commentId' | 'rev' | 'bulk'> & {
    items: readonly { id: string; rev: number }[];
  },
): Promise<BulkResult> {
  const decided: string[] = [];
  const skipped: { id: string; code: string }[] = [];
  for (const item of input.items) {
    try {
      await decideComment(deps, { ...input, commentId: item.id, rev: item.rev, bulk: true });
      decided.push(item.id);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // A missing clause or a bad note fails every item alike: say so once, not per item.
      if (error.code === 'MODERATION_CLAUSE_REQUIRED' || error.code === 'MODERATION_NOTE_INVALID')
        throw error;
      skipped.push({ id: item.id, code: error.code });
    }
  }
  return { decided, skipped };
}

/** Everything a moderator needs to decide one comment. */
export async function commentCase(deps: DeskDeps, commentId: string) {
  const item = await q.findQueueItem(deps.db, commentId);
  if (!item) return undefined;
  const [thread, reports, log, appeals, policy, revisions] = await Promise.all([
    // Seen as the board sees it (held and hidden comments too); account 0 owns no votes.
    findCommentThread(deps, commentId, { accountId: '0', moderator: true }),
    q.listReports(deps.db, commentId),
    listCommentLog(deps.db, commentId),
    q.listAppealsFor(deps.db, [commentId]),
    getCurrentPolicy(deps),
    // What the comment said before each edit: a decision may have been made on older words.
    listCommentRevisions(deps, commentId),
  ]);
  return {
    item,
    thread,
    reports,
    log,
    revisions,
    appeal: appeals.get(commentId),
    policy,
    reader: await readerCase(deps, item.authorId),
  };
}

/** A reader's history for the desk: counts by status, recent comments, decisions, standing. */
async function readerCase(deps: DeskDeps, accountId: string) {
  const reader = await q.findReader(deps.db, accountId);
  if (!reader) return undefined;
  const [counts, recent, decisions, standing] = await Promise.all([
    q.authorStatusCounts(deps.db, accountId),
    listMyComments(deps, { authorId: accountId, before: undefined }),
    listAccountLog(deps.db, accountId, 20),
    readerStanding(deps.db, accountId, deps.clock()),
  ]);
  return { reader, counts, recent: recent.comments.slice(0, 10), decisions, standing };
}

export type SanctionInput = Readonly<{
  moderatorId: string;
  accountId: string;
  /** The standing revision the moderator saw. */
  rev: number;
  sanction: Sanction;
  /** For a suspension. */
  days?: number | undefined;
  clauses: readonly number[];
  note?: string | undefined;
  /** The comment that led to it, when there is one. */
  commentId?: string | undefined;
}>;

export async function sanctionReader(deps: DeskDeps, input: SanctionInput): Promise<void> {
  const policy = await getCurrentPolicy(deps);
  const note = noteOf(input.note);
  const now = deps.clock();
  const days = input.days ?? 0;
  if (input.sanction === 'suspend' && !(SUSPENSION_DAYS as readonly number[]).includes(days))
    throw new AppError('BAD_REQUEST', `suspension of ${days} days`);
  const reader = await q.findReader(deps.db, input.accountId);
  if (!reader) throw new AppError('NOT_FOUND', `account ${input.accountId}`);
  // Staff accounts are the admins' to manage (/admin/accounts), not the board's.
  if (reader.role !== 'reader' || input.accountId === input.moderatorId)
    throw new AppError('SANCTION_NOT_ALLOWED', `account ${input.accountId} is ${reader.role}`);
  await deps.db.transaction().execute(async (trx) => {
    const row = await q.lockStanding(trx, input.accountId);
    if (row.rev !== input.rev)
      throw new AppError('MODERATION_STALE', `standing rev ${input.rev}, now ${row.rev}`);
    const outcome = sanctionOutcome(input.sanction, row, { now, days });
    const clauses = citedClauses(policy, input.clauses, outcome.needsClauses);
    await q.saveStanding(trx, input.accountId, outcome.row);
    await appendLog(trx, {
      at: now,
      action: outcome.action,
      actorId: input.moderatorId,
      accountId: input.accountId,
      commentId: input.commentId ?? null,
      policyVersion: policy.version,
      clauses,
      note,
      fromState: standingOf(row, now).state,
      toState: standingOf(outcome.row, now).state,
      detail: {
        ...(input.sanction === 'suspend'
          ? { days, until: outcome.row.suspendedUntil?.toISOString() }
          : {}),
      },
    });
  });
  deps.log.info(
    { accountId: input.accountId, sanction: input.sanction, moderatorId: input.moderatorId },
    'reader sanctioned',
  );
}

// Appeals --------------------------------------------------------------------------------------

/** The author appeals the decision that hid their comment: once, with a reason. */
export async function fileAppeal(
  deps: DeskDeps,
  input: { authorId: string; commentId: string; reason: string },
): Promise<string> {
  const checked = checkText(input.reason, NOTE_MAX);
  if (!checked.ok) throw new AppError('APPEAL_INVALID', checked.problem.code);
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const comment = await lockCommentForDesk(trx, input.commentId);
    if (!comment || comment.authorId !== input.authorId || comment.status !== 'hidden')
      throw new AppError('APPEAL_NOT_ALLOWED', `comment ${input.commentId}`);
    const decision = (
      await latestDecisions(trx, [comment.id], ['comment_rejected', 'comment_restored'])
    ).get(comment.id);
    if (decision?.action !== 'comment_rejected')
      throw new AppError('APPEAL_NOT_ALLOWED', `comment ${comment.id} has no rejection`);
    const id = await q.insertAppeal(trx, {
      commentId: comment.id,
      authorId: input.authorId,
      decisionId: decision.id,
      decidedByFirst: decision.actorId,
      reason: checked.text,
      at: now,
    });
    if (!id) throw new AppError('APPEAL_EXISTS', `comment ${comment.id}`);
    await appendLog(trx, {
      at: now,
      action: 'appeal_filed',
      actorId: input.authorId,
      commentId: comment.id,
      articleId: comment.articleId,
      accountId: input.authorId,
      policyVersion: decision.policyVersion,
      clauses: decision.clauses,
      detail: { appealId: id, decisionId: decision.id },
    });
    return id;
  });
}

/** An appeal with what it is about, for the desk. */
export async function appealCase(deps: DeskDeps, appealId: string) {
  const appeal = await q.findAppeal(deps.db, appealId);
  if (!appeal) return undefined;
  const [decision, comment, holder] = await Promise.all([
    findLogEntry(deps.db, appeal.decisionId),
    commentCase(deps, appeal.commentId),
    appeal.claimedBy ? q.findReader(deps.db, appeal.claimedBy) : undefined,
  ]);
  if (!comment) return undefined;
  return { appeal, decision, comment, claimedByName: holder?.displayName ?? null };
}

export async function decideAppeal(
  deps: DeskDeps,
  input: {
    moderatorId: string;
    appealId: string;
    rev: number;
    outcome: AppealOutcome;
    note?: string | undefined;
  },
): Promise<void> {
  const note = noteOf(input.note);
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const appeal = await q.lockAppeal(trx, input.appealId);
    if (!appeal) throw new AppError('NOT_FOUND', `appeal ${input.appealId}`);
    if (appeal.status !== 'open') throw new AppError('MODERATION_STALE', 'appeal decided');
    // The moderator whose decision is appealed never hears the appeal.
    if (appeal.decidedByFirst === input.moderatorId)
      throw new AppError('MODERATION_SAME_MODERATOR', `appeal ${appeal.id}`);
    assertNotOwn(appeal.authorId, input.moderatorId, `appeal ${appeal.id}`);
    assertCurrent(appeal, input, now, `appeal ${appeal.id}`);
    const decision = await findLogEntry(trx, appeal.decisionId);
    const comment = await lockCommentForDesk(trx, appeal.commentId);
    if (!comment) throw new AppError('NOT_FOUND', `comment ${appeal.commentId}`);
    const granted = input.outcome === 'granted';
    // Only a comment still hidden comes back; one its author deleted meanwhile stays deleted.
    const restored = granted && comment.status === 'hidden';
    if (restored)
      await applyDeskDecision(trx, comment, { status: 'published', featured: false, at: now });
    await q.decideAppealRow(trx, {
      id: appeal.id,
      status: input.outcome,
      by: input.moderatorId,
      at: now,
      rev: appeal.rev,
    });
    await appendLog(trx, {
      at: now,
      action: granted ? 'appeal_granted' : 'appeal_upheld',
      actorId: input.moderatorId,
      commentId: comment.id,
      articleId: comment.articleId,
      accountId: comment.authorId,
      policyVersion: decision?.policyVersion ?? null,
      clauses: decision?.clauses ?? [],
      note,
      fromState: comment.status,
      toState: restored ? 'published' : comment.status,
      detail: { appealId: appeal.id, decisionId: appeal.decisionId },
    });
  });
  deps.log.info(
    { appealId: input.appealId, outcome: input.outcome, moderatorId: input.moderatorId },
    'appeal decided',
  );
}
