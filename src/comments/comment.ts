import { ROW_ID } from '../http/schemas.js';
import type { CommentSettings } from '../config.js';
import { assertUnreachable } from '../lib/assert.js';

/**
 * Comments' domain types and pure rules: statuses, thread settings, sort orders and their
 * cursors, and the 공감 ratio. No I/O here.
 */

export type CommentStatus = 'published' | 'pending' | 'hidden' | 'deleted';
export type CommentSort = 'newest' | 'oldest' | 'top' | 'ratio';
export const COMMENT_SORTS: readonly CommentSort[] = ['newest', 'oldest', 'top', 'ratio'];

/** Where a delete started, and so where the reader returns: their list, or the thread. */
export type DeleteOrigin = 'account' | 'thread';

export type ThreadState = 'open' | 'closed';
/** A thread setting as stored for a section or an article: null inherits. */
export type ThreadOverrides = Readonly<{
  state: ThreadState | null;
  closeAfterHours: number | null;
  premoderated: boolean | null;
}>;
export type ThreadSettings = Readonly<{
  state: ThreadState;
  closeAfterHours: number;
  premoderated: boolean;
}>;

/** The article's setting wins over its section's, which wins over the site's. */
export function resolveThreadSettings(
  site: CommentSettings,
  section: ThreadOverrides | undefined,
  article: ThreadOverrides | undefined,
): ThreadSettings {
  return {
    state: article?.state ?? section?.state ?? site.threadDefault,
    closeAfterHours: article?.closeAfterHours ?? section?.closeAfterHours ?? site.closeAfterHours,
    premoderated: article?.premoderated ?? section?.premoderated ?? site.premoderated,
  };
}

/** When an open thread closes by itself, if it does. */
export function threadClosesAt(settings: ThreadSettings, publishedAt: Date): Date | undefined {
  if (settings.state !== 'open' || settings.closeAfterHours === 0) return undefined;
  return new Date(publishedAt.getTime() + settings.closeAfterHours * 3_600_000);
}

export function threadIsOpen(settings: ThreadSettings, publishedAt: Date, now: Date): boolean {
  if (settings.state === 'closed') return false;
  const closes = threadClosesAt(settings, publishedAt);
  return closes === undefined || now < closes;
}

/**
 * The Wilson score interval's lower bound at 95% for the share of 공감 among votes: a comment
 * with 9 of 10 ranks below one with 90 of 100, which a raw ratio would tie.
 */
export function wilsonLowerBound(up: number, down: number): number {
  const n = up + down;
  if (n === 0) return 0;
  const z = 1.959963984540054;
  const p = up / n;
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n)) / (1 + z2 / n);
}

/** Where a page of a thread starts: the last row of the previous page in its sort order. */
export type CommentCursor = { sort: CommentSort; key: string | number; id: string };

export function encodeCursor(cursor: CommentCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id])).toString('base64url');
}

/** A cursor from the address bar is input like any other: anything malformed is undefined. */
export function decodeCursor(text: string, sort: CommentSort): CommentCursor | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    // Not JSON: the caller answers 400, which is the whole of the handling needed.
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 3) return undefined;
  const [cursorSort, key, id] = value as unknown[];
  if (cursorSort !== sort || typeof id !== 'string' || !ROW_ID.test(id)) return undefined;
  switch (sort) {
    case 'newest':
    case 'oldest':
      return typeof key === 'string' && !Number.isNaN(Date.parse(key))
        ? { sort, key, id }
        : undefined;
    case 'top':
      return Number.isSafeInteger(key) && (key as number) >= 0
        ? { sort, key: key as number, id }
        : undefined;
    case 'ratio':
      return typeof key === 'number' && Number.isFinite(key) && key >= 0 && key <= 1
        ? { sort, key, id }
        : undefined;
    default:
      return assertUnreachable(sort);
  }
}

export function isCommentSort(value: unknown): value is CommentSort {
  return typeof value === 'string' && (COMMENT_SORTS as readonly string[]).includes(value);
}

/** Who may see a comment of a given status besides everyone who sees published ones. */
export type CommentViewer = Readonly<{ accountId: string; moderator: boolean }> | null;
