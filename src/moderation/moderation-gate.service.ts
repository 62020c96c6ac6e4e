import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/db-schema.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import { findPolicyVersion, type PolicyVersion } from '../policy/policy.service.js';
import { ACTIVE_STANDING, standingOf, type HoldReason, type Standing } from './moderation.js';
import { appendLog, latestDecisions, type LogRow } from './moderation-log.queries.js';
import { screenComment } from './moderation-screening.js';
import * as q from './moderation.queries.js';

/**
 * What the comments feature asks of moderation while it writes and shows comments: whether a
 * reader may comment and whether a new text is held (screening), the audit log's record of what
 * happened to a comment, and the decision a comment's author sees. This module imports nothing
 * from comments, so comments may import it while the desk (moderation.service.ts) imports
 * comments.
 */

type Db = Kysely<Database> | Transaction<Database>;

export type GateDeps = Pick<AppDeps, 'config' | 'clock'>;

export async function readerStanding(db: Db, accountId: string, now: Date): Promise<Standing> {
  return standingOf((await q.findStanding(db, accountId)) ?? ACTIVE_STANDING, now);
}

/** Refuses a reader the board has suspended or banned from commenting. */
async function assertMayComment(db: Db, accountId: string, now: Date): Promise<void> {
  const standing = await readerStanding(db, accountId, now);
  switch (standing.state) {
    case 'active':
      return;
    case 'suspended':
      throw new AppError('COMMENTER_SUSPENDED', `account ${accountId}`, {
        params: { until: standing.until.toISOString() },
      });
    case 'banned':
      throw new AppError('COMMENTER_BANNED', `account ${accountId}`);
  }
}

export type Screening = Readonly<{ hold: HoldReason[]; suspectWords: string[] }>;

/**
 * Screens a comment's text and its author inside the posting (or editing) transaction, after the
 * author's row is locked: refuses a banned word or a sanctioned reader; otherwise says whether the
 * comment is held and why.
 */
export async function screenNewComment(
  trx: Db,
  deps: GateDeps,
  input: { authorId: string; text: string; premoderated: boolean },
): Promise<Screening> {
  const now = deps.clock();
  await assertMayComment(trx, input.authorId, now);
  return screenComment(trx, deps.config.moderation, { ...input, now });
}

export type CommentEvent =
  | Readonly<{
      action: 'comment_published' | 'comment_held';
      commentId: string;
      articleId: string;
      authorId: string;
      policyVersion: number;
      /** For a held comment: why, and the suspect words found. */
      screening?: Screening;
      /** The status before, for an edited comment held again. */
      fromState?: string;
    }>
  | Readonly<{
      action: 'comment_deleted';
      commentId: string;
      articleId: string;
      authorId: string;
      fromState: string;
    }>
  | Readonly<{
      /** The system's: an edit ended the board's feature. */
      action: 'comment_unfeatured';
      commentId: string;
      articleId: string;
      authorId: string;
      state: string;
    }>
  | Readonly<{
      action: 'comment_reported';
      commentId: string;
      articleId: string;
      authorId: string;
      reporterId: string;
      policyVersion: number;
      clause: number;
    }>;

/** The audit log's entry for something a reader did to a comment, in the caller's transaction. */
export async function recordCommentEvent(db: Db, at: Date, event: CommentEvent): Promise<void> {
  const base = { at, commentId: event.commentId, articleId: event.articleId };
  switch (event.action) {
    case 'comment_published':
    case 'comment_held':
      await appendLog(db, {
        ...base,
        action: event.action,
        actorId: event.action === 'comment_held' ? null : event.authorId,
        accountId: event.authorId,
        policyVersion: event.policyVersion,
        fromState: event.fromState ?? null,
        toState: event.action === 'comment_held' ? 'pending' : 'published',
        detail: event.screening
          ? { reasons: event.screening.hold, words: event.screening.suspectWords }
          : {},
      });
      return;
    case 'comment_deleted':
      await appendLog(db, {
        ...base,
        action: 'comment_deleted',
        actorId: event.authorId,
        accountId: event.authorId,
        fromState: event.fromState,
        toState: 'deleted',
      });
      return;
    case 'comment_unfeatured':
      await appendLog(db, {
        ...base,
        action: 'comment_unfeatured',
        actorId: null,
        accountId: event.authorId,
        fromState: event.state,
        toState: event.state,
        detail: { edited: true },
      });
      return;
    case 'comment_reported':
      await appendLog(db, {
        ...base,
        action: 'comment_reported',
        actorId: event.reporterId,
        accountId: event.authorId,
        policyVersion: event.policyVersion,
        clauses: [event.clause],
      });
      return;
  }
}

/** The desk's decisions an author is shown on "My comments". */
export const DECISIONS_SHOWN = [
  'comment_held',
  'comment_approved',
  'comment_rejected',
  'comment_restored',
  'appeal_upheld',
  'appeal_granted',
] as const;

export type DecisionShown = (typeof DECISIONS_SHOWN)[number];

export type CommentDecisionView = Readonly<{
  decision: LogRow & { action: DecisionShown };
  /** The clauses the decision cites, with their titles in the version cited. */
  clauses: { number: number; title: Readonly<{ en: string; ko: string }> | undefined }[];
  /** The appeal of this comment, when its author made one. */
  appeal: q.AppealRow | undefined;
  /** Whether the author may still appeal (a hidden comment, never appealed). */
  mayAppeal: boolean;
}>;

/** For each of an author's comments, the latest decision on it and its appeal. */
export async function commentDecisions(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  comments: readonly { id: string; status: string }[],
): Promise<Map<string, CommentDecisionView>> {
  const ids = comments.map((c) => c.id);
  const decisions = await latestDecisions(deps.db, ids, DECISIONS_SHOWN);
  const appeals = await q.listAppealsFor(deps.db, ids);
  const versions = new Map<number, PolicyVersion | undefined>();
  for (const d of decisions.values())
    if (d.policyVersion !== null && d.clauses.length > 0 && !versions.has(d.policyVersion))
      versions.set(d.policyVersion, await findPolicyVersion(deps, d.policyVersion));
  const views = new Map<string, CommentDecisionView>();
  for (const comment of comments) {
    const decision = decisions.get(comment.id);
    if (!decision) continue;
    const appeal = appeals.get(comment.id);
    const policy =
      decision.policyVersion === null ? undefined : versions.get(decision.policyVersion);
    views.set(comment.id, {
      decision,
      clauses: decision.clauses.map((number) => ({
        number,
        title: policy?.clauses.find((c) => c.number === number)?.title,
      })),
      appeal,
      mayAppeal: comment.status === 'hidden' && decision.action === 'comment_rejected' && !appeal,
    });
  }
  return views;
}
