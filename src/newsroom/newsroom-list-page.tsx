import { ARTICLE_STATUSES, type ArticleStatus } from '../articles/article.js';
import { LANGUAGES, type Language } from '../lib/language.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import type { ViewContext } from '../views/site.js';
import { NewsroomLayout, newsroomPath, type NewsroomSection } from './newsroom-layout.js';
import type { ListChoices } from './newsroom-list.service.js';
import type { StoryListItem, StoryListView } from './newsroom.service.js';
import type { NewsroomRole } from './story.js';

/**
 * The newsroom's front door: late stories first (what must be fixed now), the counts per
 * status, the filters, then the stories. The table turns into one card per story on a phone
 * (site.css, `newsroom-` section), each cell naming its column, so nothing scrolls sideways.
 */

export type StatusFilter = ArticleStatus | 'pending_review';

/** The list's query as the address holds it, already checked: what the form and links carry. */
export type ListQuery = Readonly<{
  status: StatusFilter | undefined;
  section: string | undefined;
  author: string | undefined;
  language: Language | undefined;
  from: string | undefined;
  to: string | undefined;
  q: string | undefined;
  mine: boolean;
  review: boolean;
  page: number;
}>;

/** The query as an address of the list, with `page` changed when given. */
export function listHref(language: Language, query: ListQuery, page = query.page): string {
  const params = new URLSearchParams();
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') params.set(name, value);
  };
  add('status', query.status);
  add('section', query.section);
  add('author', query.author);
  add('language', query.language);
  add('from', query.from);
  add('to', query.to);
  add('q', query.q);
  if (query.mine) params.set('mine', '1');
  if (query.review) params.set('review', '1');
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return `${newsroomPath.home(language)}${search ? `?${search}` : ''}`;
}

function activeFilters(query: ListQuery): number {
  return [
    query.status,
    query.section,
    query.author,
    query.language,
    query.from,
    query.to,
    query.q,
  ].filter((value) => value !== undefined && value !== '').length;
}

type Props = {
  ctx: ViewContext;
  role: NewsroomRole;
  query: ListQuery;
  view: StoryListView;
  choices: ListChoices;
  now: Date;
};

export function NewsroomListPage({ ctx, role, query, view, choices, now }: Props) {
  const { t } = ctx;
  const current: NewsroomSection = query.review ? 'review' : query.mine ? 'mine' : 'stories';
  const title = query.review
    ? t.newsroomNavReview
    : query.mine
      ? t.newsroomNavMine
      : t.newsroomListTitle;
  const intro = query.review
    ? role === 'reporter'
      ? t.newsroomList.reviewReporter
      : t.newsroomList.reviewEditor
    : query.mine
      ? t.newsroomList.mineIntro
      : undefined;
  // The layout names the page without its edition prefix, filters included, for both editions.
  const search = listHref(ctx.language, query).slice(newsroomPath.home(ctx.language).length);
  return (
    <NewsroomLayout
      ctx={ctx}
      title={title}
      current={current}
      role={role}
      path={`/newsroom${search}`}
    >
      <h1>{title}</h1>
      <LateStories ctx={ctx} late={view.late} />
      {intro ? <p class="newsroom-intro">{intro}</p> : null}
      <StatusCounts ctx={ctx} view={view} query={query} />
      <FilterForm ctx={ctx} query={query} choices={choices} />
      {view.stories.length === 0 ? (
        <EmptyList ctx={ctx} query={query} />
      ) : (
        <StoryTable ctx={ctx} stories={view.stories} page={query.page} now={now} />
      )}
      <Paging ctx={ctx} query={query} hasMore={view.hasMore} />
    </NewsroomLayout>
  );
}

function When({ ctx, at }: { ctx: ViewContext; at: Date }) {
  return (
    <time dateTime={at.toISOString()}>
      {formatNewsroomDateTime(at, ctx.site.timeZone, ctx.language)}
    </time>
  );
}

function LateStories({ ctx, late }: { ctx: ViewContext; late: StoryListView['late'] }) {
  if (late.length === 0) return null;
  const { t, language } = ctx;
  return (
    <section class="newsroom-late" aria-labelledby="newsroom-late-heading">
      <h2 id="newsroom-late-heading">{t.newsroomList.lateHeading}</h2>
      <p>{t.newsroomList.lateIntro}</p>
      <ul>
        {late.map((story) => (
          <li key={story.id}>
            <a href={newsroomPath.story(language, story.id)}>{story.headline}</a>{' '}
            <span class="newsroom-late-due">
              (
              {t.newsroomList.lateDue(
                formatNewsroomDateTime(story.scheduledFor, ctx.site.timeZone, language),
              )}
              {story.embargoed ? `; ${t.newsroomList.lateEmbargoed}` : ''})
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The statuses a list can be narrowed to, in the order a story moves through them. */
const STATUS_FILTERS: readonly StatusFilter[] = [
  'draft',
  'in_review',
  'pending_review',
  'scheduled',
  'published',
  'unpublished',
  'archived',
];

function statusLabel(t: ViewContext['t'], status: StatusFilter): string {
  return status === 'pending_review' ? t.newsroomPendingReview : t.newsroomStatus[status];
}

function StatusCounts({
  ctx,
  view,
  query,
}: {
  ctx: ViewContext;
  view: StoryListView;
  query: ListQuery;
}) {
  const { t, language } = ctx;
  const total = ARTICLE_STATUSES.reduce((sum, status) => sum + view.counts[status], 0);
  const home = newsroomPath.home(language);
  // A count is the page being shown when it is the only filter applied.
  const only = !query.mine && !query.review && activeFilters(query) <= 1;
  const entries = [
    {
      key: 'all',
      href: home,
      label: t.newsroomList.countsAll(total),
      current: only && activeFilters(query) === 0,
    },
    ...STATUS_FILTERS.map((status) => ({
      key: status,
      href: `${home}?status=${status}`,
      label: `${statusLabel(t, status)} (${status === 'pending_review' ? view.counts.pendingReview : view.counts[status]})`,
      current: only && query.status === status,
    })),
  ];
  return (
    <nav class="newsroom-counts" aria-label={t.newsroomList.countsHeading}>
      <ul>
        {entries.map((entry) => (
          <li key={entry.key}>
            <a href={entry.href} aria-current={entry.current ? 'page' : undefined}>
              {entry.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function FilterForm({
  ctx,
  query,
  choices,
}: {
  ctx: ViewContext;
  query: ListQuery;
  choices: ListChoices;
}) {
  const { t, language } = ctx;
  const s = t.newsroomList;
  const active = activeFilters(query);
  return (
    <details class="newsroom-filters" open={active > 0 ? true : undefined}>
      <summary>{s.filtersHeading}</summary>
      <form method="get" action={newsroomPath.home(language)}>
        <div class="newsroom-filter-fields">
          <p>
            <label for="nf-status">{s.filterStatus}</label>
            <select id="nf-status" name="status">
              <option value="">{s.filterAnyStatus}</option>
              {STATUS_FILTERS.map((status) => (
                <option key={status} value={status} selected={query.status === status}>
                  {statusLabel(t, status)}
                </option>
              ))}
            </select>
          </p>
          <p>
            <label for="nf-section">{s.filterSection}</label>
            <select id="nf-section" name="section">
              <option value="">{s.filterAnySection}</option>
              {choices.sections.map((section) => (
                <option
                  key={section.slug}
                  value={section.slug}
                  selected={query.section === section.slug}
                >
                  {language === 'ko' ? section.nameKo : section.nameEn}
                </option>
              ))}
            </select>
          </p>
          <p>
            <label for="nf-author">{s.filterAuthor}</label>
            <select id="nf-author" name="author">
              <option value="">{s.filterAnyAuthor}</option>
              {choices.people.map((person) => (
                <option
                  key={person.slug}
                  value={person.slug}
                  selected={query.author === person.slug}
                >
                  {person.name}
                </option>
              ))}
            </select>
          </p>
          <p>
            <label for="nf-language">{s.filterLanguage}</label>
            <select id="nf-language" name="language">
              <option value="">{s.filterAnyLanguage}</option>
              {LANGUAGES.map((edition) => (
                <option key={edition} value={edition} selected={query.language === edition}>
                  {t.newsroomLanguage[edition]}
                </option>
              ))}
            </select>
          </p>
          <p>
            <label for="nf-from">{s.filterFrom}</label>
            <input
              id="nf-from"
              name="from"
              type="date"
              value={query.from ?? ''}
              aria-describedby="nf-dates"
            />
          </p>
          <p>
            <label for="nf-to">{s.filterTo}</label>
            <input
              id="nf-to"
              name="to"
              type="date"
              value={query.to ?? ''}
              aria-describedby="nf-dates"
            />
          </p>
          <p class="newsroom-filter-search">
            <label for="nf-q">{s.filterSearch}</label>
            <input id="nf-q" name="q" type="search" maxLength={200} value={query.q ?? ''} />
          </p>
        </div>
        <p id="nf-dates" class="newsroom-hint">
          {s.filterDatesHint(ctx.site.timeZone)}
        </p>
        <p class="newsroom-filter-views">
          <span>
            <input id="nf-mine" name="mine" type="checkbox" value="1" checked={query.mine} />{' '}
            <label for="nf-mine">{s.filterMine}</label>
          </span>{' '}
          <span>
            <input id="nf-review" name="review" type="checkbox" value="1" checked={query.review} />{' '}
            <label for="nf-review">{s.filterReview}</label>
          </span>
        </p>
        <p>
          <button type="submit">{s.filterApply}</button>{' '}
          {active > 0 ? <a href={newsroomPath.home(language)}>{s.filterClear}</a> : null}
        </p>
      </form>
    </details>
  );
}

function EmptyList({ ctx, query }: { ctx: ViewContext; query: ListQuery }) {
  const { t, language } = ctx;
  const text = query.review
    ? t.newsroomList.emptyReview
    : activeFilters(query) > 0 || query.mine || query.page > 1
      ? t.newsroomList.empty
      : t.newsroomList.emptyAll;
  return (
    <div class="newsroom-empty">
      <p>{text}</p>
      <p>
        <a href={newsroomPath.create(language)}>{t.newsroomList.writeOne}</a>
      </p>
    </div>
  );
}

function StatusCell({ ctx, story, now }: { ctx: ViewContext; story: StoryListItem; now: Date }) {
  const { t } = ctx;
  const s = t.newsroomList;
  const time = (at: Date) => formatNewsroomDateTime(at, ctx.site.timeZone, ctx.language);
  return (
    <>
      <span class={`newsroom-status newsroom-status-${story.status}`}>
        {t.newsroomStatus[story.status]}
      </span>
      {story.status === 'scheduled' && story.scheduledFor ? (
        <span class="newsroom-status-note"> {s.scheduledFor(time(story.scheduledFor))}</span>
      ) : null}
      {story.late ? <strong class="newsroom-flag"> {t.newsroomLate}</strong> : null}
      {story.pendingReview ? (
        <span class="newsroom-status-note newsroom-pending"> {t.newsroomPendingReview}</span>
      ) : story.unpublishedChanges ? (
        <span class="newsroom-status-note"> {t.newsroomUnpublishedChanges}</span>
      ) : null}
      {story.embargoUntil && story.embargoUntil > now ? (
        <span class="newsroom-status-note newsroom-embargo">
          {' '}
          {t.newsroomEmbargoed}: {s.embargoUntil(time(story.embargoUntil))}
        </span>
      ) : null}
    </>
  );
}

function StoryTable({
  ctx,
  stories,
  page,
  now,
}: {
  ctx: ViewContext;
  stories: StoryListItem[];
  page: number;
  now: Date;
}) {
  const { t, language } = ctx;
  const s = t.newsroomList;
  return (
    <table class="newsroom-stories">
      <caption>{s.tableCaption(page)}</caption>
      <thead>
        <tr>
          <th scope="col">{s.columnHeadline}</th>
          <th scope="col">{s.columnStatus}</th>
          <th scope="col">{s.columnEdition}</th>
          <th scope="col">{s.columnSection}</th>
          <th scope="col">{s.columnBylines}</th>
          <th scope="col">{s.columnOwner}</th>
          <th scope="col">{s.columnModified}</th>
        </tr>
      </thead>
      <tbody>
        {stories.map((story) => (
          <tr key={story.id}>
            <th scope="row" data-label={s.columnHeadline}>
              <a href={newsroomPath.story(language, story.id)} lang={story.language}>
                {story.headline}
              </a>
            </th>
            <td data-label={s.columnStatus}>
              <StatusCell ctx={ctx} story={story} now={now} />
            </td>
            <td data-label={s.columnEdition}>{t.newsroomLanguage[story.language]}</td>
            <td data-label={s.columnSection}>
              {language === 'ko' ? story.section.nameKo : story.section.nameEn}
            </td>
            <td data-label={s.columnBylines}>
              {story.bylines.length > 0 ? story.bylines.join(', ') : s.nobody}
            </td>
            <td data-label={s.columnOwner}>{story.owner ?? s.nobody}</td>
            <td data-label={s.columnModified}>
              <When ctx={ctx} at={story.modifiedAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Paging({ ctx, query, hasMore }: { ctx: ViewContext; query: ListQuery; hasMore: boolean }) {
  if (query.page === 1 && !hasMore) return null;
  const { t, language } = ctx;
  const s = t.newsroomList;
  return (
    <nav class="newsroom-paging" aria-label={s.paging}>
      {query.page > 1 ? (
        <a href={listHref(language, query, query.page - 1)} rel="prev">
          {s.newer}
        </a>
      ) : null}{' '}
      <span aria-current="page">{s.pageOf(query.page)}</span>{' '}
      {hasMore ? (
        <a href={listHref(language, query, query.page + 1)} rel="next">
          {s.older}
        </a>
      ) : null}
    </nav>
  );
}
