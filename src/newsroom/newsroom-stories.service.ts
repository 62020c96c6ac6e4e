import { type ArticleStatus } from '../articles/article.js';
import { type NewsroomDeps } from './story-store.js';
import * as q from './newsroom.queries.js';
import { LATE_AFTER_SECONDS, type StoryActor, type StoryContent } from './story.js';

/** The newsroom's list of stories: a page of them, the counts per status, the late ones. */

export type StoryListItem = {
  id: string;
  language: StoryContent['language'];
  headline: string;
  status: ArticleStatus;
  pendingReview: boolean;
  unpublishedChanges: boolean;
  section: { slug: string; nameEn: string; nameKo: string };
  bylines: string[];
  owner: string | null;
  path: string | null;
  scheduledFor: Date | null;
  embargoUntil: Date | null;
  publishedAt: Date | null;
  modifiedAt: Date;
  late: boolean;
};

export type StoryCounts = Record<ArticleStatus, number> & { pendingReview: number };

export type StoryListView = {
  stories: StoryListItem[];
  counts: StoryCounts;
  /** Scheduled stories past their minute by more than LATE_AFTER_SECONDS: flagged first. */
  late: { id: string; headline: string; scheduledFor: Date; embargoed: boolean }[];
  hasMore: boolean;
};

export type StoryListFilter = Omit<
  q.StoryFilter,
  'limit' | 'offset' | 'createdBy' | 'needsReview'
> & {
  mine?: boolean;
  needsReview?: boolean;
  page: number;
};

export const STORIES_PER_PAGE = 50;

export async function listStories(
  deps: Pick<NewsroomDeps, 'db' | 'clock'>,
  actor: StoryActor,
  filter: StoryListFilter,
): Promise<StoryListView> {
  const now = deps.clock();
  const lateBefore = new Date(now.getTime() - LATE_AFTER_SECONDS * 1000);
  const [rows, counts, late] = await Promise.all([
    q.listStories(deps.db, {
      ...filter,
      ...(filter.mine ? { createdBy: actor.accountId } : {}),
      needsReview: filter.needsReview,
      limit: STORIES_PER_PAGE + 1,
      offset: (filter.page - 1) * STORIES_PER_PAGE,
    }),
    q.countStories(deps.db),
    q.listLateStories(deps.db, lateBefore),
  ]);
  const byStatus = Object.fromEntries(
    counts.byStatus.map((row) => [row.status, Number(row.count)]),
  );
  return {
    stories: rows.slice(0, STORIES_PER_PAGE).map((row) => ({
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
    })),
    counts: {
      draft: byStatus.draft ?? 0,
      in_review: byStatus.in_review ?? 0,
      scheduled: byStatus.scheduled ?? 0,
      published: byStatus.published ?? 0,
      unpublished: byStatus.unpublished ?? 0,
      archived: byStatus.archived ?? 0,
      pendingReview: counts.pendingReview,
    },
    late: late.flatMap((row) =>
      row.scheduled_for
        ? [
            {
              id: row.id,
              headline: row.headline,
              scheduledFor: row.scheduled_for,
              embargoed: row.embargo_until !== null && row.embargo_until > now,
            },
          ]
        : [],
    ),
    hasMore: rows.length > STORIES_PER_PAGE,
  };
}
