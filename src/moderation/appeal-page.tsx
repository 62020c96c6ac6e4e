import { editionPrefix } from '../lib/language.js';
import { CsrfField, FieldError, privatePageMeta } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';

/** A reader appeals the decision that hid their comment: the comment, the form, a refusal. */
export function AppealPage({
  ctx,
  commentId,
  body,
  reason,
  error,
}: {
  ctx: ViewContext & { csrfToken: string };
  commentId: string;
  body: string;
  reason: string;
  error: string | undefined;
}) {
  const { t, language } = ctx;
  const prefix = editionPrefix(language);
  const path = `/account/comments/${commentId}/appeal`;
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, t.decisionNotice.appealPageTitle, path)}>
      <h1>{t.decisionNotice.appealPageTitle}</h1>
      <p>{t.decisionNotice.appealIntro}</p>
      <blockquote class="comment-body">{body}</blockquote>
      <form method="post" action={`${prefix}${path}`}>
        <CsrfField token={ctx.csrfToken} />
        <label for="appeal-reason">{t.decisionNotice.appealReason}</label>
        <textarea
          id="appeal-reason"
          name="reason"
          rows={4}
          required
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'appeal-error' : undefined}
        >
          {reason}
        </textarea>
        <FieldError id="appeal-error" text={error} />
        <button type="submit">{t.decisionNotice.appealSend}</button>
      </form>
      <p>
        <a href={`${prefix}/account/comments`}>{t.myCommentsTitle}</a>
      </p>
    </Layout>
  );
}
