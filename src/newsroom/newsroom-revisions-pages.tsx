import type { SectionChoice } from '../articles/article-row.service.js';
import type { Language } from '../lib/language.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import { CsrfField } from '../views/forms.js';
import type { Messages } from '../views/i18n.js';
import type { ViewContext } from '../views/site.js';
import { NewsroomLayout, newsroomPath } from './newsroom-layout.js';
import type { RevisionSummary } from './newsroom.service.js';
import { DiffView } from './newsroom-revisions-diff.js';
import type { StoryDiff } from './revision-diff.js';
import type { NewsroomRole, Story } from './story.js';

/** The revisions pages: every revision of a story, two compared, a restore that was kept aside. */

/** The revisions' addresses; the editor links to `compare` on a save conflict. */
export const revisionPath = {
  list: (language: Language, id: string) => `${newsroomPath.story(language, id)}/revisions`,
  compare: (language: Language, id: string, from: number, to: number) =>
    `${newsroomPath.story(language, id)}/compare?from=${from}&to=${to}`,
  restore: (language: Language, id: string, number: number) =>
    `${newsroomPath.story(language, id)}/revisions/${number}/restore`,
};

/** The path without the edition prefix, for the layout's canonical and language-switch links. */
const unprefixed = (id: string, rest: string) => `/newsroom/stories/${id}/${rest}`;

function When({ ctx, at }: { ctx: ViewContext; at: Date }) {
  return (
    <time datetime={at.toISOString()}>
      {formatNewsroomDateTime(at, ctx.site.timeZone, ctx.language)}
    </time>
  );
}

export function RevisionsPage({
  ctx,
  role,
  story,
  revisions,
  canRestore,
}: {
  ctx: ViewContext & { csrfToken: string };
  role: NewsroomRole;
  story: Story;
  revisions: RevisionSummary[];
  canRestore: boolean;
}) {
  const { t, language } = ctx;
  const newest = revisions[0]?.number ?? 0;
  return (
    <NewsroomLayout
      ctx={ctx}
      title={t.newsroomRevisionsOf(story.content.headline)}
      current="story"
      role={role}
      path={unprefixed(story.id, 'revisions')}
    >
      <h1>{t.newsroomRevisionsOf(story.content.headline)}</h1>
      <p>
        <a href={newsroomPath.story(language, story.id)}>{t.newsroomRevisionsBack}</a>
      </p>
      <p>{t.newsroomRevisionsIntro}</p>
      {revisions.length === 0 ? (
        <p>{t.newsroomRevisionsNone}</p>
      ) : (
        <>
          <CompareForm
            t={t}
            action={`${newsroomPath.story(language, story.id)}/compare`}
            revisions={revisions}
            from={Math.max(1, story.headRevision - 1)}
            to={story.headRevision || newest}
          />
          <table class="revision-table">
            <caption>{t.newsroomRevisionsList}</caption>
            <thead>
              <tr>
                <th scope="col">{t.newsroomRevisionColumn.number}</th>
                <th scope="col">{t.newsroomRevisionColumn.savedAt}</th>
                <th scope="col">{t.newsroomRevisionColumn.author}</th>
                <th scope="col">{t.newsroomRevisionColumn.reason}</th>
                <th scope="col">{t.newsroomRevisionColumn.headline}</th>
                <th scope="col">{t.newsroomRevisionColumn.actions}</th>
              </tr>
            </thead>
            <tbody>
              {revisions.map((revision) => (
                <RevisionRow
                  key={revision.number}
                  ctx={ctx}
                  story={story}
                  revision={revision}
                  canRestore={canRestore}
                />
              ))}
            </tbody>
          </table>
        </>
      )}
    </NewsroomLayout>
  );
}

/** What a revision was written over: its base (a kept conflict's is older than its number). */
function changedFrom(revision: RevisionSummary): number {
  const base = revision.basedOn;
  return base !== null && base > 0 && base !== revision.number ? base : revision.number - 1;
}

function RevisionRow({
  ctx,
  story,
  revision,
  canRestore,
}: {
  ctx: ViewContext & { csrfToken: string };
  story: Story;
  revision: RevisionSummary;
  canRestore: boolean;
}) {
  const { t, language } = ctx;
  const n = revision.number;
  const head = n === story.headRevision;
  return (
    <tr class={head ? 'revision-head' : undefined}>
      <th scope="row">
        {t.newsroomRevisionNumber(n)}
        {head ? <strong class="revision-badge">{t.newsroomRevisionHead}</strong> : null}
        {n === story.liveRevision ? (
          <strong class="revision-badge revision-live">{t.newsroomRevisionLive}</strong>
        ) : null}
      </th>
      <td>
        <When ctx={ctx} at={revision.createdAt} />
      </td>
      <td>{revision.author}</td>
      <td>{t.newsroomRevisionReason[revision.reason]}</td>
      <td lang={story.content.language}>{revision.headline}</td>
      <td class="revision-actions">
        {n > 1 ? (
          <a
            href={revisionPath.compare(language, story.id, changedFrom(revision), n)}
            aria-label={t.newsroomRevisionChangesOf(n)}
          >
            {t.newsroomRevisionChanges}
          </a>
        ) : null}
        {canRestore && !head ? (
          <form method="post" action={revisionPath.restore(language, story.id, n)}>
            <CsrfField token={ctx.csrfToken} />
            <input type="hidden" name="base" value={String(story.headRevision)} />
            <button type="submit" aria-label={t.newsroomRevisionRestoreOf(n)}>
              {t.newsroomRevisionRestore}
            </button>
          </form>
        ) : null}
      </td>
    </tr>
  );
}

function CompareForm({
  t,
  action,
  revisions,
  from,
  to,
}: {
  t: Messages;
  action: string;
  revisions: Pick<RevisionSummary, 'number'>[];
  from: number;
  to: number;
}) {
  const choice = (name: 'from' | 'to', label: string, selected: number) => (
    <p>
      <label for={`compare-${name}`}>{label}</label>
      <select id={`compare-${name}`} name={name}>
        {revisions.map((r) => (
          <option key={r.number} value={String(r.number)} selected={r.number === selected}>
            {t.newsroomRevisionNumber(r.number)}
          </option>
        ))}
      </select>
    </p>
  );
  return (
    <form method="get" action={action} class="revision-compare">
      <fieldset>
        <legend>{t.newsroomCompareLegend}</legend>
        {choice('from', t.newsroomCompareFrom, from)}
        {choice('to', t.newsroomCompareTo, to)}
        <button type="submit">{t.newsroomCompareSubmit}</button>
      </fieldset>
    </form>
  );
}

export type ComparedRevision = Pick<RevisionSummary, 'number' | 'author' | 'createdAt'> & {
  /** The language its text is written in, so the page marks the story's words as such. */
  language: Language;
};

export function ComparePage({
  ctx,
  role,
  story,
  from,
  to,
  revisions,
  diff,
  sections,
}: {
  ctx: ViewContext;
  role: NewsroomRole;
  story: Story;
  from: ComparedRevision;
  to: ComparedRevision;
  revisions: Pick<RevisionSummary, 'number'>[];
  diff: StoryDiff;
  sections: SectionChoice[];
}) {
  const { t, language } = ctx;
  const title = t.newsroomCompareTitle(from.number, to.number);
  const by = (r: ComparedRevision) =>
    t.newsroomCompareBy(
      r.number,
      r.author,
      formatNewsroomDateTime(r.createdAt, ctx.site.timeZone, language),
    );
  return (
    <NewsroomLayout
      ctx={ctx}
      title={title}
      current="story"
      role={role}
      path={unprefixed(story.id, `compare?from=${from.number}&to=${to.number}`)}
    >
      <h1>{title}</h1>
      <p>
        <a href={newsroomPath.story(language, story.id)}>{t.newsroomRevisionsBack}</a>
        {' · '}
        <a href={revisionPath.list(language, story.id)}>{t.newsroomRevisionsTitle}</a>
      </p>
      <ul class="revision-compared">
        <li>{by(from)}</li>
        <li>{by(to)}</li>
      </ul>
      <CompareForm
        t={t}
        action={`${newsroomPath.story(language, story.id)}/compare`}
        revisions={revisions}
        from={from.number}
        to={to.number}
      />
      {diff.same ? (
        <p role="status">{t.newsroomCompareSame}</p>
      ) : (
        <DiffView
          ctx={ctx}
          diff={diff}
          sections={sections}
          languages={[from.language, to.language]}
        />
      )}
    </NewsroomLayout>
  );
}

/** A restore that met a newer save or someone else's editor: kept aside, the story unchanged. */
export function RestoreKeptPage({
  ctx,
  role,
  story,
  kept,
  title,
  message,
}: {
  ctx: ViewContext;
  role: NewsroomRole;
  story: Story;
  kept: number;
  title: string;
  message: string;
}) {
  const { t, language } = ctx;
  return (
    <NewsroomLayout
      ctx={ctx}
      title={title}
      current="story"
      role={role}
      path={unprefixed(story.id, 'revisions')}
    >
      <h1>{title}</h1>
      <p>{message}</p>
      <p>{t.newsroomRestoreKept(kept)}</p>
      <p>
        <a href={revisionPath.compare(language, story.id, story.headRevision, kept)}>
          {t.newsroomRestoreCompare(kept, story.headRevision)}
        </a>
      </p>
      <p>
        <a href={revisionPath.list(language, story.id)}>{t.newsroomRevisionsTitle}</a>
        {' · '}
        <a href={newsroomPath.story(language, story.id)}>{t.newsroomRevisionsBack}</a>
      </p>
    </NewsroomLayout>
  );
}
