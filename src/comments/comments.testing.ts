import { accountForIdentity } from '../accounts/accounts.service.js';
import { englishArticle } from '../articles/articles.fixtures.js';
import { findArticleIdAt, saveArticles } from '../articles/articles.service.js';
import type { ArticleInput } from '../articles/article.js';
import type { DatabaseHandle } from '../db/db.js';
import type { AppDeps } from '../deps.js';
import { acceptPolicy, getCurrentPolicy } from '../policy/policy.service.js';
import { resetPolicy } from '../policy/policy.testing.js';

/** What the comments tests share: a clean slate, a published article, readers. */

export async function resetComments(handle: DatabaseHandle): Promise<void> {
  for (const table of [
    'comment_reports',
    'comment_vote_events',
    'comment_votes',
    'comment_revisions',
    'comment_counts',
    'comment_article_settings',
    'comment_section_settings',
  ] as const)
    await handle.db.deleteFrom(table).execute();
  // Replies first: a comment's parent must outlive it.
  await handle.db.deleteFrom('comments').where('parent_id', 'is not', null).execute();
  await handle.db.deleteFrom('comments').execute();
  await handle.db.deleteFrom('rate_limits').execute();
  await resetPolicy(handle);
}

let articles = 0;

/** A published article of its own for a test; returns its id and path. */
export async function publishedArticle(
  deps: AppDeps,
  overrides: Partial<ArticleInput> = {},
): Promise<{ id: string; path: string }> {
  articles += 1;
  const [saved] = await saveArticles(deps, [
    englishArticle({ slug: `comment-test-${process.pid}-${articles}`, ...overrides }),
  ]);
  if (!saved) throw new Error('article not saved');
  const id = await findArticleIdAt(deps, saved.path);
  if (!id) throw new Error('article not found');
  return { id, path: saved.path };
}

let readers = 0;

/** A reader account, named, who has accepted the policy in force unless told otherwise. */
export async function testReader(
  deps: AppDeps,
  name: string,
  options: { accept?: boolean } = {},
): Promise<string> {
  readers += 1;
  const { account } = await accountForIdentity(
    deps,
    { provider: 'test', subject: `${name}-${process.pid}-${readers}`, name },
    `198.51.100.${readers % 250}`,
  );
  if (options.accept ?? true)
    await acceptPolicy(deps, account.id, (await getCurrentPolicy(deps)).version);
  return account.id;
}
