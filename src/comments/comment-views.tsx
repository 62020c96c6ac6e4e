import type { ComponentChildren } from 'preact';
import { editionPrefix } from '../lib/language.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import { CsrfField } from '../views/forms.js';
import type { ViewContext } from '../views/site.js';
import { linkSegments } from './comment-text.js';
import type { CommentRow } from './comments.queries.js';
import { voteName } from './comments.voting.js';

/**
 * Views of comments: one comment, the form that writes one, and the counter. Pure functions of
 * their props; the same CommentItem renders a thread page, the article page and the live
 * fragments sent to browsers, so a comment looks the same however it arrives.
 */

/** What the person looking may do, decided by the route from their session and the thread. */
export type CommentPermissions = Readonly<{
  /** The CSRF token of a logged-in person's forms; null for anonymous readers. */
  csrfToken: string | null;
  viewerId: string | null;
  threadOpen: boolean;
  replyDepth: number;
  editMinutes: number;
  now: Date;
  /** The policy version a reply form must accept, when the reader has not accepted it yet. */
  policyVersion: number | null;
}>;

/** A comment with what the viewer did to it (a live copy, sent to many, carries neither). */
export type ShownComment = CommentRow & { myVote: number | undefined; myReport?: boolean };

/** Plain text with links made clickable: nothing else in a comment is interpreted. */
export function CommentText({ text }: { text: string }) {
  return (
    <>
      {linkSegments(text).map((segment, index) =>
        segment.kind === 'link' ? (
          <a href={segment.href} rel="nofollow ugc noopener noreferrer" key={index}>
            {segment.text}
          </a>
        ) : (
          segment.text
        ),
      )}
    </>
  );
}

function authorName(ctx: ViewContext, comment: CommentRow): string {
  if (comment.authorDeleted) return ctx.t.commentDeletedAccount;
  return comment.authorName ?? ctx.t.commentNoName;
}

/**
 * The "(N/250자)" counter, "(N/250 characters)" in the English edition. The script only rewrites
 * the number, so the unit is always the edition's, as rendered here.
 */
export function Counter({ ctx, id }: { ctx: ViewContext; id: string }) {
  const { site, t } = ctx;
  return (
    <p
      class="comment-counter"
      id={id}
      data-comment-counter
      data-limit={String(site.commentMaxLength)}
      data-over-message={t.commentsOverLimit(site.commentMaxLength)}
    >
      <span class="visually-hidden">{t.commentsCounterLabel} </span>(<span data-count>0</span>
      {t.commentsCounterLimit(site.commentMaxLength)})
    </p>
  );
}

/** The form that writes a comment or a reply; `text` refills it after a refusal. */
export function CommentForm({
  ctx,
  csrfToken,
  articleId,
  parentId,
  policyVersion,
  text = '',
  idSuffix,
}: {
  ctx: ViewContext;
  csrfToken: string;
  articleId: string;
  parentId?: string;
  /** The policy version to accept with this comment, when the reader has not accepted it yet. */
  policyVersion: number | null;
  text?: string;
  idSuffix: string;
}) {
  const { t, language } = ctx;
  const prefix = editionPrefix(language);
  const inputId = `comment-body-${idSuffix}`;
  const counterId = `comment-counter-${idSuffix}`;
  return (
    <form
      class="comment-form"
      method="post"
      action={`${prefix}/articles/${articleId}/comments`}
      data-comment-form
      data-network-error={t.commentsNetworkError}
    >
      <CsrfField token={csrfToken} />
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      <label for={inputId}>{parentId ? t.commentsReplyLabel : t.commentsFormLabel}</label>
      <textarea
        id={inputId}
        name="body"
        rows={parentId ? 3 : 4}
        required
        data-comment-input
        aria-describedby={counterId}
      >
        {text}
      </textarea>
      <Counter ctx={ctx} id={counterId} />
      {policyVersion !== null ? (
        <p class="comment-policy-accept">
          <input
            type="checkbox"
            id={`accept-policy-${idSuffix}`}
            name="acceptPolicy"
            value={String(policyVersion)}
            required
          />{' '}
          <label for={`accept-policy-${idSuffix}`}>{t.commentsAcceptPolicy(policyVersion)}</label>{' '}
          <a href={`${prefix}/policy`}>{t.commentsAcceptPolicyLink}</a>
        </p>
      ) : null}
      <p class="visually-hidden" data-comment-status aria-live="polite"></p>
      <p class="comment-form-error" data-comment-error role="alert" hidden></p>
      <button type="submit">{parentId ? t.commentsPostReply : t.commentsPost}</button>
    </form>
  );
}

function VoteForm({
  ctx,
  comment,
  csrfToken,
}: {
  ctx: ViewContext;
  comment: ShownComment;
  csrfToken: string;
}) {
  const { t, language } = ctx;
  const mine = voteName(comment.myVote);
  return (
    <form
      class="comment-vote"
      method="post"
      action={`${editionPrefix(language)}/comments/${comment.id}/vote`}
      data-vote-form
    >
      <CsrfField token={csrfToken} />
      <button type="submit" name="value" value="up" aria-pressed={mine === 'up' ? 'true' : 'false'}>
        {t.commentUp} <span data-up-count>{comment.up}</span>
      </button>
      <button
        type="submit"
        name="value"
        value="down"
        aria-pressed={mine === 'down' ? 'true' : 'false'}
      >
        {t.commentDown} <span data-down-count>{comment.down}</span>
      </button>
      <span class="comment-vote-error" data-vote-error role="status"></span>
    </form>
  );
}

function Notice({ ctx, comment }: { ctx: ViewContext; comment: CommentRow }) {
  const { t } = ctx;
  if (comment.status === 'pending') return <p class="comment-notice">{t.commentPending}</p>;
  if (comment.status === 'hidden') return <p class="comment-notice">{t.commentHidden}</p>;
  if (comment.featured) return <p class="comment-featured">{t.commentFeatured}</p>;
  return null;
}

export function CommentItem({
  ctx,
  comment,
  can,
  replies,
  moreReplies,
}: {
  ctx: ViewContext;
  comment: ShownComment;
  can: CommentPermissions;
  replies?: ComponentChildren;
  /** Replies not shown here: a link to the comment's page shows them all. */
  moreReplies?: number;
}) {
  const { t, language, site } = ctx;
  const prefix = editionPrefix(language);
  const own = can.viewerId !== null && comment.authorId === can.viewerId;
  const gone = comment.status === 'deleted' || (comment.status === 'hidden' && !own);
  const published = comment.status === 'published';
  const mayReply =
    published && can.csrfToken !== null && can.threadOpen && comment.depth < can.replyDepth;
  const mayEdit =
    own &&
    (published || comment.status === 'pending') &&
    can.now.getTime() < comment.createdAt.getTime() + can.editMinutes * 60_000;
  const classes = ['comment', `comment-${comment.status}`, own ? 'comment-own' : ''];
  return (
    <li
      class={classes.filter(Boolean).join(' ')}
      id={`comment-${comment.id}`}
      data-comment-id={comment.id}
    >
      {gone ? (
        <p class="comment-tombstone">
          {comment.status === 'deleted' ? t.commentDeleted : t.commentHiddenTombstone}
        </p>
      ) : (
        <>
          <p class="comment-meta">
            <span class="comment-author">{authorName(ctx, comment)}</span>{' '}
            <a class="comment-time" href={`${prefix}/comments/${comment.id}`}>
              <time dateTime={comment.createdAt.toISOString()}>
                {formatNewsroomDateTime(comment.createdAt, site.timeZone, language)}
              </time>
            </a>
            {comment.editedAt ? <span class="comment-edited"> ({t.commentEdited})</span> : null}
          </p>
          <Notice ctx={ctx} comment={comment} />
          <p class="comment-body">
            <CommentText text={comment.body} />
          </p>
          <div class="comment-actions">
            {published && can.csrfToken !== null && !own ? (
              <VoteForm ctx={ctx} comment={comment} csrfToken={can.csrfToken} />
            ) : (
              <p class="comment-votes">
                {t.commentUp} <span data-up-count>{comment.up}</span> · {t.commentDown}{' '}
                <span data-down-count>{comment.down}</span>
              </p>
            )}
            {mayEdit ? <a href={`${prefix}/comments/${comment.id}/edit`}>{t.commentEdit}</a> : null}
            {own && comment.status !== 'hidden' ? (
              <a href={`${prefix}/comments/${comment.id}/delete`}>{t.commentDelete}</a>
            ) : null}
            {published && can.csrfToken !== null && !own ? (
              comment.myReport === true ? (
                <span class="comment-reported">{t.commentReported}</span>
              ) : (
                <a href={`${prefix}/comments/${comment.id}/report`}>{t.commentReport}</a>
              )
            ) : null}
          </div>
          {mayReply && can.csrfToken ? (
            <details class="comment-reply">
              <summary>{t.commentReply}</summary>
              <CommentForm
                ctx={ctx}
                csrfToken={can.csrfToken}
                articleId={comment.articleId}
                parentId={comment.id}
                policyVersion={can.policyVersion}
                idSuffix={`reply-${comment.id}`}
              />
            </details>
          ) : null}
        </>
      )}
      {comment.depth === 0 && can.replyDepth > 0 ? (
        <ol class="comment-replies" data-replies-for={comment.id}>
          {replies}
        </ol>
      ) : null}
      {moreReplies !== undefined && moreReplies > 0 ? (
        <p class="comment-more-replies">
          <a href={`${prefix}/comments/${comment.id}`}>
            {t.commentsAllReplies(comment.replyCount)}
          </a>
        </p>
      ) : null}
    </li>
  );
}
