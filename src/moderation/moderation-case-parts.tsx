import { editionPrefix } from '../lib/language.js';
import type { Refusal } from '../http/refused-form.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import { CsrfField, FieldError } from '../views/forms.js';
import type { ViewContext } from '../views/site.js';
import { SANCTIONS, SUSPENSION_DAYS, type HoldReason } from './moderation.js';
import { ClauseChoices, NoteField, deskPath, refusalPlace } from './moderation-desk-page.js';
import type { LogRow } from './moderation-log.queries.js';
import type { commentCase } from './moderation.service.js';

/**
 * Pieces of the case pages: a date, an audit log list, and the reader's section with its
 * sanction form. Reader text is shown as plain text only.
 */

export type CommentCase = NonNullable<Awaited<ReturnType<typeof commentCase>>>;
type Ctx = ViewContext & { csrfToken: string };

/** A form of a case page sent back refused: which one, what it held, and why. */
export type CaseRefusal = Readonly<{
  form: 'decide' | 'sanction' | 'appeal';
  /** The decision, sanction or appeal outcome chosen. */
  choice: string;
  /** A suspension's length, as chosen. */
  days?: string;
  clauses: readonly number[];
  note: string;
  refusal: Refusal;
}>;

export function when(ctx: ViewContext, date: Date) {
  return (
    <time dateTime={date.toISOString()}>
      {formatNewsroomDateTime(date, ctx.site.timeZone, ctx.language)}
    </time>
  );
}

export function LogList({ ctx, entries }: { ctx: ViewContext; entries: readonly LogRow[] }) {
  const { t, language } = ctx;
  const prefix = editionPrefix(language);
  return (
    <ol class="desk-log">
      {entries.map((e) => {
        const reasons = Array.isArray(e.detail.reasons) ? (e.detail.reasons as HoldReason[]) : [];
        return (
          <li key={e.id}>
            {when(ctx, e.at)} · <strong>{t.desk.log[e.action]}</strong> · {t.desk.by}{' '}
            {e.actorId === null ? t.desk.system : (e.actorName ?? `#${e.actorId}`)}
            {e.clauses.length > 0 && e.policyVersion !== null ? (
              <>
                {' '}
                ·{' '}
                {e.clauses.map((n, i) => (
                  <>
                    {i > 0 ? ', ' : null}
                    <a key={n} href={`${prefix}/policy/versions/${e.policyVersion}#clause-${n}`}>
                      {t.desk.clauseLabel(n)}
                    </a>
                  </>
                ))}{' '}
                ({t.desk.policyVersion(e.policyVersion)})
              </>
            ) : null}
            {reasons.length > 0
              ? ` · ${reasons.map((r) => t.desk.holdReasons[r]).join(', ')}`
              : null}
            {e.detail.edited === true ? ` · ${t.desk.afterEdit}` : null}
            {e.note ? ` · ${t.decisionNotice.noteLabel} ${e.note}` : null}
          </li>
        );
      })}
    </ol>
  );
}

export function ReaderSection({
  ctx,
  c,
  commentId,
  refused,
}: {
  ctx: Ctx;
  c: CommentCase;
  commentId: string;
  refused: CaseRefusal | undefined;
}) {
  const { t, language } = ctx;
  const place = refusalPlace(refused?.refusal);
  const chosen = SANCTIONS.find((s) => s === refused?.choice) ?? SANCTIONS[0];
  const prefix = editionPrefix(language);
  const reader = c.reader;
  if (!reader) return null;
  const { standing, counts } = reader;
  return (
    <section aria-labelledby="reader-title">
      <h2 id="reader-title">
        {t.desk.readerTitle}: {reader.reader.displayName ?? `#${reader.reader.id}`}
      </h2>
      <p>
        {t.desk.readerSince} {when(ctx, reader.reader.createdAt)} ·{' '}
        {t.desk.readerCounts(counts.published, counts.hidden, counts.pending, counts.deleted)}
      </p>
      <p>
        <strong>
          {standing.state === 'suspended' ? (
            <>
              {t.desk.standing.suspended} {when(ctx, standing.until)}
            </>
          ) : (
            t.desk.standing[standing.state]
          )}
        </strong>
        {standing.warnings > 0 ? ` · ${t.desk.warnings(standing.warnings)}` : null}
      </p>
      <p>
        <a href={`${deskPath(language, 'recent')}?reader=${reader.reader.id}`}>
          {t.desk.readerAll}
        </a>
      </p>
      <h3>{t.desk.readerRecent}</h3>
      <ul>
        {reader.recent.map((r) => (
          <li key={r.id}>
            <a href={`${prefix}/moderation/comments/${r.id}`}>#{r.id}</a> · {when(ctx, r.createdAt)}{' '}
            · {t.myCommentsStatus[r.status]} · {r.status === 'deleted' ? '—' : r.body}
          </li>
        ))}
      </ul>
      <h3>{t.desk.readerDecisions}</h3>
      <LogList ctx={ctx} entries={reader.decisions} />
      <h3>{t.desk.sanctionTitle}</h3>
      {reader.reader.role !== 'reader' ? (
        <p>{t.desk.staffNotSanctioned}</p>
      ) : (
        <form method="post" action={`${prefix}/moderation/readers/${reader.reader.id}/sanction`}>
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="rev" value={String(standing.rev)} />
          <input type="hidden" name="comment" value={commentId} />
          <FieldError id="sanction-error" text={place.form} />
          <fieldset>
            <legend>{t.desk.sanctionTitle}</legend>
            {SANCTIONS.map((s) => (
              <p key={s}>
                <input
                  type="radio"
                  name="sanction"
                  id={`sanction-${s}`}
                  value={s}
                  required
                  checked={s === chosen}
                />{' '}
                <label for={`sanction-${s}`}>{t.desk.sanction[s]}</label>
              </p>
            ))}
          </fieldset>
          <label for="sanction-days">{t.desk.days}</label>
          <select id="sanction-days" name="days">
            {SUSPENSION_DAYS.map((d) => (
              <option key={d} value={String(d)} selected={String(d) === refused?.days}>
                {t.desk.dayCount(d)}
              </option>
            ))}
          </select>
          <ClauseChoices
            ctx={ctx}
            policy={c.policy}
            idPrefix="sanction"
            checked={refused?.clauses}
            error={place.clauses}
          />
          <NoteField ctx={ctx} id="sanction-note" value={refused?.note} error={place.note} />
          <button type="submit">{t.desk.applySanction}</button>
        </form>
      )}
    </section>
  );
}
