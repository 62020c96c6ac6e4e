import type { ThreadComment } from '../comments/comments.service.js';
import { editionPrefix } from '../lib/language.js';
import { CsrfField, FieldError, privatePageMeta } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import { COMMENT_DECISIONS, decisionOutcome } from './moderation.js';
import {
  LogList,
  ReaderSection,
  when,
  type CaseRefusal,
  type CommentCase,
} from './moderation-case-parts.js';
import {
  Claim,
  ClauseChoices,
  NoteField,
  claimRuns,
  deskPath,
  refusalPlace,
  type ClaimHolder,
} from './moderation-desk-page.js';
import type { appealCase } from './moderation.service.js';

/**
 * One item on the desk: the comment in its thread, its article and reports, what was decided
 * on it before, the reader's history and standing, and the forms that decide. Reader text is
 * shown as plain text only.
 */

type AppealCase = NonNullable<Awaited<ReturnType<typeof appealCase>>>;
type Ctx = ViewContext & { csrfToken: string };

/** The refusal of one form of the page, or nothing when another form (or none) was refused. */
function refusedOf(refused: CaseRefusal | undefined, form: CaseRefusal['form']) {
  return refused?.form === form ? refused : undefined;
}

function ThreadEntry({
  ctx,
  c,
  focus,
}: {
  ctx: ViewContext;
  c: ThreadComment['replies'][number];
  focus: string;
}) {
  return (
    <li class={`desk-thread-entry comment-${c.status}${c.id === focus ? ' desk-focus' : ''}`}>
      <p class="comment-meta">
        #{c.id} · {c.authorName ?? `#${c.authorId}`} · {when(ctx, c.createdAt)} ·{' '}
        {ctx.t.myCommentsStatus[c.status]}
      </p>
      <p class="comment-body">{c.status === 'deleted' ? '—' : c.body}</p>
    </li>
  );
}

/** The comment's earlier texts, oldest first, each with when its author replaced it. */
function Revisions({ ctx, c }: { ctx: ViewContext; c: CommentCase }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="revisions-title">
      <h2 id="revisions-title">{t.desk.revisionsTitle}</h2>
      {c.revisions.length === 0 ? (
        <p>{t.desk.noRevisions}</p>
      ) : (
        <ol class="desk-revisions">
          {c.revisions.map((r, i) => (
            <li key={i}>
              <p class="comment-meta">
                {t.desk.replacedAt} {when(ctx, r.replacedAt)}
              </p>
              <p class="comment-body">{r.body}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function DecisionForm({
  ctx,
  c,
  refused,
}: {
  ctx: Ctx;
  c: CommentCase;
  refused: CaseRefusal | undefined;
}) {
  const { t, language } = ctx;
  const applicable = COMMENT_DECISIONS.filter((d) => decisionOutcome(d, c.item) !== undefined);
  if (applicable.length === 0) return null;
  const place = refusalPlace(refused?.refusal);
  // The choice sent back, while it still applies (the comment may have changed meanwhile).
  const chosen = applicable.find((d) => d === refused?.choice) ?? applicable[0];
  return (
    <form
      method="post"
      action={`${editionPrefix(language)}/moderation/comments/${c.item.id}/decide`}
    >
      <CsrfField token={ctx.csrfToken} />
      <input type="hidden" name="rev" value={String(c.item.rev)} />
      <FieldError id="decide-error" text={place.form} />
      <fieldset>
        <legend>{t.desk.decisionTitle}</legend>
        {applicable.map((d) => (
          <p key={d}>
            <input
              type="radio"
              name="decision"
              id={`decision-${d}`}
              value={d}
              required
              checked={d === chosen}
            />{' '}
            <label for={`decision-${d}`}>{t.desk.decision[d]}</label>
          </p>
        ))}
      </fieldset>
      <ClauseChoices
        ctx={ctx}
        policy={c.policy}
        idPrefix="decide"
        checked={refused?.clauses}
        error={place.clauses}
      />
      <NoteField ctx={ctx} id="decide-note" value={refused?.note} error={place.note} />
      <button type="submit">{t.desk.decide}</button>
    </form>
  );
}

/**
 * The case, common to a comment and an appeal. `holder` is whose claim to show (the comment's,
 * or the appeal's); `claimAction` is where "review this one" posts, absent where the item is
 * taken only from its queue (appeals).
 */
function CaseBody({
  ctx,
  c,
  viewerId,
  now,
  holder,
  claimAction,
}: {
  ctx: Ctx;
  c: CommentCase;
  viewerId: string;
  now: Date;
  holder: ClaimHolder;
  claimAction: string | undefined;
}) {
  const { t, language } = ctx;
  const prefix = editionPrefix(language);
  const { item, thread } = c;
  // Held by anyone, the viewer included, while the claim runs: no button to take it again; and
  // nobody takes their own comment.
  const held = claimRuns(holder, now) || item.authorId === viewerId;
  return (
    <div class="desk-case-record">
      <p>
        {t.desk.article}:{' '}
        <a href={item.articlePath ?? '#'} hrefLang={item.language}>
          {item.headline}
        </a>
      </p>
      <section aria-labelledby="thread-title">
        <h2 id="thread-title">{t.desk.theComment}</h2>
        {thread ? (
          <ol class="desk-thread">
            <ThreadEntry ctx={ctx} c={thread.comment} focus={item.id} />
            {thread.comment.replies.map((r) => (
              <ThreadEntry key={r.id} ctx={ctx} c={r} focus={item.id} />
            ))}
          </ol>
        ) : (
          <p class="comment-body">{item.body}</p>
        )}
      </section>
      <Claim ctx={ctx} holder={holder} now={now} viewerId={viewerId} />
      {claimAction === undefined || held ? null : (
        <form method="post" action={claimAction}>
          <CsrfField token={ctx.csrfToken} />
          <button type="submit">{t.desk.claim}</button>
        </form>
      )}
      <section aria-labelledby="reports-title">
        <h2 id="reports-title">{t.desk.reportsTitle}</h2>
        {c.reports.length === 0 ? <p>{t.desk.noReports}</p> : null}
        <ul>
          {c.reports.map((r) => (
            <li key={r.id}>
              {t.desk.reportBy(r.reporterName ?? '—')} · {when(ctx, r.createdAt)} ·{' '}
              <a href={`${prefix}/policy/versions/${r.policyVersion}#clause-${r.clause}`}>
                {t.desk.clauseLabel(r.clause)}
              </a>
              {r.note ? ` · ${r.note}` : null}
              {r.resolvedAt ? ` · ${t.desk.resolved}` : null}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t.desk.historyTitle}</h2>
        <LogList ctx={ctx} entries={c.log} />
      </section>
      <Revisions ctx={ctx} c={c} />
    </div>
  );
}

export function CommentCasePage({
  ctx,
  c,
  viewerId,
  notice,
  now,
  refused,
}: {
  ctx: Ctx;
  c: CommentCase;
  viewerId: string;
  notice: string | undefined;
  /** The app's clock: whose claim still holds. */
  now: Date;
  /** A form of this page sent back refused, with what it held. */
  refused?: CaseRefusal | undefined;
}) {
  const { t, language } = ctx;
  return (
    <Layout
      ctx={ctx}
      meta={privatePageMeta(
        ctx,
        `${t.desk.theComment} #${c.item.id}`,
        `/moderation/comments/${c.item.id}`,
      )}
    >
      <p>
        <a
          href={deskPath(
            language,
            c.item.status === 'pending'
              ? 'pending'
              : c.item.openReports > 0
                ? 'reported'
                : 'recent',
          )}
        >
          {t.desk.title}
        </a>
      </p>
      <h1>
        {t.desk.theComment} #{c.item.id}
      </h1>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {/* Wide screens: what happened beside what to decide; a phone reads them in this order. */}
      <div class="desk-case">
        <CaseBody
          ctx={ctx}
          c={c}
          viewerId={viewerId}
          now={now}
          holder={c.item}
          claimAction={`${editionPrefix(language)}/moderation/comments/${c.item.id}/claim`}
        />
        <div class="desk-case-actions">
          <section aria-labelledby="decide-title">
            <h2 id="decide-title">{t.desk.decisionTitle}</h2>
            {c.item.authorId === viewerId ? (
              <p role="note">{t.errorMessage.MODERATION_OWN_COMMENT}</p>
            ) : (
              <DecisionForm ctx={ctx} c={c} refused={refusedOf(refused, 'decide')} />
            )}
          </section>
          <ReaderSection
            ctx={ctx}
            c={c}
            commentId={c.item.id}
            refused={refusedOf(refused, 'sanction')}
          />
        </div>
      </div>
    </Layout>
  );
}

export function AppealCasePage({
  ctx,
  a,
  viewerId,
  now,
  refused,
}: {
  ctx: Ctx;
  a: AppealCase;
  viewerId: string;
  now: Date;
  /** The appeal's decision form sent back refused, with what it held. */
  refused?: CaseRefusal | undefined;
}) {
  const { t, language } = ctx;
  const prefix = editionPrefix(language);
  const { appeal } = a;
  const own = appeal.decidedByFirst === viewerId;
  const place = refusalPlace(refused?.refusal);
  const chosen = refused?.choice === 'granted' ? 'granted' : 'upheld';
  return (
    <Layout
      ctx={ctx}
      meta={privatePageMeta(
        ctx,
        `${t.desk.appealTitle} #${appeal.id}`,
        `/moderation/appeals/${appeal.id}`,
      )}
    >
      <p>
        <a href={deskPath(language, 'appeals')}>{t.desk.title}</a>
      </p>
      <h1>
        {t.desk.appealTitle} #{appeal.id}
      </h1>
      <p>
        {t.desk.appealReason}: {appeal.reason}
      </p>
      {a.decision ? (
        <>
          <h2>{t.desk.appealAgainst}</h2>
          <LogList ctx={ctx} entries={[a.decision]} />
        </>
      ) : null}
      <div class="desk-case">
        <CaseBody
          ctx={ctx}
          c={a.comment}
          viewerId={viewerId}
          now={now}
          holder={{ ...appeal, claimedByName: a.claimedByName }}
          claimAction={undefined}
        />
        <div class="desk-case-actions">
          {appeal.status !== 'open' ? (
            <p>
              <strong>
                {t.desk.log[appeal.status === 'granted' ? 'appeal_granted' : 'appeal_upheld']}
              </strong>
            </p>
          ) : own ? (
            <p role="note">{t.desk.appealOwnDecision}</p>
          ) : appeal.authorId === viewerId ? (
            <p role="note">{t.errorMessage.MODERATION_OWN_COMMENT}</p>
          ) : (
            <form method="post" action={`${prefix}/moderation/appeals/${appeal.id}/decide`}>
              <CsrfField token={ctx.csrfToken} />
              <input type="hidden" name="rev" value={String(appeal.rev)} />
              <FieldError id="appeal-decide-error" text={place.form} />
              <fieldset>
                <legend>{t.desk.decideAppeal}</legend>
                {(['upheld', 'granted'] as const).map((o) => (
                  <p key={o}>
                    <input
                      type="radio"
                      name="outcome"
                      id={`outcome-${o}`}
                      value={o}
                      required
                      checked={o === chosen}
                    />{' '}
                    <label for={`outcome-${o}`}>{t.desk.appealOutcome[o]}</label>
                  </p>
                ))}
              </fieldset>
              <NoteField ctx={ctx} id="appeal-note" value={refused?.note} error={place.note} />
              <button type="submit">{t.desk.decideAppeal}</button>
            </form>
          )}
        </div>
      </div>
    </Layout>
  );
}
