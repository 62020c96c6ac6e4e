import type { StaffRole } from '../http/access.js';
import type { ArticleImage, ArticleStatus, Language } from '../articles/article.js';
import { assertUnreachable } from '../lib/assert.js';

/**
 * A story is an article as the newsroom works on it: its public row (what readers see, if
 * anything) and its numbered revisions. These are the types and the pure rules of the
 * newsroom's workflow; who may do what is decided here and nowhere else.
 */

/** The editor's JSON document (ProseMirror's `{ type, attrs, content, marks }`), validated. */
export type EditorDocument = { type: 'doc'; content?: unknown[] };

export type StoryByline = { name: string; email: string | null };

/** One revision's content: the whole story as its writer saw it when saving. */
export type StoryContent = {
  language: Language;
  slug: string;
  headline: string;
  summary: string;
  body: EditorDocument;
  /** A section's slug. */
  section: string;
  tags: string[];
  bylines: StoryByline[];
  credit: string;
  /** The same story in the other edition (an article id), linked both ways on publication. */
  translationId: string | null;
  /** The feature image slot; the photo library fills it in its own issue. */
  image: ArticleImage | null;
};

export type Story = {
  id: string;
  status: ArticleStatus;
  /** A published story whose newest revision waits for an editor. */
  pendingReview: boolean;
  headRevision: number;
  liveRevision: number | null;
  /** The head revision's content (for a story never saved in the newsroom: the row's). */
  content: StoryContent;
  createdBy: string | null;
  /** The public address, once published. */
  path: string | null;
  publishedAt: Date | null;
  updatedAt: Date | null;
  scheduledFor: Date | null;
  embargoUntil: Date | null;
  modifiedAt: Date;
};

/** The newsroom's roles; a moderator only moderates. */
export const NEWSROOM_ROLES = [
  'reporter',
  'editor',
  'admin',
] as const satisfies readonly StaffRole[];
export type NewsroomRole = (typeof NEWSROOM_ROLES)[number];

export type StoryActor = { accountId: string; role: NewsroomRole };

export type StoryAction =
  | 'view'
  | 'edit'
  | 'submit'
  | 'send_back'
  | 'publish'
  | 'schedule'
  | 'unschedule'
  | 'unpublish'
  | 'archive'
  | 'restore_revision'
  | 'take_over'
  | 'note'
  | 'correct'
  | 'embargo';

/**
 * Who may do what to a story. Reporters write, revise and submit their own stories and leave
 * notes on any; editors and admins do everything to any story. Deny by default: an action not
 * named for a role here is refused.
 */
export function may(
  actor: StoryActor,
  action: StoryAction,
  story: Pick<Story, 'createdBy'>,
): boolean {
  if (actor.role === 'editor' || actor.role === 'admin') return true;
  const own = story.createdBy !== null && story.createdBy === actor.accountId;
  switch (action) {
    case 'view':
    case 'note':
      return true;
    case 'edit':
    case 'submit':
    case 'restore_revision':
      return own;
    case 'send_back':
    case 'publish':
    case 'schedule':
    case 'unschedule':
    case 'unpublish':
    case 'archive':
    case 'take_over':
    case 'correct':
    case 'embargo':
      return false;
    default:
      return assertUnreachable(action);
  }
}

/** A scheduled story this long past its minute is flagged in the newsroom and logged. */
export const LATE_AFTER_SECONDS = 60;
