import type { CommentStatusColumn, ModerationLogAction } from '../db/db-schema.js';
import { assertUnreachable } from '../lib/assert.js';

/**
 * The standards board's vocabulary and its pure rules: which decision applies to a comment in
 * which state and what it leaves behind, what a sanction does to a reader's standing, and why a
 * new comment is held.
 */

export type LogAction = ModerationLogAction;

export const QUEUES = ['pending', 'reported', 'recent', 'appeals'] as const;
export type Queue = (typeof QUEUES)[number];

export const COMMENT_DECISIONS = ['approve', 'reject', 'feature', 'unfeature', 'restore'] as const;
export type CommentDecision = (typeof COMMENT_DECISIONS)[number];

/** What a decision does to a comment: its next status, its featured mark, the log's word. */
export type DecisionOutcome = Readonly<{
  status: 'published' | 'hidden';
  featured: boolean;
  action: LogAction;
  /** Whether the decision must cite clauses of the policy in force. */
  needsClauses: boolean;
}>;

/**
 * The transitions of a comment under the desk's decisions, or undefined when the decision does
 * not apply (a deleted comment is the author's and stays so; approving a hidden one is a
 * restore; featuring is for published comments). Approving a published comment settles its
 * reports without changing it.
 */
export function decisionOutcome(
  decision: CommentDecision,
  current: { status: CommentStatusColumn; featured: boolean },
): DecisionOutcome | undefined {
  const { status, featured } = current;
  switch (decision) {
    case 'approve':
      return status === 'pending' || status === 'published'
        ? { status: 'published', featured, action: 'comment_approved', needsClauses: false }
        : undefined;
    case 'reject':
      return status === 'pending' || status === 'published'
        ? { status: 'hidden', featured: false, action: 'comment_rejected', needsClauses: true }
        : undefined;
    case 'feature':
      return status === 'published' && !featured
        ? { status: 'published', featured: true, action: 'comment_featured', needsClauses: false }
        : undefined;
    case 'unfeature':
      return status === 'published' && featured
        ? {
            status: 'published',
            featured: false,
            action: 'comment_unfeatured',
            needsClauses: false,
          }
        : undefined;
    case 'restore':
      return status === 'hidden'
        ? { status: 'published', featured: false, action: 'comment_restored', needsClauses: false }
        : undefined;
    default:
      return assertUnreachable(decision);
  }
}

export const SANCTIONS = ['warn', 'suspend', 'ban', 'reinstate'] as const;
export type Sanction = (typeof SANCTIONS)[number];

export const SUSPENSION_DAYS = [1, 3, 7, 30] as const;

export type StandingRow = Readonly<{
  suspendedUntil: Date | null;
  banned: boolean;
  warnings: number;
  rev: number;
}>;

export type Standing =
  | Readonly<{ state: 'active'; warnings: number; rev: number }>
  | Readonly<{ state: 'suspended'; until: Date; warnings: number; rev: number }>
  | Readonly<{ state: 'banned'; warnings: number; rev: number }>;

export const ACTIVE_STANDING: StandingRow = {
  suspendedUntil: null,
  banned: false,
  warnings: 0,
  rev: 0,
};

export function standingOf(row: StandingRow, now: Date): Standing {
  const { warnings, rev } = row;
  if (row.banned) return { state: 'banned', warnings, rev };
  if (row.suspendedUntil && row.suspendedUntil > now)
    return { state: 'suspended', until: row.suspendedUntil, warnings, rev };
  return { state: 'active', warnings, rev };
}

/** A sanction's effect on the standing row, and its word in the log. */
export function sanctionOutcome(
  sanction: Sanction,
  row: StandingRow,
  input: { now: Date; days: number },
): { row: StandingRow; action: LogAction; needsClauses: boolean } {
  const rev = row.rev + 1;
  switch (sanction) {
    case 'warn':
      return {
        row: { ...row, warnings: row.warnings + 1, rev },
        action: 'reader_warned',
        needsClauses: true,
      };
    case 'suspend':
      return {
        row: {
          ...row,
          suspendedUntil: new Date(input.now.getTime() + input.days * 86_400_000),
          rev,
        },
        action: 'reader_suspended',
        needsClauses: true,
      };
    case 'ban':
      return { row: { ...row, banned: true, rev }, action: 'reader_banned', needsClauses: true };
    case 'reinstate':
      return {
        row: { ...row, banned: false, suspendedUntil: null, rev },
        action: 'reader_reinstated',
        needsClauses: false,
      };
    default:
      return assertUnreachable(sanction);
  }
}

/** Why a new comment waits for the desk instead of appearing. */
export type HoldReason =
  'premoderated' | 'suspect_word' | 'links' | 'new_reader' | 'few_approved' | 'rejection_rate';

export type AppealOutcome = 'upheld' | 'granted';

/** The note a moderator leaves the reader, and an appeal's reason: visible characters. */
export const NOTE_MAX = 500;
