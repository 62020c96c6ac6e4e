import { editionPrefix } from '../lib/language.js';
import { citableClauses, type PolicyVersion } from '../policy/policy.service.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import type { Refusal } from '../http/refused-form.js';
import { CsrfField, FieldError, privatePageMeta } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import { COMMENT_DECISIONS, QUEUES, type Queue } from './moderation.js';
import { FilterBox, FilterFields, filterParams } from './moderation-desk-filters.js';
import type { QueueFilters } from './moderation.queries.js';
import type { FilterField, FilterForm } from './moderation.schemas.js';
import type { QueuePage } from './moderation.service.js';

/**
 * The desk's queue page: tabs for the four queues, filters, "take the next item", and the list,
 * which is also the form of a bulk decision. Every reader-written string is plain text here:
 * the desk is a sink for whatever readers type (docs/SECURITY.md, item 20).
 */

export function deskPath(language: ViewContext['language'], queue: Queue): string {
  return `${editionPrefix(language)}/moderation/queue/${queue}`;
}

export function filterQuery(filters: QueueFilters): string {
  const query = new URLSearchParams(filterParams(filters)).toString();
  return query ? `?${query}` : '';
}

/** A bulk decision sent back refused: what was selected and chosen, and why. */
export type BulkRefusal = Readonly<{
  items: readonly string[];
  decision: string;
  clauses: readonly number[];
  note: string;
  refusal: Refusal;
}>;

/** The clauses of the policy in force as checkboxes: what a decision cites. */
export function ClauseChoices({
  ctx,
  policy,
  idPrefix,
  checked = [],
  error,
}: {
  ctx: ViewContext;
  policy: PolicyVersion;
  idPrefix: string;
  /** The clauses ticked on a form sent back refused. */
  checked?: readonly number[] | undefined;
  /** Why the form was refused, when the clauses were the reason. */
  error?: string | undefined;
}) {
  const { t, language } = ctx;
  const errorId = `${idPrefix}-clauses-error`;
  return (
    <fieldset class="clause-choices" aria-describedby={error ? errorId : undefined}>
      <legend>{t.desk.clausesFor(policy.version)}</legend>
      <FieldError id={errorId} text={error} />
      {citableClauses(policy).map((clause) => (
        <p key={clause.number}>
          <input
            type="checkbox"
            name="clause"
            id={`${idPrefix}-clause-${clause.number}`}
            value={String(clause.number)}
            checked={checked.includes(clause.number)}
          />{' '}
          <label for={`${idPrefix}-clause-${clause.number}`}>
            {clause.number}. {clause.title[language]}
          </label>
        </p>
      ))}
    </fieldset>
  );
}

export function NoteField({
  ctx,
  id,
  value = '',
  error,
}: {
  ctx: ViewContext;
  id: string;
  value?: string | undefined;
  /** Why the form was refused, when the note was the reason. */
  error?: string | undefined;
}) {
  return (
    <>
      <label for={id}>{ctx.t.desk.note}</label>
      <textarea
        id={id}
        name="note"
        rows={2}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {value}
      </textarea>
      <FieldError id={`${id}-error`} text={error} />
    </>
  );
}

/** Where a refusal of a desk form belongs: beside the clauses, the note, or the whole form. */
export function refusalPlace(refusal: Refusal | undefined): {
  clauses?: string;
  note?: string;
  form?: string;
} {
  if (!refusal) return {};
  if (refusal.code === 'MODERATION_CLAUSE_REQUIRED') return { clauses: refusal.message };
  if (refusal.code === 'MODERATION_NOTE_INVALID') return { note: refusal.message };
  return { form: refusal.message };
}

/** Who holds a queue item (a comment or an appeal). */
export type ClaimHolder = Readonly<{
  claimedBy: string | null;
  claimedByName: string | null;
  claimedUntil: Date | null;
}>;

/** Whether a claim still runs at `now`, by the app's clock. */
export function claimRuns(holder: ClaimHolder, now: Date): boolean {
  return holder.claimedBy !== null && holder.claimedUntil !== null && holder.claimedUntil > now;
}

/** Who is reviewing an item and until when, while the claim runs; nothing after. */
export function Claim({
  ctx,
  holder,
  now,
  viewerId,
}: {
  ctx: ViewContext;
  holder: ClaimHolder;
  now: Date;
  viewerId: string;
}) {
  const { claimedBy, claimedByName, claimedUntil } = holder;
  if (!claimRuns(holder, now) || !claimedBy || !claimedUntil) return null;
  const until = formatNewsroomDateTime(claimedUntil, ctx.site.timeZone, ctx.language);
  return (
    <p class="claim">
      {claimedBy === viewerId
        ? ctx.t.desk.claimedByYou(until)
        : ctx.t.desk.claimedBy(claimedByName ?? `#${claimedBy}`, until)}
    </p>
  );
}

export function DeskPage({
  ctx,
  queue,
  filters,
  page,
  pageNumber,
  policy,
  viewerId,
  notice,
  now,
  filterForm,
  filterProblem,
  bulk,
}: {
  ctx: ViewContext & { csrfToken: string };
  queue: Queue;
  filters: QueueFilters;
  /** The filter form as typed (it differs from `filters` when a value was refused). */
  filterForm: FilterForm;
  filterProblem?: Readonly<{ field: FilterField; message: string }> | undefined;
  /** The bulk form sent back refused, with what it held. */
  bulk?: BulkRefusal | undefined;
  page: QueuePage;
  pageNumber: number;
  policy: PolicyVersion;
  viewerId: string;
  notice: string | undefined;
  /** The app's clock: whose claim still holds. */
  now: Date;
}) {
  const { t, language, site } = ctx;
  const prefix = editionPrefix(language);
  const query = filterQuery(filters);
  const empty = page.items.length === 0 && page.appeals.length === 0;
  const bulkPlace = refusalPlace(bulk?.refusal);
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, t.desk.title, `/moderation/queue/${queue}`)}>
      <h1>{t.desk.title}</h1>
      <p>{t.desk.intro}</p>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <nav aria-label={t.desk.title} class="desk-tabs">
        <ul>
          {QUEUES.map((q) => (
            <li key={q}>
              <a
                href={`${deskPath(language, q)}${query}`}
                aria-current={q === queue ? 'page' : undefined}
              >
                {t.desk.queues[q]}
                {q === 'recent' ? null : ` (${page.sizes[q]})`}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h2>{t.desk.queueNames[queue]}</h2>
      <FilterBox
        ctx={ctx}
        action={deskPath(language, queue)}
        form={filterForm}
        active={filterParams(filters).length}
        problem={filterProblem}
        sections={page.sections}
        articleHeadline={
          filters.articleId ? (page.items[0]?.headline ?? page.appeals[0]?.headline) : undefined
        }
        readerName={
          filters.readerId
            ? (page.items[0]?.authorName ?? page.appeals[0]?.authorName ?? undefined)
            : undefined
        }
      />
      <form method="post" action={`${deskPath(language, queue)}/next${query}`}>
        <CsrfField token={ctx.csrfToken} />
        <button type="submit">{t.desk.takeNext}</button>
      </form>
      {empty ? <p>{t.desk.empty}</p> : null}
      {page.appeals.length > 0 ? (
        <ol class="desk-list">
          {page.appeals.map((a) => (
            <li key={a.id} class="desk-item">
              <p class="comment-meta">
                <a href={`${prefix}/moderation/appeals/${a.id}`}>
                  {t.desk.appealTitle} #{a.id}
                </a>{' '}
                · {a.authorName ?? `#${a.authorId}`} ·{' '}
                <time dateTime={a.createdAt.toISOString()}>
                  {formatNewsroomDateTime(a.createdAt, site.timeZone, language)}
                </time>{' '}
                · {a.headline}
              </p>
              <p class="comment-body">{a.body}</p>
              <p>
                {t.desk.appealReason}: {a.reason}
              </p>
              {a.decidedByFirst === viewerId ? <p>{t.desk.appealOwnDecision}</p> : null}
              <Claim ctx={ctx} holder={a} now={now} viewerId={viewerId} />
            </li>
          ))}
        </ol>
      ) : null}
      {page.items.length > 0 ? (
        <form method="post" action={`${prefix}/moderation/bulk`} class="desk-bulk">
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="queue" value={queue} />
          <FilterFields filters={filters} />
          {pageNumber > 1 ? <input type="hidden" name="page" value={String(pageNumber)} /> : null}
          <FieldError id="bulk-error" text={bulkPlace.form} />
          <ol class="desk-list">
            {page.items.map((item) => (
              <li key={item.id} class={`desk-item comment-${item.status}`}>
                <p class="comment-meta">
                  {/* One's own comment is another moderator's to decide: nothing to select. */}
                  {item.authorId === viewerId ? null : (
                    <>
                      <input
                        type="checkbox"
                        name="item"
                        id={`item-${item.id}`}
                        value={`${item.id}:${item.rev}`}
                        aria-label={t.desk.select(item.id)}
                        checked={bulk?.items.includes(item.id)}
                      />{' '}
                    </>
                  )}
                  <a href={`${prefix}/moderation/comments/${item.id}`}>
                    {t.desk.theComment} #{item.id}
                  </a>{' '}
                  · {item.authorName ?? `#${item.authorId}`} ·{' '}
                  <time dateTime={item.createdAt.toISOString()}>
                    {formatNewsroomDateTime(item.createdAt, site.timeZone, language)}
                  </time>{' '}
                  · {item.headline} · <strong>{t.myCommentsStatus[item.status]}</strong>
                  {item.featured ? ` · ${t.desk.featured}` : null}
                </p>
                <p class="comment-body">{item.body}</p>
                {item.openReports > 0 ? (
                  <p class="desk-reports">
                    {t.desk.reports(item.openReports)}:{' '}
                    {item.reportClauses
                      .map((r) => t.desk.reportClause(r.clause, r.count))
                      .join(', ')}
                  </p>
                ) : null}
                <Claim ctx={ctx} holder={item} now={now} viewerId={viewerId} />
              </li>
            ))}
          </ol>
          <fieldset>
            <legend>{t.desk.selectionTitle}</legend>
            <label for="bulk-decision">{t.desk.decisionTitle}</label>
            <select id="bulk-decision" name="decision">
              {COMMENT_DECISIONS.map((d) => (
                <option key={d} value={d} selected={d === bulk?.decision}>
                  {t.desk.decision[d]}
                </option>
              ))}
            </select>
            <ClauseChoices
              ctx={ctx}
              policy={policy}
              idPrefix="bulk"
              checked={bulk?.clauses}
              error={bulkPlace.clauses}
            />
            <NoteField ctx={ctx} id="bulk-note" value={bulk?.note} error={bulkPlace.note} />
            <button type="submit">{t.desk.decide}</button>
          </fieldset>
        </form>
      ) : null}
      <p>
        {pageNumber > 1 ? (
          <a href={pageLink(deskPath(language, queue), query, pageNumber - 1)} rel="prev">
            ←
          </a>
        ) : null}{' '}
        {page.hasMore ? (
          <a href={pageLink(deskPath(language, queue), query, pageNumber + 1)} rel="next">
            →
          </a>
        ) : null}
      </p>
      <p>
        <a href={`${prefix}/transparency`}>{t.desk.transparency}</a>
      </p>
    </Layout>
  );
}

function pageLink(path: string, query: string, page: number): string {
  return `${path}${query ? `${query}&` : '?'}page=${page}`;
}
