import type { ArticleRef } from '../articles/articles.service.js';
import { COMMENT_BUNDLES } from './comments.feature.js';
import { editionPrefix } from '../lib/language.js';
import type { PolicyClause } from '../policy/policy.service.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import { CsrfField, privatePageMeta } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import type { CommentDecisionView } from '../moderation/moderation-gate.service.js';
import type { Standing } from '../moderation/moderation.js';
import { COMMENT_SORTS, type CommentSort } from './comment.js';
import { DecisionLine, StandingNotice } from './comment-decision-view.js';
import {
  CommentForm,
  CommentItem,
  CommentText,
  Counter,
  type CommentPermissions,
} from './comment-views.js';
import type { MyComment, Thread, ThreadComment, ThreadPage } from './comments.service.js';
import { REPLIES_SHOWN } from './comments.service.js';

/** Comments' pages: the section under an article, a thread page, one comment, and the forms. */

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

/** A refused comment, without JavaScript: why, and the form again with the reader's text. */
export function CommentProblemPage({
  ctx,
  csrfToken,
  article,
  parentId,
  message,
  text,
  policyVersion,
}: {
  ctx: ViewContext & { csrfToken: string };
  csrfToken: string;
  article: ArticleRef;
  parentId: string | undefined;
  message: string;
  text: string;
  policyVersion: number | null;
}) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      meta={{
        ...privatePageMeta(ctx, t.commentProblemTitle, `/articles/${article.id}/comments`),
        bundles: COMMENT_BUNDLES,
      }}
    >
      <h1>{t.commentProblemTitle}</h1>
      <p role="alert" class="comment-problem">
        {message}
      </p>
      <p>{t.commentProblemKept}</p>
      <section class="comments" data-comments>
        <CommentForm
          ctx={ctx}
          csrfToken={csrfToken}
          articleId={article.id}
          {...(parentId ? { parentId } : {})}
          policyVersion={policyVersion}
          text={text}
          idSuffix="retry"
        />
      </section>
      <p>
        <a href={`${article.path}#comments`}>{t.commentBackToArticle}</a>
      </p>
    </Layout>
  );
}

/** The frame of a page about one comment: its title, and the comment's text when given. */
function OneCommentPage({
  ctx,
  title,
  path,
  text,
  children,
}: {
  ctx: ViewContext;
  title: string;
  path: string;
  text?: string;
  children: preact.ComponentChildren;
}) {
  return (
    <Layout ctx={ctx} meta={{ ...privatePageMeta(ctx, title, path), bundles: COMMENT_BUNDLES }}>
      <h1>{title}</h1>
      {text === undefined ? null : (
        <blockquote class="comment-body">
          <CommentText text={text} />
        </blockquote>
      )}
      {children}
    </Layout>
  );
}

export function EditCommentPage({
  ctx,
  commentId,
  text,
  until,
  error,
}: {
  ctx: ViewContext & { csrfToken: string };
  commentId: string;
  text: string;
  until: Date;
  error?: string | undefined;
}) {
  const { t, language, site } = ctx;
  const prefix = editionPrefix(language);
  return (
    <OneCommentPage ctx={ctx} title={t.commentEditTitle} path={`/comments/${commentId}/edit`}>
      <p>{t.commentEditUntil(formatNewsroomDateTime(until, site.timeZone, language))}</p>
      {error ? (
        <p role="alert" class="comment-problem">
          {error}
        </p>
      ) : null}
      <form
        method="post"
        action={`${prefix}/comments/${commentId}/edit`}
        class="comment-form"
        data-comment-edit
      >
        <CsrfField token={ctx.csrfToken} />
        <label for="comment-edit-body">{t.commentsFormLabel}</label>
        <textarea
          id="comment-edit-body"
          name="body"
          rows={4}
          required
          data-comment-input
          aria-describedby="comment-counter-edit"
        >
          {text}
        </textarea>
        <Counter ctx={ctx} id="comment-counter-edit" />
        <button type="submit">{t.commentEditSave}</button>
      </form>
      <p>
        <a href={`${prefix}/comments/${commentId}`}>{t.commentBackToArticle}</a>
      </p>
    </OneCommentPage>
  );
}

/** Where a delete started, and so where the reader returns: their list, or the thread. */
export type DeleteOrigin = 'account' | 'thread';

export function DeleteCommentPage({
  ctx,
  commentId,
  text,
  from,
}: {
  ctx: ViewContext & { csrfToken: string };
  commentId: string;
  text: string;
  from: DeleteOrigin;
}) {
  const { t, language } = ctx;
  const prefix = editionPrefix(language);
  return (
    <OneCommentPage
      ctx={ctx}
      title={t.commentDeleteTitle}
      path={`/comments/${commentId}/delete`}
      text={text}
    >
      <p>{t.commentDeleteConfirm}</p>
      <form method="post" action={`${prefix}/comments/${commentId}/delete`}>
        <CsrfField token={ctx.csrfToken} />
        {from === 'account' ? <input type="hidden" name="from" value="account" /> : null}
        <button type="submit">{t.commentDelete}</button>
      </form>
    </OneCommentPage>
  );
}

/**
 * The report page: the form, the thanks once it is sent, or, when this reader reported the
 * comment before, a note that they did (a second report would be refused anyway).
 */
export function ReportCommentPage({
  ctx,
  commentId,
  text,
  clauses,
  state,
  error,
  note = '',
}: {
  ctx: ViewContext & { csrfToken: string };
  commentId: string;
  text: string;
  /** The clauses a report may cite: those a comment can break. */
  clauses: readonly PolicyClause[];
  state: 'form' | 'thanks' | 'reported';
  error?: string | undefined;
  note?: string;
}) {
  const { t, language } = ctx;
  const prefix = editionPrefix(language);
  return (
    <OneCommentPage
      ctx={ctx}
      title={t.commentReportTitle}
      path={`/comments/${commentId}/report`}
      text={text}
    >
      {state === 'thanks' ? (
        <p role="status">{t.commentReportThanks}</p>
      ) : state === 'reported' ? (
        <p role="status">{t.commentReportedAlready}</p>
      ) : (
        <form
          method="post"
          action={`${prefix}/comments/${commentId}/report`}
          class="comment-report"
        >
          <CsrfField token={ctx.csrfToken} />
          {error ? (
            <p role="alert" class="comment-problem">
              {error}
            </p>
          ) : null}
          <fieldset>
            <legend>{t.commentReportIntro}</legend>
            {clauses.map((clause) => (
              <p key={clause.number}>
                <input
                  type="radio"
                  name="clause"
                  id={`clause-${clause.number}`}
                  value={String(clause.number)}
                  required
                />{' '}
                <label for={`clause-${clause.number}`}>
                  {clause.number}. {clause.title[language]}
                </label>{' '}
                <a href={`${prefix}/policy#clause-${clause.number}`}>
                  {t.commentsAcceptPolicyLink}
                </a>
              </p>
            ))}
          </fieldset>
          <label for="report-note">{t.commentReportNote}</label>
          <textarea id="report-note" name="note" rows={3}>
            {note}
          </textarea>
          <button type="submit">{t.commentReportSend}</button>
        </form>
      )}
      <p>
        <a href={`${prefix}/comments/${commentId}`}>{t.commentBackToArticle}</a>
      </p>
    </OneCommentPage>
  );
}

export function MyCommentsPage({
  ctx,
  comments,
  next,
  decisions,
  standing,
}: {
  ctx: ViewContext;
  comments: MyComment[];
  next: string | undefined;
  decisions: ReadonlyMap<string, CommentDecisionView>;
  standing: Standing;
}) {
  const { t, language, site } = ctx;
  const prefix = editionPrefix(language);
  return (
    <Layout
      ctx={ctx}
      meta={{
        ...privatePageMeta(ctx, t.myCommentsTitle, '/account/comments'),
        bundles: COMMENT_BUNDLES,
      }}
    >
      <h1>{t.myCommentsTitle}</h1>
      <StandingNotice ctx={ctx} standing={standing} />
      {comments.length === 0 ? <p>{t.myCommentsEmpty}</p> : null}
      <ol class="my-comments">
        {comments.map((c) => (
          <li key={c.id} id={`comment-${c.id}`} class={`my-comment comment-${c.status}`}>
            <p class="comment-meta">
              {t.myCommentsOn}:{' '}
              <a href={c.path ?? '#'} hrefLang={c.language}>
                {c.headline}
              </a>{' '}
              ·{' '}
              <a href={`${prefix}/comments/${c.id}`}>
                <time dateTime={c.createdAt.toISOString()}>
                  {formatNewsroomDateTime(c.createdAt, site.timeZone, language)}
                </time>
              </a>{' '}
              · <strong class="comment-status">{t.myCommentsStatus[c.status]}</strong>
              {c.editedAt ? ` (${t.commentEdited})` : null}
            </p>
            {c.status === 'deleted' ? null : (
              <p class="comment-body">
                <CommentText text={c.body} />
              </p>
            )}
            <p class="comment-votes">
              {t.commentUp} {c.up} · {t.commentDown} {c.down} · {t.myCommentsReplies(c.replyTotal)}
            </p>
            {c.replies.length > 0 ? (
              <ul class="my-comment-replies">
                {c.replies.map((r) => (
                  <li key={r.id}>
                    <a href={`${prefix}/comments/${r.id}`}>
                      {r.authorDeleted
                        ? t.commentDeletedAccount
                        : (r.authorName ?? t.commentNoName)}
                    </a>
                    : <CommentText text={r.body} />
                  </li>
                ))}
              </ul>
            ) : null}
            {c.status === 'published' || c.status === 'pending' ? (
              <p class="comment-actions">
                <a href={`${prefix}/comments/${c.id}/delete?from=account`}>{t.commentDelete}</a>
              </p>
            ) : null}
            <DecisionLine ctx={ctx} commentId={c.id} view={decisions.get(c.id)} />
          </li>
        ))}
      </ol>
      {next ? (
        <p>
          <a href={`${prefix}/account/comments?before=${next}`} rel="next">
            {t.myCommentsOlder}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}
