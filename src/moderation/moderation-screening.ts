import type { Kysely, Transaction } from 'kysely';
import type { ModerationSettings } from '../config.js';
import type { Database } from '../db/db-schema.js';
import { AppError } from '../http/app-error.js';
import type { HoldReason } from './moderation.js';
import { findReaderHistory, readWordLists } from './moderation-screening.queries.js';
import { countLinks, findListedWord, listedWordsIn } from './moderation-words.js';

/**
 * Screening a new or edited comment: a banned word refuses it outright (the author keeps their
 * text and may change it); otherwise every rule that applies is named, so the desk sees all the
 * reasons a comment waits and not only the first. An empty `hold` publishes the comment.
 */

type Db = Kysely<Database> | Transaction<Database>;

const DAY_MS = 86_400_000;

export type ScreeningInput = Readonly<{
  authorId: string;
  /** Already normalised (normalizeCommentText) and trimmed, as it will be stored. */
  text: string;
  /** Whether the thread holds every comment (the site's, section's or article's setting). */
  premoderated: boolean;
  now: Date;
}>;

export type ScreeningResult = { hold: HoldReason[]; suspectWords: string[] };

export async function screenComment(
  db: Db,
  settings: ModerationSettings,
  input: ScreeningInput,
): Promise<ScreeningResult> {
  // Read inside the posting transaction: a list saved a moment ago applies to this comment.
  const lists = await readWordLists(db);
  const banned = findListedWord(input.text, lists.banned);
  if (banned !== undefined)
    throw new AppError('COMMENT_BANNED_WORD', `banned word in a comment by ${input.authorId}`, {
      params: { word: banned },
    });

  const hold: HoldReason[] = [];
  if (input.premoderated) hold.push('premoderated');
  const suspectWords = listedWordsIn(input.text, lists.suspect);
  if (suspectWords.length > 0) hold.push('suspect_word');
  if (countLinks(input.text) > settings.holdMaxLinks) hold.push('links');
  hold.push(...(await readerHoldReasons(db, settings, input)));
  return { hold, suspectWords };
}

/** The rules about the author rather than the text; each is off at 0. */
async function readerHoldReasons(
  db: Db,
  settings: ModerationSettings,
  input: ScreeningInput,
): Promise<HoldReason[]> {
  const { holdNewReaderDays, holdMinApproved, holdRejectionRate, holdRejectionMinDecided } =
    settings;
  // Spares the query when the site screens no one by their record (the default but for rate).
  if (holdNewReaderDays === 0 && holdMinApproved === 0 && holdRejectionRate === 0) return [];
  const history = await findReaderHistory(db, input.authorId);
  // The author's row is locked by the caller, so a missing account is a bug upstream.
  if (!history) throw new Error(`screening: no account ${input.authorId}`);

  const reasons: HoldReason[] = [];
  if (
    holdNewReaderDays > 0 &&
    input.now.getTime() - history.createdAt.getTime() < holdNewReaderDays * DAY_MS
  )
    reasons.push('new_reader');
  if (holdMinApproved > 0 && history.published < holdMinApproved) reasons.push('few_approved');
  // Only decided comments count: pending ones have no verdict and deleted ones are the
  // author's. A rate of 0 would hold every reader with a record, so it reads as "off" instead.
  const decided = history.published + history.hidden;
  if (
    holdRejectionRate > 0 &&
    decided >= holdRejectionMinDecided &&
    history.hidden / decided >= holdRejectionRate
  )
    reasons.push('rejection_rate');
  return reasons;
}
