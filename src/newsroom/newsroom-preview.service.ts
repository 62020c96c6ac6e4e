import { createHmac } from 'node:crypto';
import { type Article } from '../articles/article.js';
import { previewArticle } from '../articles/article-row.service.js';
import { findOrCreateMeta } from '../db/db-meta.js';
import { randomToken, sameSecret } from '../lib/tokens.js';
import { type NewsroomDeps, loadStory, rowInput } from './story-store.js';
import * as q from './newsroom.queries.js';

/**
 * A story's newest revision as readers would see it: for staff, or through a link signed with
 * the installation's key until it expires.
 */

/** The story's newest revision as readers would see it once published. */
export async function previewStory(
  deps: Pick<NewsroomDeps, 'db' | 'clock' | 'config'>,
  id: string,
): Promise<Article | undefined> {
  const story = await loadStory(deps.db, id);
  if (!story) return undefined;
  const now = deps.clock();
  return previewArticle(deps.db, id, rowInput(story.content), {
    publishedAt: story.publishedAt ?? story.scheduledFor ?? now,
    updatedAt: story.publishedAt ? now : null,
    timeZone: deps.config.timeZone,
  });
}

/** A preview link lives this long: long enough to send to a source for a fact check. */
export const PREVIEW_LINK_SECONDS = 48 * 3_600;

async function previewKey(db: q.Db): Promise<string> {
  return findOrCreateMeta(db, 'preview_key', () => randomToken());
}

function previewSignature(key: string, id: string, expires: number): string {
  return createHmac('sha256', key).update(`preview:${id}:${expires}`).digest('base64url');
}

/** A link anyone may open until it expires, showing the story's newest revision. */
export async function signPreviewLink(
  deps: Pick<NewsroomDeps, 'db' | 'clock'>,
  id: string,
): Promise<{ id: string; expires: number; signature: string }> {
  const expires = Math.floor(deps.clock().getTime() / 1000) + PREVIEW_LINK_SECONDS;
  return { id, expires, signature: previewSignature(await previewKey(deps.db), id, expires) };
}

export async function checkPreviewLink(
  deps: Pick<NewsroomDeps, 'db' | 'clock'>,
  link: { id: string; expires: number; signature: string },
): Promise<boolean> {
  if (link.expires * 1000 <= deps.clock().getTime()) return false;
  const expected = previewSignature(await previewKey(deps.db), link.id, link.expires);
  return sameSecret(expected, link.signature);
}
