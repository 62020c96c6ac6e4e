import { assertUnreachable } from '../lib/assert.js';
import { editionPrefix } from '../lib/language.js';
import type { CommentDecisionView } from '../moderation/moderation-gate.service.js';
import type { HoldReason, Standing } from '../moderation/moderation.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import type { ViewContext } from '../views/site.js';

/**
 * What the standards board decided about a reader's comment, as its author reads it on "My
 * comments": the decision, the clauses it cites (linked to the version cited), the board's
 * note, and the appeal (a link while one is possible, its state after).
 */
export function DecisionLine({
  ctx,
  commentId,
  view,
}: {
  ctx: ViewContext;
  commentId: string;
  view: CommentDecisionView | undefined;
}) {
  const { t, language } = ctx;
  const prefix = editionPrefix(language);
  if (!view) return <p class="my-comment-decision">{t.myCommentsNoDecision}</p>;
  const { decision, appeal } = view;
  const reasons = Array.isArray(decision.detail.reasons)
    ? (decision.detail.reasons as HoldReason[])
    : [];
  let text: string;
  switch (decision.action) {
    case 'comment_held':
      text =
        reasons.length > 0
          ? t.decisionNotice.held(reasons.map((r) => t.desk.holdReasons[r]).join(', '))
          : t.decisionNotice.heldPlain;
      break;
    case 'comment_approved':
      text = t.decisionNotice.approved;
      break;
    case 'comment_rejected':
      text = t.decisionNotice.rejected;
      break;
    case 'appeal_upheld':
      text = t.decisionNotice.appealUpheld;
      break;
    case 'appeal_granted':
      text = t.decisionNotice.appealGranted;
      break;
    case 'comment_restored':
      text = t.decisionNotice.restored;
      break;
    default:
      assertUnreachable(decision.action);
  }
  return (
    <div class="my-comment-decision">
      <p>
        <time dateTime={decision.at.toISOString()}>
          {formatNewsroomDateTime(decision.at, ctx.site.timeZone, language)}
        </time>{' '}
        · {text}
        {decision.action === 'comment_rejected' && decision.policyVersion !== null ? (
          <>
            {' '}
            {view.clauses.map((c, i) => (
              <span key={c.number}>
                {i > 0 ? ', ' : null}
                <a href={`${prefix}/policy/versions/${decision.policyVersion}#clause-${c.number}`}>
                  {t.desk.clauseLabel(c.number)}
                  {c.title ? ` (${c.title[language]})` : null}
                </a>
              </span>
            ))}{' '}
            · {t.desk.policyVersion(decision.policyVersion)}
          </>
        ) : null}
      </p>
      {decision.note ? (
        <p>
          {t.decisionNotice.noteLabel} {decision.note}
        </p>
      ) : null}
      {appeal?.status === 'open' ? <p>{t.decisionNotice.appealFiled}</p> : null}
      {view.mayAppeal ? (
        <p>
          <a href={`${prefix}/account/comments/${commentId}/appeal`}>{t.decisionNotice.appeal}</a>
        </p>
      ) : null}
    </div>
  );
}

/** The reader's standing with the board, when it is anything but plain good standing. */
export function StandingNotice({ ctx, standing }: { ctx: ViewContext; standing: Standing }) {
  const { t, language, site } = ctx;
  switch (standing.state) {
    case 'suspended':
      return (
        <p class="notice" role="status">
          {t.decisionNotice.standingSuspended(
            formatNewsroomDateTime(standing.until, site.timeZone, language),
          )}
        </p>
      );
    case 'banned':
      return (
        <p class="notice" role="status">
          {t.decisionNotice.standingBanned}
        </p>
      );
    case 'active':
      return standing.warnings > 0 ? (
        <p class="notice" role="status">
          {t.decisionNotice.standingWarned(standing.warnings)}
        </p>
      ) : null;
  }
}
