import type { SectionChoice } from '../articles/article-row.service.js';
import { assertUnreachable } from '../lib/assert.js';
import type { Language } from '../lib/language.js';
import type { Messages } from '../views/i18n.js';
import type { ViewContext } from '../views/site.js';
import { newsroomPath } from './newsroom-layout.js';
import type {
  BodyLine,
  BylineChange,
  FieldChange,
  StoryDiff,
  TagChange,
  TextPart,
} from './revision-diff.js';

/** What changed between two revisions, as the compare page shows it (revision-diff.ts computes it). */

export function DiffView({
  ctx,
  diff,
  sections,
  languages,
}: {
  ctx: ViewContext;
  diff: StoryDiff;
  sections: SectionChoice[];
  /** The older and the newer revision's language: the story's words are marked with it. */
  languages: readonly [Language, Language];
}) {
  return (
    <div class="diff">
      <FieldsTable ctx={ctx} fields={diff.fields} sections={sections} languages={languages} />
      <Bylines t={ctx.t} changes={diff.bylines} />
      <Tags ui={ctx} changes={diff.tags} />
      <Body ui={ctx} lines={diff.body} language={languages[1]} />
    </div>
  );
}

/** The page's own language and strings, for the words said around a change. */
type Ui = Pick<ViewContext, 't' | 'language'>;

/** A removed or added run: struck through or underlined, and said aloud, never by colour alone. */
function Marked({ ui, part }: { ui: Ui; part: TextPart }) {
  const { t, language } = ui;
  if (part.change === 'same') return <>{part.text}</>;
  const word = part.change === 'removed' ? t.newsroomCompareRemoved : t.newsroomCompareAdded;
  const inner = (
    <>
      <span class="visually-hidden" lang={language}>
        [{word}:{' '}
      </span>
      {part.text}
      <span class="visually-hidden" lang={language}>
        {' '}
        ({t.newsroomCompareEnd}: {word})]
      </span>
    </>
  );
  return part.change === 'removed' ? (
    <del class="diff-removed">{inner}</del>
  ) : (
    <ins class="diff-added">{inner}</ins>
  );
}

function Parts({ ui, parts }: { ui: Ui; parts: TextPart[] }) {
  return (
    <>
      {parts.map((part, i) => (
        <Marked key={i} ui={ui} part={part} />
      ))}
    </>
  );
}

function fieldValue(
  ctx: ViewContext,
  sections: SectionChoice[],
  field: FieldChange['field'],
  value: string,
) {
  const { t, language } = ctx;
  if (value === '') return <span class="diff-none">{t.newsroomCompareNone}</span>;
  switch (field) {
    case 'language':
      return value === 'en' || value === 'ko' ? t.newsroomLanguage[value] : value;
    case 'section': {
      const section = sections.find((s) => s.slug === value);
      if (!section) return value;
      return language === 'ko' ? section.nameKo : section.nameEn;
    }
    case 'translation':
      return (
        <a href={newsroomPath.story(language, value)}>{t.newsroomCompareTranslation(value)}</a>
      );
    case 'headline':
    case 'summary':
    case 'slug':
    case 'credit':
    case 'imageSrc':
    case 'imageAlt':
    case 'imageCaption':
    case 'imageCredit':
      return value;
    default:
      return assertUnreachable(field);
  }
}

/** Fields whose values are the story's own words (the others are names the page gives). */
const STORY_TEXT: ReadonlySet<FieldChange['field']> = new Set([
  'headline',
  'summary',
  'credit',
  'imageAlt',
  'imageCaption',
  'imageCredit',
]);

function FieldsTable({
  ctx,
  fields,
  sections,
  languages,
}: {
  ctx: ViewContext;
  fields: FieldChange[];
  sections: SectionChoice[];
  /** The older and the newer revision's language: the story's words are marked with it. */
  languages: readonly [Language, Language];
}) {
  const { t } = ctx;
  if (fields.length === 0) return null;
  // Headline and summary show their words: the old side keeps what was removed, the new side
  // what was added, each beside the words both share.
  const side = (change: FieldChange, keep: 'removed' | 'added') =>
    change.words ? (
      <Parts
        ui={ctx}
        parts={change.words.filter((p) => p.change === 'same' || p.change === keep)}
      />
    ) : (
      fieldValue(ctx, sections, change.field, keep === 'removed' ? change.from : change.to)
    );
  return (
    <table class="diff-fields">
      <caption>{t.newsroomCompareFields}</caption>
      <thead>
        <tr>
          <th scope="col">{t.newsroomCompareField}</th>
          <th scope="col">{t.newsroomCompareBefore}</th>
          <th scope="col">{t.newsroomCompareAfter}</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((change) => (
          <tr key={change.field}>
            <th scope="row">{t.newsroomCompareFieldName[change.field]}</th>
            <td lang={STORY_TEXT.has(change.field) ? languages[0] : undefined}>
              {side(change, 'removed')}
            </td>
            <td lang={STORY_TEXT.has(change.field) ? languages[1] : undefined}>
              {side(change, 'added')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function bylineText(t: Messages, change: BylineChange): string {
  const who = change.byline.email
    ? `${change.byline.name} <${change.byline.email}>`
    : change.byline.name;
  switch (change.change) {
    case 'added':
      return t.newsroomCompareBylineAdded(who, change.to ?? 0);
    case 'removed':
      return t.newsroomCompareBylineRemoved(who, change.from ?? 0);
    case 'moved':
      return t.newsroomCompareBylineMoved(who, change.from ?? 0, change.to ?? 0);
  }
}

function Bylines({ t, changes }: { t: Messages; changes: BylineChange[] }) {
  if (changes.length === 0) return null;
  return (
    <section class="diff-section">
      <h2>{t.newsroomCompareBylines}</h2>
      <ul>
        {changes.map((change, i) => (
          <li key={i} class={`diff-byline-${change.change}`}>
            {bylineText(t, change)}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Tags({ ui, changes }: { ui: Ui; changes: TagChange[] }) {
  const { t } = ui;
  if (changes.length === 0) return null;
  return (
    <section class="diff-section">
      <h2>{t.newsroomCompareTags}</h2>
      <ul>
        {changes.map((change) => (
          <li key={`${change.change}:${change.tag}`}>
            {change.change === 'added' ? t.newsroomCompareTagAdded : t.newsroomCompareTagRemoved}{' '}
            <Marked ui={ui} part={{ change: change.change, text: change.tag }} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function Body({ ui, lines, language }: { ui: Ui; lines: BodyLine[] | null; language: Language }) {
  const { t } = ui;
  return (
    <section class="diff-section">
      <h2>{t.newsroomCompareBody}</h2>
      {lines === null ? (
        <p>{t.newsroomCompareBodySame}</p>
      ) : (
        <div class="diff-body" lang={language}>
          {lines.map((line, i) =>
            line.kind === 'folded' ? (
              <p key={i} class="diff-folded">
                {t.newsroomCompareFolded(line.count)}
              </p>
            ) : (
              <p key={i} class={line.changed ? 'diff-line diff-changed' : 'diff-line'}>
                <Parts ui={ui} parts={line.parts} />
              </p>
            ),
          )}
        </div>
      )}
    </section>
  );
}
