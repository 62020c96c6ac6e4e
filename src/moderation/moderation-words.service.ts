import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import { appendLog } from './moderation-log.queries.js';
import { readWordLists, replaceWordLists, type WordLists } from './moderation-screening.queries.js';
import { parseWordLists, type WordListsProblem } from './moderation-words.js';

/**
 * The admin's word lists: read for the editing page, and replaced whole from its two textareas.
 * Screening reads the same rows (moderation-screening.ts), so a save applies to the next comment.
 */

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export type { WordLists };

/** Both lists, each in sorted order. */
export function listWordLists(deps: Pick<AppDeps, 'db'>): Promise<WordLists> {
  return readWordLists(deps.db);
}

/** For logs and the CLI: which rule a refused list broke. */
export function describeWordListsProblem(problem: WordListsProblem): string {
  return problem.kind === 'both_lists'
    ? `"${problem.word}" is in both lists`
    : `${problem.list} list, line ${String(problem.line)}: ${problem.reason}`;
}

/**
 * Replaces both lists from the admin's text, one entry per line, and records the change in the
 * audit log with the new sizes. Refuses the whole save, keeping the old lists, on any bad entry or
 * a word in both lists.
 */
export async function saveWordLists(
  deps: Deps,
  input: { adminId: string; banned: string; suspect: string },
): Promise<WordLists> {
  const parsed = parseWordLists(input);
  if (!parsed.ok) throw new AppError('WORD_LIST_INVALID', describeWordListsProblem(parsed.problem));
  const lists: WordLists = { banned: parsed.banned, suspect: parsed.suspect };
  const at = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    await replaceWordLists(trx, { lists, adminId: input.adminId, at });
    await appendLog(trx, {
      at,
      action: 'words_changed',
      actorId: input.adminId,
      detail: { banned: lists.banned.length, suspect: lists.suspect.length },
    });
  });
  return { banned: [...lists.banned].sort(), suspect: [...lists.suspect].sort() };
}
