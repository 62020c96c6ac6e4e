import { editionPrefix } from '../lib/language.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import { privatePageMeta } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import { COMMENT_SORTS, type CommentSort } from './comment.js';
import { CommentForm, CommentItem, type CommentPermissions } from './comment-views.js';
import { COMMENT_BUNDLES } from './comments.feature.js';
import type { Thread, ThreadComment, ThreadPage } from './comments.service.js';
import { REPLIES_SHOWN } from './comments.service.js';

/** The thread's pages: the section under an article, a page of a thread, and one comment in it. */

function ThreadList({
  ctx,
  comments,
  can,
}: {
  ctx: ViewContext;
  comments: ThreadComment[];
  can: CommentPermissions;
}) {
  return (
    <ol class="comment-list" data-comment-list>
      {comments.map((comment) => (
        <CommentItem
          ctx={ctx}
          comment={comment}
          can={can}
          key={comment.id}
          moreReplies={comment.replyCount - Math.min(comment.replies.length, REPLIES_SHOWN)}
          replies={comment.replies.map((reply) => (
            <CommentItem ctx={ctx} comment={reply} can={can} key={reply.id} />
          ))}
        />
      ))}
    </ol>
  );
}

function SortLinks({
  ctx,
  articleId,
  current,
}: {
  ctx: ViewContext;
  articleId: string;
  current: CommentSort;
}) {
  const { t, language } = ctx;
  return (
    <nav class="comment-sort" aria-label={t.commentsSortLabel}>
      <ul>
        {COMMENT_SORTS.map((sort) => (
          <li key={sort}>
            <a
              href={`${editionPrefix(language)}/articles/${articleId}/comments?sort=${sort}#comments`}
              aria-current={sort === current ? 'page' : undefined}
            >
              {t.commentsSort[sort]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The thread's state and the way to write: a form, or the invitation to log in. */
function Composer({
  ctx,
  thread,
  can,
  policyVersion,
  loginButtons,
}: {
  ctx: ViewContext;
  thread: Thread;
  can: CommentPermissions;
  policyVersion: number | null;
  loginButtons: preact.ComponentChildren;
}) {
  const { t, language, site } = ctx;
  const prefix = editionPrefix(language);
  const policyLink = (
    <p class="comments-policy">
      {t.commentsPolicyBefore} <a href={`${prefix}/policy`}>{t.commentsPolicy}</a>
      {t.commentsPolicyAfter}
    </p>
  );
  if (!thread.open) {
    return (
      <>
        <p class="comments-closed">{t.commentsClosed}</p>
        {policyLink}
      </>
    );
  }
  return (
    <>
      {thread.closesAt ? (
        <p class="comments-closes">
          {t.commentsClosesAt(formatNewsroomDateTime(thread.closesAt, site.timeZone, language))}
        </p>
      ) : null}
      {thread.settings.premoderated ? (
        <p class="comments-premoderated">{t.commentsPremoderated}</p>
      ) : null}
      {can.csrfToken ? (
        <>
          {policyLink}
          <CommentForm
            ctx={ctx}
            csrfToken={can.csrfToken}
            articleId={thread.article.id}
            policyVersion={policyVersion}
            idSuffix="main"
          />
        </>
      ) : (
        <div class="comments-login">
          <p>{t.commentsLoginPrompt}</p>
          {loginButtons}
          {policyLink}
        </div>
      )}
    </>
  );
}

export function CommentSection({
  ctx,
  thread,
  page,
  sort,
  can,
  policyVersion,
  loginButtons,
}: {
  ctx: ViewContext;
  thread: Thread;
  page: ThreadPage;
  sort: CommentSort;
  can: CommentPermissions;
  policyVersion: number | null;
  loginButtons: preact.ComponentChildren;
}) {
  const { t, language } = ctx;
  const prefix = editionPrefix(language);
  const id = thread.article.id;
  return (
    <section
      class="comments"
      id="comments"
      aria-labelledby="comments-heading"
      data-comments
      data-live-url={`${prefix}/articles/${id}/comments/live`}
      data-live-announce={t.commentsLiveAnnounce}
    >
      <h2 id="comments-heading">
        {t.comments}{' '}
        <span class="comments-count">
          (<span data-comment-count>{page.count}</span>)
        </span>
      </h2>
      <p class="visually-hidden" data-comment-live-status aria-live="polite"></p>
      <Composer
        ctx={ctx}
        thread={thread}
        can={can}
        policyVersion={policyVersion}
        loginButtons={loginButtons}
      />
      {/* Sorting nothing is a choice without a difference: the links wait for a comment. */}
      {page.count > 0 ? <SortLinks ctx={ctx} articleId={id} current={sort} /> : null}
      {page.comments.length === 0 ? (
        <p class="comments-empty" data-comments-empty>
          {t.commentsEmpty}
        </p>
      ) : null}
      <ThreadList ctx={ctx} comments={page.comments} can={can} />
      {page.next ? (
        <p class="comments-more">
          <a
            href={`${prefix}/articles/${id}/comments?sort=${sort}&after=${page.next}#comments`}
            rel="next"
          >
            {t.commentsMore}
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** A page of an article's comments in a sort order (the article page shows the first). */
export function ThreadPageView(props: {
  ctx: ViewContext;
  thread: Thread;
  page: ThreadPage;
  sort: CommentSort;
  can: CommentPermissions;
  policyVersion: number | null;
  loginButtons: preact.ComponentChildren;
}) {
  const { ctx, thread } = props;
  const { t } = ctx;
  const path = `/articles/${thread.article.id}/comments`;
  return (
    <Layout
      ctx={ctx}
      meta={{
        ...privatePageMeta(ctx, t.commentPageTitle(thread.article.headline), path),
        bundles: COMMENT_BUNDLES,
      }}
    >
      <h1>{t.commentPageTitle(thread.article.headline)}</h1>
      <p>
        <a href={thread.article.path} hrefLang={thread.article.language}>
          {t.commentBackToArticle}
        </a>
      </p>
      <CommentSection {...props} />
    </Layout>
  );
}

/** One comment with all of its thread: the address every comment's time links to. */
export function CommentPageView({
  ctx,
  thread,
  comment,
  can,
}: {
  ctx: ViewContext;
  thread: Thread;
  comment: ThreadComment;
  can: CommentPermissions;
}) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      meta={{
        ...privatePageMeta(
          ctx,
          t.commentPageTitle(thread.article.headline),
          `/comments/${comment.id}`,
        ),
        bundles: COMMENT_BUNDLES,
      }}
    >
      <h1>{t.commentPageTitle(thread.article.headline)}</h1>
      <p>
        <a href={`${thread.article.path}#comments`}>{t.commentBackToArticle}</a>
      </p>
      <section class="comments" id="comments" data-comments>
        <ol class="comment-list" data-comment-list>
          <CommentItem
            ctx={ctx}
            comment={comment}
            can={can}
            replies={comment.replies.map((reply) => (
              <CommentItem ctx={ctx} comment={reply} can={can} key={reply.id} />
            ))}
          />
        </ol>
      </section>
    </Layout>
  );
}

/** A way to log in the site offers (an identity provider), named in both editions. */
export type LoginOption = { id: string; label: Readonly<{ en: string; ko: string }> };

/** Under a thread, for a reader not logged in: each way to log in, back to this thread after. */
export function LoginButtons({
  ctx,
  options,
  returnTo,
}: {
  ctx: ViewContext;
  options: readonly LoginOption[];
  returnTo: string;
}) {
  const prefix = editionPrefix(ctx.language);
  const href = `${prefix}/login?returnTo=${encodeURIComponent(`${returnTo}#comments`)}`;
  return (
    <ul class="comments-login-options">
      {options.map((option) => (
        <li key={option.id}>
          <a class={`login-option login-option-${option.id}`} href={href}>
            {ctx.t.loginWith(option.label[ctx.language])}
          </a>
        </li>
      ))}
      <li>
        <a class="login-option" href={href}>
          {ctx.t.commentsLogin}
        </a>
      </li>
    </ul>
  );
}
