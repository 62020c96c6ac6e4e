import type { ArticleRef } from '../articles/articles.service.js';
import { editionPrefix } from '../lib/language.js';
import type { PolicyClause } from '../policy/policy.service.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import { CsrfField, privatePageMeta } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import type { DeleteOrigin } from './comment.js';
import { CommentForm, CommentText, Counter } from './comment-views.js';
import { COMMENT_BUNDLES } from './comments.feature.js';

/** The pages of a reader's forms about one comment: a refused post, edit, delete and report. */

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
export function OneCommentPage({
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
