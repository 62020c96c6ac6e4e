import { FieldError } from '../views/forms.js';
import type { ViewContext } from '../views/site.js';
import type { QueueFilters } from './moderation.queries.js';
import { FILTER_TEXT_MAX, type FilterField, type FilterForm } from './moderation.schemas.js';

/**
 * The desk's filters: a section picked by name, words of a headline, of a reader's name and of a
 * comment. A moderator knows an article by its headline and a reader by their name, never by a
 * row number; the numbers stay only as the filters that links carry (a reader's "all their
 * comments"), shown by name and undone by unticking. The box folds away behind a <details> so on
 * a phone the queue, not the filters, fills the first screen.
 */

/** The filters as query parameters, for links and for forms that must keep them. */
export function filterParams(filters: QueueFilters): [FilterField, string][] {
  const params: [FilterField, string | undefined][] = [
    ['section', filters.section],
    ['headline', filters.headline],
    ['author', filters.author],
    ['q', filters.text],
    ['article', filters.articleId],
    ['reader', filters.readerId],
  ];
  return params.filter((p): p is [FilterField, string] => p[1] !== undefined && p[1] !== '');
}

/** The filters as hidden fields: a form that posts from a filtered queue comes back to it. */
export function FilterFields({ filters }: { filters: QueueFilters }) {
  return (
    <>
      {filterParams(filters).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

function TextFilter({
  name,
  label,
  form,
  error,
}: {
  name: 'headline' | 'author' | 'q';
  label: string;
  form: FilterForm;
  error: string | undefined;
}) {
  // `f-text` for the comment's words: the id the desk's tests and bookmarks of old know.
  const id = name === 'q' ? 'f-text' : `f-${name}`;
  return (
    <p>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="search"
        maxLength={FILTER_TEXT_MAX[name]}
        value={form[name]}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <FieldError id={`${id}-error`} text={error} />
    </p>
  );
}

export function FilterBox({
  ctx,
  action,
  form,
  active,
  problem,
  articleHeadline,
  readerName,
  sections,
}: {
  ctx: ViewContext;
  sections: readonly { slug: string; name: Readonly<{ en: string; ko: string }> }[];
  /** The queue's address: the form's action and "clear filters". */
  action: string;
  form: FilterForm;
  /** How many filters apply now. */
  active: number;
  /** A refused field and why. */
  problem: Readonly<{ field: FilterField; message: string }> | undefined;
  /** What the filters carried by links stand for, when the page knows it. */
  articleHeadline: string | undefined;
  readerName: string | undefined;
}) {
  const { t } = ctx;
  const errorFor = (name: FilterField) => (problem?.field === name ? problem.message : undefined);
  const named = sections.map((s) => ({ slug: s.slug, name: s.name[ctx.language] }));
  const choices =
    form.section === '' || named.some((s) => s.slug === form.section)
      ? named
      : // A section a link names that no longer exists keeps its place, by its address name.
        [...named, { slug: form.section, name: form.section }];
  const linked = (name: 'article' | 'reader', label: string) =>
    form[name] !== '' && !errorFor(name) ? (
      <p>
        <input type="checkbox" id={`f-${name}`} name={name} value={form[name]} checked />{' '}
        <label for={`f-${name}`}>{label}</label>
      </p>
    ) : null;
  return (
    <details class="desk-filters" open={active > 0 || problem !== undefined ? true : undefined}>
      <summary>
        {t.desk.filters}
        {active > 0 ? ` (${t.desk.filtersActive(active)})` : null}
      </summary>
      <form method="get" action={action}>
        <p>
          <label for="f-section">{t.desk.filterSection}</label>
          <select
            id="f-section"
            name="section"
            aria-invalid={errorFor('section') ? 'true' : undefined}
            aria-describedby={errorFor('section') ? 'f-section-error' : undefined}
          >
            <option value="">{t.desk.filterAllSections}</option>
            {choices.map((s) => (
              <option key={s.slug} value={s.slug} selected={s.slug === form.section}>
                {s.name}
              </option>
            ))}
          </select>
          <FieldError id="f-section-error" text={errorFor('section')} />
        </p>
        <TextFilter
          name="headline"
          label={t.desk.filterHeadline}
          form={form}
          error={errorFor('headline')}
        />
        <TextFilter
          name="author"
          label={t.desk.filterAuthor}
          form={form}
          error={errorFor('author')}
        />
        <TextFilter name="q" label={t.desk.filterText} form={form} error={errorFor('q')} />
        {linked('article', t.desk.filterOneArticle(articleHeadline))}
        {linked('reader', t.desk.filterOneReader(readerName))}
        <FieldError id="f-link-error" text={errorFor('article') ?? errorFor('reader')} />
        <button type="submit">{t.desk.filterApply}</button>{' '}
        {active > 0 ? <a href={action}>{t.desk.filterClear}</a> : null}
      </form>
    </details>
  );
}
