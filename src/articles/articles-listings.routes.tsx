import type { FastifyInstance } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import type { Pages } from '../http/pages.js';
import { route } from '../http/route.js';
import { editionPrefix, type Language } from '../lib/language.js';
import type { ViewContext } from '../views/site.js';
import { AuthorPage, HomePage, ListingPage } from './article-lists.js';
import { listAuthor, listHome, listSection, listTag } from './articles.listing.js';

/** The lists of articles one edition shows: its home page, and each section, tag and author. */

/**
 * A section's, tag's or author's slug. Korean slugs arrive in whichever Unicode form the reader's
 * browser wrote; they are stored composed (NFC), so that is the form looked up.
 */
const slugParams = z.object({
  slug: z
    .string()
    .min(1)
    .max(200)
    .transform((slug) => slug.normalize('NFC')),
});

type ListingKind = 'section' | 'tag' | 'author';

export function registerListingRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
  language: Language,
): void {
  route(
    app,
    {
      method: 'GET',
      url: editionPrefix(language) || '/',
      access: 'public',
      schema: { summary: 'The home page: the latest articles', tags: ['articles'] },
    },
    (request, reply) =>
      pages.respond(request, reply, language, async (ctx) => (
        <HomePage ctx={ctx} listing={await listHome(deps, language)} />
      )),
  );
  const edition = { app, pages, language };
  registerListing(
    edition,
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
  registerListing(
    edition,
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
  registerListing(
    edition,
    'author',
    (slug) => listAuthor(deps, language, slug),
    (ctx, found) => <AuthorPage ctx={ctx} listing={found} />,
  );
}

/** A page listing articles by one slug: found, or 404 (never cached). */
function registerListing<T>(
  edition: Readonly<{ app: FastifyInstance; pages: Pages; language: Language }>,
  kind: ListingKind,
  load: (slug: string) => Promise<T | undefined>,
  view: (ctx: ViewContext, found: T) => VNode,
): void {
  const { app, pages, language } = edition;
  route(
    app,
    {
      method: 'GET',
      url: `${editionPrefix(language)}/${kind}/:slug`,
      access: 'public',
      schema: { params: slugParams, summary: `The articles of one ${kind}`, tags: ['articles'] },
    },
    (request, reply) =>
      pages.respond(request, reply, language, async (ctx) => {
        const { slug } = request.params;
        const found = await load(slug);
        if (found === undefined) throw new AppError('NOT_FOUND', `${kind} ${slug}`);
        return view(ctx, found);
      }),
  );
}
