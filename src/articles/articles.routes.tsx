import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import { articleTag } from '../http/page-cache.js';
import type { Pages } from '../http/pages.js';
import { assertUnreachable } from '../lib/assert.js';
import { LANGUAGES, editionPrefix, type Language } from '../lib/language.js';
import type { ViewContext } from '../views/site.js';
import type { Article } from './article.js';
import type { ArticleComments } from './article.js';
import { ArticlePage } from './article-page.js';
import { AuthorPage, HomePage, ListingPage } from './article-lists.js';
import { listAuthor, listHome, listSection, listTag } from './articles.listing.js';
import { findArticleAt } from './articles.service.js';
import { PUBLIC } from '../http/access.js';

/** Reader pages of the articles feature, in both editions. Handlers parse, call, shape. */

const slugParam = z.object({ slug: z.string().min(1).max(200) });
const articleParams = z.object({
  year: z.string().regex(/^\d{4}$/),
  month: z.string().regex(/^\d{2}$/),
  day: z.string().regex(/^\d{2}$/),
  section: z.string().min(1).max(200),
  slug: z.string().min(1).max(400),
});

function parseParams<T>(schema: z.ZodType<T>, params: unknown): T {
  const parsed = schema.safeParse(params);
  // An address of the right shape with a wrong part is simply not a page we have.
  if (!parsed.success) throw new AppError('NOT_FOUND', 'address parameters do not match');
  return parsed.data;
}

/**
 * What other features add to an article page: the comments under it, rendered for the person
 * looking. Given by app.tsx, so this feature never imports the one that fills it.
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
  for (const language of LANGUAGES) registerEdition(app, deps, pages, language, extras);
}

function registerEdition(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
  language: Language,
  extras: ArticleExtras,
): void {
  const prefix = editionPrefix(language);

  app.get(prefix || '/', PUBLIC, (request, reply) =>
    pages.respond(request, reply, language, async (ctx) => (
      <HomePage ctx={ctx} listing={await listHome(deps, language)} />
    )),
  );

  app.get(`${prefix}/:year/:month/:day/:section/:slug`, PUBLIC, (request, reply) => {
    const p = parseParams(articleParams, request.params);
    const path = `${prefix}/${p.year}/${p.month}/${p.day}/${p.section}/${p.slug}`.normalize('NFC');
    return pages.respond(request, reply, language, async (ctx) => {
      const found = await findArticleAt(deps, path);
      switch (found.kind) {
        case 'article': {
          // Tagged with each article it shows (itself, and its translation through the link), so
          // a change to another article, or to another article's comments, keeps it cached.
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
  });

  /** A page listing articles by one slug: found, or 404 (never cached). */
  const listing = <T,>(
    kind: 'section' | 'tag' | 'author',
    load: (slug: string) => Promise<T | undefined>,
    view: (ctx: ViewContext, found: T) => VNode,
  ) =>
    app.get(`${prefix}/${kind}/:slug`, PUBLIC, (request, reply) => {
      const slug = parseParams(slugParam, request.params).slug.normalize('NFC');
      return pages.respond(request, reply, language, async (ctx) => {
        const found = await load(slug);
        if (found === undefined) throw new AppError('NOT_FOUND', `${kind} ${slug}`);
        return view(ctx, found);
      });
    });

  listing(
    'section',
    (slug) => listSection(deps, language, slug),
    (ctx, found) => (
      <ListingPage
        ctx={ctx}
        heading={ctx.t.sectionHeading(found.section.name)}
        rest={`/section/${found.section.slug}`}
        articles={found.articles}
      />
    ),
  );
  listing(
    'tag',
    (slug) => listTag(deps, language, slug),
    (ctx, found) => (
      <ListingPage
        ctx={ctx}
        heading={ctx.t.tagHeading(found.tag.name)}
        rest={`/tag/${found.tag.slug}`}
        otherRest={found.otherEdition === undefined ? '' : `/tag/${found.otherEdition}`}
        articles={found.articles}
      />
    ),
  );
  listing(
    'author',
    (slug) => listAuthor(deps, language, slug),
    (ctx, found) => <AuthorPage ctx={ctx} listing={found} />,
  );
}
