import { renderToString } from 'preact-render-to-string';
import type { AppDeps } from '../deps.js';
import { sitsOnBoard, type Viewer } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import type { Pages } from '../http/pages.js';
import { hasAcceptedCurrentPolicy } from '../policy/policy.service.js';
import type { ViewContext } from '../views/site.js';
import type { CommentViewer } from './comment.js';
import type { LoginOption } from './comment-thread-page.js';
import { CommentItem, type CommentPermissions } from './comment-views.js';
import type { CommentRow } from './comments.queries.js';
import { findComment, type Thread } from './comments.service.js';

/**
 * What the comment routes share (comments-*.routes.tsx): what the wiring gives them, what the
 * person looking may do, and the two ways a comment address is looked up for a reader.
 */

export type CommentServices = {
  loginOptions: readonly LoginOption[];
  /** Every app process listens for comment changes (comments.live.ts); tests may leave it out. */
  listen?: (
    channel: string,
    onMessage: (payload: string) => void,
    onGap: () => void,
  ) => Promise<unknown>;
  /** A change to one article's comments: drop its cached page. */
  articleChanged: (articleId: string) => void;
};

/** What every comment route is given: the app's dependencies, its pages, the wiring's services. */
export type CommentRoutesDeps = Readonly<{
  deps: AppDeps;
  pages: Pages;
  services: CommentServices;
}>;

export const COMMENT_TAGS = ['comments'];

export function commentViewer(viewer: Viewer | null): CommentViewer {
  if (!viewer) return null;
  return { accountId: viewer.accountId, moderator: sitsOnBoard(viewer) };
}

/** The permissions of one person on one thread, with the site's rules for replies and edits. */
export function permissionsOf(
  deps: AppDeps,
  person: Pick<CommentPermissions, 'csrfToken' | 'viewerId' | 'threadOpen' | 'policyVersion'>,
): CommentPermissions {
  return {
    ...person,
    replyDepth: deps.config.comments.replyDepth,
    editMinutes: deps.config.comments.editMinutes,
    now: deps.clock(),
  };
}

/**
 * What the person looking may do on a thread, and the policy version their forms must accept
 * (null once they have accepted the one in force, or when no one is logged in).
 */
export async function permissionsFor(
  deps: AppDeps,
  viewer: Viewer | null,
  csrfToken: string | null,
  thread: Thread,
): Promise<{ can: CommentPermissions; policyVersion: number | null }> {
  const policy = viewer ? await hasAcceptedCurrentPolicy(deps, viewer.accountId) : undefined;
  const policyVersion = policy && !policy.accepted ? policy.version : null;
  const can = permissionsOf(deps, {
    csrfToken: viewer ? csrfToken : null,
    viewerId: viewer?.accountId ?? null,
    threadOpen: thread.open,
    policyVersion,
  });
  return { can, policyVersion };
}

/** One comment as a fragment of HTML, for a page to insert (the enhanced form, the live stream). */
export function commentHtml(ctx: ViewContext, comment: CommentRow, can: CommentPermissions) {
  return renderToString(
    <CommentItem ctx={ctx} comment={{ ...comment, myVote: undefined }} can={can} />,
  );
}

/** The viewer's own comment, not deleted; anyone else's is "not found", never "forbidden". */
export async function findOwnComment(
  deps: AppDeps,
  commentId: string,
  viewer: Viewer,
): Promise<CommentRow> {
  const comment = await findComment(deps, commentId);
  if (!comment || comment.status === 'deleted' || comment.authorId !== viewer.accountId)
    throw new AppError('NOT_FOUND', 'comment');
  return comment;
}

/** A comment every reader may see: published. */
export async function findVisibleComment(deps: AppDeps, commentId: string): Promise<CommentRow> {
  const comment = await findComment(deps, commentId);
  if (!comment || comment.status !== 'published') throw new AppError('NOT_FOUND', 'comment');
  return comment;
}
