import { editionPrefix } from '../lib/language.js';
import { formatNewsroomDate } from '../views/dates.js';
import { Layout } from '../views/layout.js';
import type { PageMeta, ViewContext } from '../views/site.js';
import type { ArticleSummary } from './article.js';
import type { AuthorListing, HomeListing } from './articles.listing.js';

function ArticleList({
  ctx,
  articles,
  headingLevel,
}: {
  ctx: ViewContext;
  articles: readonly ArticleSummary[];
  headingLevel: 2 | 3;
}) {
  if (articles.length === 0) return <p class="empty">{ctx.t.noArticles}</p>;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <ul class="article-list">
      {articles.map((article) => (
        <li key={article.id}>
          <Heading class="article-list-headline">
            <a href={article.path}>{article.headline}</a>
          </Heading>
          {article.summary ? <p class="article-list-summary">{article.summary}</p> : null}
          <p class="article-list-meta">
            <time dateTime={article.publishedAt.toISOString()}>
              {formatNewsroomDate(article.publishedAt, ctx.site.timeZone, ctx.language)}
            </time>
            {article.authors.length > 0
              ? ` · ${article.authors.map((a) => a.name).join(', ')}`
              : null}
          </p>
        </li>
      ))}
    </ul>
  );
}

function listingMeta(ctx: ViewContext, title: string, path: string, otherPath: string): PageMeta {
  return { title, canonicalPath: path, switchPath: otherPath };
}

/** The same page in the other edition: listing pages mirror each other under /ko. */
export function otherEditionPath(ctx: ViewContext, rest: string): string {
  const other = ctx.language === 'en' ? 'ko' : 'en';
  return `${editionPrefix(other)}${rest}` || '/';
}

export function HomePage({ ctx, listing }: { ctx: ViewContext; listing: HomeListing }) {
  const { t, language, site } = ctx;
  const prefix = editionPrefix(language);
  const meta = listingMeta(ctx, site.name[language], prefix || '/', otherEditionPath(ctx, ''));
  return (
    <Layout
      ctx={ctx}
      meta={{
        ...meta,
        alternate: { language: language === 'en' ? 'ko' : 'en', path: meta.switchPath },
      }}
    >
      <h1 class="visually-hidden">{site.name[language]}</h1>
      <section aria-labelledby="latest-heading">
        <h2 id="latest-heading">{t.latest}</h2>
        <ArticleList ctx={ctx} articles={listing.latest} headingLevel={3} />
      </section>
      {listing.sections.map(({ section, articles }) => (
        <section aria-labelledby={`section-${section.slug}`} key={section.slug}>
          <h2 id={`section-${section.slug}`}>
            <a href={`${prefix}/section/${section.slug}`}>{section.name}</a>
          </h2>
          <ArticleList ctx={ctx} articles={articles} headingLevel={3} />
        </section>
      ))}
    </Layout>
  );
}

export function ListingPage({
  ctx,
  heading,
  rest,
  otherRest = rest,
  articles,
}: {
  ctx: ViewContext;
  heading: string;
  /** The path without the edition prefix, e.g. /section/national. */
  rest: string;
  /** The same in the other edition ('' for its home); a section's is its own. */
  otherRest?: string;
  articles: readonly ArticleSummary[];
}) {
  const path = `${editionPrefix(ctx.language)}${rest}`;
  return (
    <Layout ctx={ctx} meta={listingMeta(ctx, heading, path, otherEditionPath(ctx, otherRest))}>
      <h1>{heading}</h1>
      <ArticleList ctx={ctx} articles={articles} headingLevel={2} />
    </Layout>
  );
}

export function AuthorPage({ ctx, listing }: { ctx: ViewContext; listing: AuthorListing }) {
  const { t } = ctx;
  const rest = `/author/${listing.person.slug}`;
  const path = `${editionPrefix(ctx.language)}${rest}`;
  const heading = t.authorHeading(listing.person.name);
  const otherRest = listing.otherEdition === undefined ? '' : `/author/${listing.otherEdition}`;
  return (
    <Layout ctx={ctx} meta={listingMeta(ctx, heading, path, otherEditionPath(ctx, otherRest))}>
      <h1>{heading}</h1>
      {listing.person.email ? (
        <p class="author-email">
          {t.authorEmail}: <a href={`mailto:${listing.person.email}`}>{listing.person.email}</a>
        </p>
      ) : null}
      {listing.person.bio ? <p class="author-bio">{listing.person.bio}</p> : null}
      <ArticleList ctx={ctx} articles={listing.articles} headingLevel={2} />
    </Layout>
  );
}
