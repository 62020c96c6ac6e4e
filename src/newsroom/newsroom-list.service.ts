import type { SectionChoice } from '../articles/article-row.service.js';
import {
  listStories,
  sectionChoices,
  type NewsroomDeps,
  type StoryListFilter,
  type StoryListView,
} from './newsroom.service.js';
import { listBylinedPeople } from './newsroom.queries.js';
import type { StoryActor } from './story.js';

/**
 * The newsroom's front door: `listStories` with "needs my review" as each role means it, and the
 * choices the filter form offers.
 */

export type NewsroomListFilter = Omit<StoryListFilter, 'needsReview'> & {
  /** "Needs my review": for editors the stories waiting for them, for a reporter their own sent back. */
  review?: boolean;
};

type ListDeps = Pick<NewsroomDeps, 'db' | 'clock'>;

/**
 * A page of the newsroom's list for `actor`. An editor's "needs my review" is the stories
 * waiting for an editor; a reporter's is their own drafts an editor sent back.
 */
export function listNewsroomStories(
  deps: ListDeps,
  actor: StoryActor,
  filter: NewsroomListFilter,
): Promise<StoryListView> {
  const { review, ...rest } = filter;
  if (review && actor.role === 'reporter') {
    return listStories(deps, actor, { ...rest, sentBackTo: actor.accountId });
  }
  return listStories(deps, actor, { ...rest, needsReview: review ?? false });
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
