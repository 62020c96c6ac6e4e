import type { SectionChoice } from '../articles/article-row.service.js';
import type { StoryListRow } from './newsroom.queries.js';
import {
  STORIES_PER_PAGE,
  listStories,
  sectionChoices,
  type NewsroomDeps,
  type StoryListFilter,
  type StoryListItem,
  type StoryListView,
} from './newsroom.service.js';
import { listBylinedPeople, listSentBackStories } from './newsroom-list.queries.js';
import { LATE_AFTER_SECONDS, type StoryActor } from './story.js';

/**
 * The newsroom's front door: `listStories` (newsroom.service.ts) with the one view it cannot
 * give, "needs my review" as a reporter sees it, and the choices the filter form offers.
 */

export type NewsroomListFilter = Omit<StoryListFilter, 'needsReview'> & {
  /** "Needs my review": for editors the stories waiting for them, for a reporter their own sent back. */
  review?: boolean;
};

type ListDeps = Pick<NewsroomDeps, 'db' | 'clock'>;

function listItem(row: StoryListRow, lateBefore: Date): StoryListItem {
  return {
    id: row.id,
    language: row.language,
    headline: row.headline,
    status: row.status,
    pendingReview: row.pending_review,
    unpublishedChanges: row.live_revision !== null && row.head_revision !== row.live_revision,
    section: { slug: row.section_slug, nameEn: row.section_name_en, nameKo: row.section_name_ko },
    bylines: row.bylines.map((b) => b.name),
    owner: row.owner_name,
    path: row.path,
    scheduledFor: row.scheduled_for,
    embargoUntil: row.embargo_until,
    publishedAt: row.published_at,
    modifiedAt: row.modified_at,
    late:
      row.status === 'scheduled' && row.scheduled_for !== null && row.scheduled_for < lateBefore,
  };
}

/**
 * A page of the newsroom's list for `actor`. An editor's "needs my review" is the stories
 * waiting for an editor; a reporter's is their own drafts an editor sent back, which
 * `listStories` cannot select, so that page's stories come from this feature's own query while
 * the counts and late stories (the same for every view) still come from `listStories`.
 */
export async function listNewsroomStories(
  deps: ListDeps,
  actor: StoryActor,
  filter: NewsroomListFilter,
): Promise<StoryListView> {
  const { review, ...rest } = filter;
  if (!review || actor.role !== 'reporter') {
    return listStories(deps, actor, { ...rest, needsReview: review ?? false });
  }
  const now = deps.clock();
  const lateBefore = new Date(now.getTime() - LATE_AFTER_SECONDS * 1000);
  const [view, rows] = await Promise.all([
    listStories(deps, actor, { ...rest, mine: true, status: 'draft', page: 1 }),
    // Sent back means a draft: a status filter other than that leaves nothing to show.
    rest.status === undefined || rest.status === 'draft'
      ? listSentBackStories(deps.db, {
          accountId: actor.accountId,
          section: rest.section,
          author: rest.author,
          language: rest.language,
          from: rest.from,
          to: rest.to,
          search: rest.search,
          limit: STORIES_PER_PAGE + 1,
          offset: (filter.page - 1) * STORIES_PER_PAGE,
        })
      : Promise.resolve([]),
  ]);
  return {
    ...view,
    stories: rows.slice(0, STORIES_PER_PAGE).map((row) => listItem(row, lateBefore)),
    hasMore: rows.length > STORIES_PER_PAGE,
  };
}

export type ListChoices = {
  sections: SectionChoice[];
  people: { slug: string; name: string }[];
};

/** What the filter form offers: every section, and every person with a byline. */
export async function listChoices(deps: Pick<NewsroomDeps, 'db'>): Promise<ListChoices> {
  const [sections, people] = await Promise.all([sectionChoices(deps), listBylinedPeople(deps.db)]);
  return { sections, people };
}

// ---------------------------------------------------------------------------------------------
// Calendar days in the newsroom's time zone

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    dayFormatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(
    formatter.formatToParts(new Date(instant)).map((part) => [part.type, part.value]),
  );
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a calendar day (`2026-12-07`) begins in `timeZone`. Two guesses, the offset read at
 * UTC midnight and again at the first guess, cover a change of offset (summer time) near the
 * day's start. A guess is right when the zone's clock reads midnight at it: when both are (the
 * clocks went back over midnight, so it came twice), the earlier; when neither is (midnight was
 * skipped), the day begins when the clocks jumped, the later guess.
 */
export function startOfDay(day: string, timeZone: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  const midnight = Date.UTC(year ?? 1970, (month ?? 1) - 1, date ?? 1);
  const first = midnight - offsetAt(midnight, timeZone);
  const second = midnight - offsetAt(first, timeZone);
  const right = [first, second].filter((at) => at + offsetAt(at, timeZone) === midnight);
  return new Date(right.length > 0 ? Math.min(...right) : Math.max(first, second));
}

/** The day after a calendar day, as `YYYY-MM-DD` (a "to" date includes its whole day). */
export function nextDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (date ?? 1) + 1))
    .toISOString()
    .slice(0, 10);
}
