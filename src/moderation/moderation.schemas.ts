import { z } from 'zod';
import { formText, pageNumber, repeated, rowId } from '../http/schemas.js';
import { QUEUES } from './moderation.js';
import type { QueueFilters } from './moderation.queries.js';

/**
 * The desk's input, as the routes' schemas read it (src/http/route.ts, src/http/schemas.ts).
 * What no honest form sends (a malformed id or revision, a choice the form does not offer) is
 * refused by the schema; what a moderator or a reader typed (a note, a reason) is any text, for
 * the use case to judge and the form to show back.
 */

/** The OpenAPI document's group for every route of the feature. */
export const MODERATION_TAGS = ['moderation'];

/** An address naming one row: a comment, an appeal, a reader. */
export const idParams = z.object({ id: rowId });

/** An address naming a queue: one the desk does not have names nothing (404). */
export const queueParams = z.object({ queue: z.enum(QUEUES) });

/**
 * The revision a decision form was drawn at. The service refuses a decision made on an older one
 * (`MODERATION_STALE`), so a missing or malformed one is refused, never read as a default.
 */
export const rev = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);

/** The policy clauses a decision cites: ticked checkboxes, each a clause's number. */
export const clauses = repeated(z.string().regex(/^[1-9]\d{0,8}$/)).transform((cited) =>
  cited.map(Number),
);

/**
 * A small count a link or a select carries (`?decided=3`, a suspension's days): anything else
 * reads as no count, since only the desk's own pages write these and a wrong one changes nothing.
 */
export const count = z
  .string()
  .regex(/^\d{1,3}$/)
  .transform(Number)
  .optional()
  .catch(undefined);

/** A redirect's flag (`?saved=1`, `?decided=1`): anything but `1` reads as unset. */
export const flag = formText.transform((value) => value === '1');

/**
 * The queue's page number. Unlike the shared `pageNumber`, an empty (`?page=`) or repeated `page`
 * reads as the first page, as it always has on the desk; only a malformed number is refused.
 */
export const deskPage = formText
  .transform((page) => (page === '' ? undefined : page))
  .pipe(pageNumber);

// The queue's filters. The queue page shows a refused filter back beside its field, so its query
// takes them as typed (`filterForm`) and the handler checks them (`checkQueueFilters`); a request
// that cannot show them back (a button's post) is refused outright (`queueFilters`).

/** The longest words a text filter takes, in UTF-16 units as the browser counts maxlength. */
export const FILTER_TEXT_MAX: Readonly<Record<'headline' | 'author' | 'q', number>> = {
  headline: 200,
  author: 100,
  q: 200,
};

/** A filter as typed, without the spaces around it. */
const typed = formText.transform((value) => value.trim());

/** Empty (the filter is not used) or a value the desk can filter by. */
const emptyOr = (rule: z.ZodType<string, string>) => typed.pipe(z.union([z.literal(''), rule]));

/** The filters, in the form's order: the first refused one is the one the page points at. */
export const FILTER_FIELDS = ['section', 'headline', 'author', 'q', 'article', 'reader'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** The filter form as typed, so a refused value comes back as it was. */
export type FilterForm = Readonly<Record<FilterField, string>>;

/** The filters taken as typed, for a query or a form that shows a refused one back. */
export const filterForm = {
  section: typed,
  headline: typed,
  author: typed,
  q: typed,
  article: typed,
  reader: typed,
};

const filterRules = z.object({
  // A section's address name.
  section: emptyOr(z.string().regex(/^[a-z0-9-]{1,80}$/)),
  headline: emptyOr(z.string().max(FILTER_TEXT_MAX.headline)),
  author: emptyOr(z.string().max(FILTER_TEXT_MAX.author)),
  q: emptyOr(z.string().max(FILTER_TEXT_MAX.q)),
  // The two a link carries: an article's and a reader's row id.
  article: emptyOr(rowId),
  reader: emptyOr(rowId),
});

/** The filters the desk applies: a field left empty or refused applies none. */
function filtersFrom(form: FilterForm, refused: ReadonlySet<FilterField>): QueueFilters {
  // Searched in its composed form (NFC), as text is stored; the form keeps what was typed.
  const use = (name: FilterField) =>
    form[name] !== '' && !refused.has(name) ? form[name].normalize('NFC') : undefined;
  return {
    section: use('section'),
    articleId: use('article'),
    readerId: use('reader'),
    headline: use('headline'),
    author: use('author'),
    text: use('q'),
  };
}

/**
 * The filters of a form taken as typed. `problem` names the first field whose value is not one
 * the desk can filter by, for the page to show the reason beside it; the valid ones still apply.
 */
export function checkQueueFilters(form: FilterForm): {
  filters: QueueFilters;
  problem: FilterField | undefined;
} {
  const checked = filterRules.safeParse(form);
  const refused = new Set(
    checked.success
      ? []
      : checked.error.issues.flatMap((issue) =>
          FILTER_FIELDS.filter((name) => name === issue.path[0]),
        ),
  );
  const first = checked.success ? undefined : checked.error.issues[0]?.path[0];
  return {
    filters: filtersFrom(form, refused),
    problem: FILTER_FIELDS.find((name) => name === first),
  };
}

/** The filters of a request that cannot show them back: a refused one refuses the request. */
export const queueFilters = filterRules.transform((form) => filtersFrom(form, new Set()));
