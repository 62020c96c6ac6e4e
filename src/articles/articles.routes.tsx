import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import { articleTag } from '../http/page-cache.js';
import type { Pages } from '../http/pages.js';
import { route } from '../http/route.js';
import { assertUnreachable } from '../lib/assert.js';
import { LANGUAGES, editionPrefix, type Language } from '../lib/language.js';
import type { ViewContext } from '../views/site.js';
import type { Article, ArticleComments } from './article.js';
import { ArticlePage } from './article-page.js';
import { registerListingRoutes } from './articles-listings.routes.js';
import { findArticleAt } from './articles.service.js';

/**
 * Reader pages of the articles feature, in both editions: an article at its dated address here,
 * the home page and the section, tag and author lists in articles-listings.routes.tsx.
 */

/** An address of the right shape with a wrong part is simply not a page we have: 404. */
const articleParams = z.object({
  year: z.string().regex(/^\d{4}$/),
  month: z.string().regex(/^\d{2}$/),
  day: z.string().regex(/^\d{2}$/),
  section: z.string().min(1).max(200),
  slug: z.string().min(1).max(400),
});

/**
 * What other features add to an article page: the comments under it, rendered for the person
 * looking. Given by src/features.ts, so this feature never imports the one that fills it.
 */
export type ArticleExtras = {
  comments?: (
    ctx: ViewContext,
    article: Article,
    request: FastifyRequest,
  ) => Promise<ArticleComments>;
};

export function registerArticleRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
  extras: ArticleExtras = {},
): void {
  for (const language of LANGUAGES) {
    registerListingRoutes(app, deps, pages, language);
    registerArticlePage(app, deps, pages, language, extras);
  }
}

function registerArticlePage(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
  language: Language,
  extras: ArticleExtras,
): void {
  const prefix = editionPrefix(language);
  route(
    app,
    {
      method: 'GET',
      url: `${prefix}/:year/:month/:day/:section/:slug`,
      access: 'public',
      schema: {
        params: articleParams,
        summary: 'An article at its address, or a redirect to where it moved',
        tags: ['articles'],
      },
    },
    (request, reply) => {
      const p = request.params;
      const path = `${prefix}/${p.year}/${p.month}/${p.day}/${p.section}/${p.slug}`.normalize(
        'NFC',
      );
      return pages.respond(request, reply, language, async (ctx) => {
        const found = await findArticleAt(deps, path);
        switch (found.kind) {
          case 'article': {
            // Tagged with each article it shows (itself, and its translation through the link),
            // so a change to another article, or to another article's comments, keeps it cached.
            pages.tag(request, articleTag(found.article.id));
            if (found.article.translation)
              pages.tag(request, articleTag(found.article.translation.id));
            const comments = await extras.comments?.(ctx, found.article, request);
            return <ArticlePage ctx={ctx} article={found.article} comments={comments} />;
          }
          case 'moved':
            return { redirect: encodeURI(found.path) };
          case 'gone':
            throw new AppError('GONE', path);
          case 'missing':
            throw new AppError('NOT_FOUND', path);
          default:
            return assertUnreachable(found);
        }
      });
    },
  );
}
