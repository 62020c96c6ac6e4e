import { findArticleIdAt } from '../articles/articles.service.js';
import type { AppDeps } from '../deps.js';
import { notifyContentChanged } from '../db/db-notify.js';
import { EVERYTHING, articlesChanged } from '../lib/content-change.js';
import type { ThreadOverrides } from './comment.js';
import { findThread, type Thread } from './comments.service.js';
import * as settingsQ from './comments.settings.queries.js';

/**
 * Thread settings per section and per article (open, closed, closing N hours after publishing,
 * pre-moderated), set by editors. A changed setting changes the article page, so the page cache
 * hears of it like any content change.
 */

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config' | 'log' | 'contentChanged'>;

export function listSectionThreadSettings(deps: Deps) {
  return settingsQ.listSectionOverrides(deps.db);
}

export async function findArticleThreadSettings(
  deps: Deps,
  path: string,
): Promise<{ thread: Thread; overrides: ThreadOverrides } | undefined> {
  const id = await findArticleIdAt(deps, path);
  return id ? findArticleThreadSettingsById(deps, id) : undefined;
}

/** The same, by the article's id: a refused article form is shown again from its action's id. */
export async function findArticleThreadSettingsById(
  deps: Deps,
  id: string,
): Promise<{ thread: Thread; overrides: ThreadOverrides } | undefined> {
  const thread = await findThread(deps, id);
  if (!thread) return undefined;
  const { article } = await settingsQ.findThreadFacts(deps.db, id);
  return {
    thread,
    overrides: article ?? { state: null, closeAfterHours: null, premoderated: null },
  };
}

export async function setThreadSettings(
  deps: Deps,
  input: { scope: 'section' | 'article'; id: string; overrides: ThreadOverrides; by: string },
): Promise<void> {
  // One article's settings show on its page alone; a section's show on the pages of all its
  // articles, which are not known here and may be many.
  const change = input.scope === 'article' ? articlesChanged([input.id]) : EVERYTHING;
  await deps.db.transaction().execute(async (trx) => {
    await settingsQ.saveOverrides(trx, { ...input, at: deps.clock() });
    await notifyContentChanged(trx, change);
  });
  deps.contentChanged(change);
  deps.log.info({ ...input }, 'comment thread settings changed');
}
