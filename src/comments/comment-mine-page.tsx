import type { CommentDecisionView } from '../moderation/moderation-gate.service.js';
import type { Standing } from '../moderation/moderation.js';
import { editionPrefix } from '../lib/language.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import { privatePageMeta } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import { DecisionLine, StandingNotice } from './comment-decision-view.js';
import { CommentText } from './comment-views.js';
import { COMMENT_BUNDLES } from './comments.feature.js';
import type { MyComment } from './comments.service.js';

/**
 * "My comments": the reader's comments with their latest replies, what the standards board
 * decided on each, and the reader's standing.
 */
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
