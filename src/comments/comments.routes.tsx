import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Article, ArticleComments } from '../articles/article.js';
import type { AppDeps } from '../deps.js';
import type { Pages } from '../http/pages.js';
import { LANGUAGES } from '../lib/language.js';
import type { ViewContext } from '../views/site.js';
import type { CommentServices } from './comments-http.js';
import { registerOneCommentRoutes } from './comments-comment.routes.js';
import { registerLiveCommentRoutes } from './comments-live.routes.js';
import { registerMyCommentsRoute } from './comments-mine.routes.js';
import { registerOwnCommentRoutes } from './comments-own.routes.js';
import { registerReportRoutes } from './comments-report.routes.js';
import { articleCommentsOf, registerThreadRoutes } from './comments-thread.routes.js';

/**
 * Readers' comment routes, one resource to a file: an article's thread (comments-thread), its
 * live stream (comments-live), one comment and its votes (comments-comment), the author's edit
 * and delete (comments-own), reports (comments-report) and "My comments" (comments-mine). Each
 * handler's input is parsed by its schema (comments.schemas.ts) before it runs, and every POST
 * passed the CSRF check in src/http/access.ts; JSON answers are written in comments.wire.ts.
 *
 * Returns the comments under an article page, which the wiring gives the articles feature.
 */
export async function registerCommentRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
  services: CommentServices,
): Promise<{
  articleComments: (
    ctx: ViewContext,
    article: Article,
    request: FastifyRequest,
  ) => Promise<ArticleComments>;
}> {
  const routes = { deps, pages, services };
  await registerLiveCommentRoutes(app, routes);
  for (const language of LANGUAGES) {
    registerThreadRoutes(app, routes, language);
    registerOneCommentRoutes(app, routes, language);
    registerOwnCommentRoutes(app, routes, language);
    registerReportRoutes(app, routes, language);
    registerMyCommentsRoute(app, routes, language);
  }
  return { articleComments: articleCommentsOf(routes) };
}
