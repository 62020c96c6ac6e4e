import { editionPrefix } from '../lib/language.js';
import { formatNewsroomDate, formatNewsroomDateTime } from '../views/dates.js';
import { Layout } from '../views/layout.js';
import { absoluteUrl, type PageMeta, type ViewContext } from '../views/site.js';
import type { Article, ArticleComments, Byline } from './article.js';
import { Blocks } from './article-body-view.js';
import { correctionsPath, kindLabel, type ArticleCorrection } from './article-corrections.js';

function BylineLine({ ctx, author }: { ctx: ViewContext; author: Byline }) {
  const { t, language } = ctx;
  // House style sets English names in capitals; Korean names have no case.
  const name = language === 'en' ? author.name.toLocaleUpperCase('en') : author.name;
  return (
    <p class="byline">
      {t.bylinePrefix ? `${t.bylinePrefix} ` : null}
      <a href={`${editionPrefix(language)}/author/${author.slug}`}>{name}</a>
      {t.bylineSuffix ? ` ${t.bylineSuffix}` : null}
      {author.email ? (
        <>
          {' ['}
          <a href={`mailto:${author.email}`}>{author.email}</a>
          {']'}
        </>
      ) : null}
    </p>
  );
}

/**
 * The notes at the end of an article, as newspapers print them: each in a box, dated in the
 * newsroom's time zone, below the byline, with the way to every other note of the edition.
 */
function CorrectionNotes({
  ctx,
  corrections,
}: {
  ctx: ViewContext;
  corrections: readonly ArticleCorrection[];
}) {
  const { t, site, language } = ctx;
  if (corrections.length === 0) return null;
  return (
    <aside class="article-corrections" aria-label={t.correctionsHeading}>
      {corrections.map((correction) => {
        const date = formatNewsroomDate(correction.publishedAt, site.timeZone, language);
        const note = kindLabel(correction.kind, {
          correction: t.correctionNote,
          clarification: t.clarificationNote,
        });
        return (
          <p class="correction" id={`correction-${correction.id}`} key={correction.id}>
            <strong>
              <time dateTime={correction.publishedAt.toISOString()}>{note(date)}</time>:
            </strong>{' '}
            {correction.body}
          </p>
        );
      })}
      <p class="all-corrections">
        <a href={correctionsPath(language)}>{t.allCorrections}</a>
      </p>
    </aside>
  );
}

/**
 * When the page last changed for a reader: the latest of its publication, its update and its
 * newest note. A note is not an update of the text (the page shows no "Updated" for it), but it
 * does change what the page says, which is what dateModified tells search engines.
 */
function lastModified(article: Article): Date {
  let modified = article.updatedAt ?? article.publishedAt;
  for (const correction of article.corrections ?? []) {
    if (correction.publishedAt > modified) modified = correction.publishedAt;
  }
  return modified;
}

export function articleMeta(ctx: ViewContext, article: Article, commentCount?: number): PageMeta {
  const { site } = ctx;
  const url = absoluteUrl(site, article.path);
  const modified = lastModified(article);
  const corrections = article.corrections ?? [];
  const publisher = {
    '@type': 'Organization',
    name: site.name[article.language],
    url: site.publicUrl,
  };
  return {
    title: article.headline,
    ...(article.summary ? { description: article.summary } : {}),
    canonicalPath: article.path,
    ...(article.translation
      ? { alternate: { language: article.translation.language, path: article.translation.path } }
      : {}),
    switchPath: editionPrefix(article.language === 'en' ? 'ko' : 'en') || '/',
    openGraph: {
      'og:type': 'article',
      'og:title': article.headline,
      'og:url': url,
      'og:site_name': site.name[article.language],
      'og:locale': article.language === 'ko' ? 'ko_KR' : 'en_US',
      ...(article.summary ? { 'og:description': article.summary } : {}),
      ...(article.image
        ? { 'og:image': article.image.src, 'og:image:alt': article.image.alt }
        : {}),
      'article:published_time': article.publishedAt.toISOString(),
      'article:modified_time': modified.toISOString(),
      'article:section': article.section.name,
      'article:tag': article.tags.map((tag) => tag.name),
    },
    jsonLd: {
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: article.headline,
      ...(article.summary ? { description: article.summary } : {}),
      datePublished: article.publishedAt.toISOString(),
      dateModified: modified.toISOString(),
      inLanguage: article.language,
      articleSection: article.section.name,
      keywords: article.tags.map((tag) => tag.name),
      mainEntityOfPage: url,
      url,
      ...(commentCount !== undefined ? { commentCount } : {}),
      ...(article.image ? { image: [article.image.src] } : {}),
      author: article.authors.map((author) => ({
        '@type': 'Person',
        name: author.name,
        url: absoluteUrl(site, `${editionPrefix(article.language)}/author/${author.slug}`),
        ...(author.email ? { email: author.email } : {}),
      })),
      publisher,
      ...(article.creditLine ? { creditText: article.creditLine } : {}),
      ...(corrections.length > 0
        ? {
            correction: corrections.map((correction) => ({
              '@type': 'CorrectionComment',
              text: correction.body,
              datePublished: correction.publishedAt.toISOString(),
            })),
          }
        : {}),
    },
  };
}

export function ArticlePage({
  ctx,
  article,
  comments,
  preview,
}: {
  ctx: ViewContext;
  article: Article;
  comments?: ArticleComments | undefined;
  /** The newsroom's preview of an unpublished version: this banner, and never indexed. */
  preview?: string | undefined;
}) {
  const { t, site, language } = ctx;
  const prefix = editionPrefix(language);
  return (
    <Layout
      ctx={ctx}
      meta={{
        ...articleMeta(ctx, article, comments?.count),
        bundles: comments?.bundles ?? [],
        ...(preview ? { noindex: true } : {}),
      }}
    >
      {preview ? (
        <p class="preview-banner" role="note">
          {preview}
        </p>
      ) : null}
      <article class="article" lang={article.language}>
        <header class="article-header">
          <p class="article-section">
            <a href={`${prefix}/section/${article.section.slug}`}>{article.section.name}</a>
          </p>
          <h1>{article.headline}</h1>
          {article.summary ? <p class="standfirst">{article.summary}</p> : null}
          <p class="article-dates">
            <span>
              {t.published}:{' '}
              <time dateTime={article.publishedAt.toISOString()}>
                {formatNewsroomDateTime(article.publishedAt, site.timeZone, language)}
              </time>
            </span>
            {article.updatedAt && article.updatedAt > article.publishedAt ? (
              <span>
                {t.updated}:{' '}
                <time dateTime={article.updatedAt.toISOString()}>
                  {formatNewsroomDateTime(article.updatedAt, site.timeZone, language)}
                </time>
              </span>
            ) : null}
          </p>
        </header>
        {article.image ? (
          <figure class="article-image">
            <img src={article.image.src} alt={article.image.alt} loading="eager" decoding="async" />
            {article.image.caption || article.image.credit ? (
              <figcaption>
                {article.image.caption}
                {article.image.credit ? (
                  <span class="image-credit">
                    {' '}
                    {t.photoCredit}: {article.image.credit}
                  </span>
                ) : null}
              </figcaption>
            ) : null}
          </figure>
        ) : null}
        <div class="article-body">
          <Blocks blocks={article.body.blocks} />
        </div>
        <footer class="article-footer">
          {article.authors.map((author) => (
            <BylineLine ctx={ctx} author={author} key={author.slug} />
          ))}
          {article.creditLine ? <p class="credit-line">{article.creditLine}</p> : null}
          {article.tags.length > 0 ? (
            <ul class="article-tags" aria-label={t.tags}>
              {article.tags.map((tag) => (
                <li key={tag.slug}>
                  <a href={`${prefix}/tag/${tag.slug}`}>{tag.name}</a>
                </li>
              ))}
            </ul>
          ) : null}
          {article.translation ? (
            <p class="translation-link">
              <a
                href={article.translation.path}
                hrefLang={article.translation.language}
                lang={article.translation.language}
              >
                {t.readTranslation}
              </a>
            </p>
          ) : null}
        </footer>
        <CorrectionNotes ctx={ctx} corrections={article.corrections ?? []} />
      </article>
      {comments?.section}
    </Layout>
  );
}
