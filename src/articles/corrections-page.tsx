import { formatNewsroomDate } from '../views/dates.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import {
  correctionsPath,
  kindLabel,
  type CorrectionEntry,
  type CorrectionsPage,
} from './article-corrections.js';

/** An edition's corrections page: every note on its published articles, newest first. */

function Entry({ ctx, entry }: { ctx: ViewContext; entry: CorrectionEntry }) {
  const { t, site, language } = ctx;
  return (
    <li id={`correction-${entry.id}`}>
      <p class="article-list-meta">
        <time dateTime={entry.publishedAt.toISOString()}>
          {formatNewsroomDate(entry.publishedAt, site.timeZone, language)}
        </time>
        {' · '}
        {kindLabel(entry.kind, t.correctionKind)}
      </p>
      <h2 class="article-list-headline">
        <a href={entry.article.path}>{entry.article.headline}</a>
      </h2>
      <p>{entry.body}</p>
    </li>
  );
}

export function CorrectionsPageView({
  ctx,
  listing,
}: {
  ctx: ViewContext;
  listing: CorrectionsPage;
}) {
  const { t, language } = ctx;
  const { page } = listing;
  const other = language === 'en' ? 'ko' : 'en';
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: page > 1 ? `${t.correctionsTitle} (${page})` : t.correctionsTitle,
        canonicalPath: correctionsPath(language, page),
        switchPath: correctionsPath(other),
      }}
    >
      <h1>{t.correctionsHeading}</h1>
      <p>{t.correctionsIntro}</p>
      {listing.entries.length === 0 ? (
        <p class="empty">{t.correctionsEmpty}</p>
      ) : (
        <ul class="corrections-list">
          {listing.entries.map((entry) => (
            <Entry ctx={ctx} entry={entry} key={entry.id} />
          ))}
        </ul>
      )}
      {page > 1 || listing.hasOlder ? (
        <nav aria-label={t.correctionsPages}>
          <p>
            {page > 1 ? (
              <a href={correctionsPath(language, page - 1)} rel="prev">
                {t.correctionsNewer}
              </a>
            ) : null}{' '}
            {listing.hasOlder ? (
              <a href={correctionsPath(language, page + 1)} rel="next">
                {t.correctionsOlder}
              </a>
            ) : null}
          </p>
        </nav>
      ) : null}
    </Layout>
  );
}
