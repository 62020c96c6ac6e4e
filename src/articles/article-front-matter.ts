import { z } from 'zod';
import {
  LANGUAGES,
  PUBLISHED_YEARS,
  isValidSlug,
  isWithinPublishedYears,
  slugify,
  type ArticleImage,
  type ArticleInput,
  type TagTranslation,
} from './article.js';
import type { ArticleBody } from './article-body.js';

/**
 * The front matter's keys and what each may hold, and the mapping between the front matter and an
 * ArticleInput in both directions. Where in the file a problem sits is the reader's business
 * (article-markdown.ts); the messages here are written to follow "file:line: key: ".
 */

function typeProblem(expected: string) {
  return (issue: { input?: unknown }) => {
    const { input } = issue;
    if (input === undefined) return 'is required';
    // YAML reads 2023 and true as a number and a boolean where the author meant text.
    const scalar = typeof input === 'number' || typeof input === 'boolean';
    const hint = expected === 'text' && scalar ? ' (put it in quotes)' : '';
    return `must be ${expected}, found ${describeValue(input)}${hint}`;
  };
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a YAML timestamp';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? 'text' : `a ${typeof value}`;
}

const text = z
  .string({ error: typeProblem('text') })
  .normalize('NFC')
  .trim()
  // A YAML escape ("\0", "\u0000") gives a NUL, which PostgreSQL refuses in text and JSON.
  .refine((value) => !value.includes('\0'), 'must not contain a NUL character (U+0000)');
const nonEmptyText = text.min(1, 'must not be empty');
const slugText = nonEmptyText.refine(
  isValidSlug,
  'must be lower-case letters and digits joined by "-"',
);
const webAddress = nonEmptyText.refine(isWebAddress, 'must be an http:// or https:// address');
const dateTime = text
  .refine((value) => DATE_TIME.test(value), {
    message: 'must be a date and time with an offset, such as 2023-01-29T17:25:00+09:00',
    abort: true,
  })
  .refine((value) => parseDateTime(value) !== undefined, {
    message: 'is not a real date and time',
    abort: true,
  })
  .transform((value) => new Date(value))
  .refine(
    isWithinPublishedYears,
    `must be in the years ${PUBLISHED_YEARS.first} to ${PUBLISHED_YEARS.last} (the address carries the year)`,
  );

const authorSchema = z.strictObject(
  { name: nonEmptyText, email: text.pipe(z.email('must be an e-mail address')).optional() },
  { error: typeProblem('a mapping with a name') },
);

const tagMappingSchema = z.strictObject({ name: nonEmptyText, translation: nonEmptyText });

/** A tag is its name, or `{ name: 서울, translation: Seoul }` to link it to its other-language tag. */
const tagSchema = z.union([nonEmptyText, tagMappingSchema], {
  error: (issue) =>
    typeof issue.input === 'string'
      ? 'must not be empty'
      : typeProblem('text, or a mapping with name and translation')(issue),
});

const imageSchema = z.strictObject(
  {
    src: webAddress,
    alt: nonEmptyText,
    caption: nonEmptyText.optional(),
    credit: nonEmptyText.optional(),
  },
  { error: typeProblem('a mapping with src and alt') },
);

export const frontMatterSchema = z.strictObject(
  {
    title: nonEmptyText,
    published: dateTime,
    updated: dateTime.optional(),
    authors: z
      .array(authorSchema, { error: typeProblem('a list') })
      .min(1, 'must name at least one author'),
    credit: nonEmptyText.optional(),
    section: nonEmptyText,
    tags: z.array(tagSchema, { error: typeProblem('a list') }).optional(),
    language: text.pipe(z.enum(LANGUAGES, `must be ${LANGUAGES.join(' or ')}`)),
    slug: slugText.optional(),
    summary: text.optional(),
    translation: slugText.optional(),
    image: imageSchema.optional(),
  },
  { error: typeProblem('a mapping of keys to values') },
);

export type FrontMatterFields = z.output<typeof frontMatterSchema>;

/**
 * Hours and minutes at least, and an offset or Z: a date alone or a local time would be read in
 * whatever zone the importing server happens to run in.
 */
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

function parseDateTime(value: string): Date | undefined {
  const date = new Date(value);
  const day = value.slice(0, 10);
  // Date rolls 30 February over into March; a typo in a date must not move an article.
  const calendarDay = new Date(`${day}T00:00:00Z`);
  const valid = !Number.isNaN(date.getTime()) && !Number.isNaN(calendarDay.getTime());
  return valid && calendarDay.toISOString().startsWith(day) ? date : undefined;
}

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    // URL throws TypeError for anything that is not an absolute URL: that is the answer here.
    return false;
  }
}

/** The keys allowed at `path`, to name them when a key is not one of them. */
export function shapeAt(path: readonly PropertyKey[]): object {
  if (path[0] === 'authors') return authorSchema.shape;
  if (path[0] === 'image') return imageSchema.shape;
  return frontMatterSchema.shape;
}

export function toArticleInput(fields: FrontMatterFields, body: ArticleBody): ArticleInput {
  const tags = fields.tags ?? [];
  const tagTranslations = tags.filter((tag) => typeof tag !== 'string');
  return {
    language: fields.language,
    slug: fields.slug ?? slugify(fields.title),
    headline: fields.title,
    summary: fields.summary ?? '',
    body,
    section: fields.section,
    tags: [...new Set(tags.map((tag) => (typeof tag === 'string' ? tag : tag.name)))],
    ...optional('tagTranslations', tagTranslations.length > 0 ? tagTranslations : undefined),
    authors: fields.authors.map((author) => ({
      name: author.name,
      ...optional('email', author.email),
    })),
    ...optional('credit', fields.credit),
    publishedAt: fields.published,
    ...optional('updatedAt', fields.updated),
    ...optional('translation', fields.translation),
    ...optional('image', fields.image && toImage(fields.image)),
  };
}

function toImage(image: NonNullable<FrontMatterFields['image']>): ArticleImage {
  return {
    src: image.src,
    alt: image.alt,
    ...optional('caption', image.caption),
    ...optional('credit', image.credit),
  };
}

/** Keys in the documented order. Dates in UTC: the newsroom's offset is not known here. */
export function frontMatterOf(article: ArticleInput): Record<string, unknown> {
  return {
    title: article.headline,
    published: article.publishedAt.toISOString(),
    ...optional('updated', article.updatedAt?.toISOString()),
    authors: article.authors.map((author) => ({
      name: author.name,
      ...optional('email', author.email),
    })),
    ...optional('credit', article.credit),
    section: article.section,
    ...optional('tags', article.tags.length > 0 ? tagsOf(article) : undefined),
    language: article.language,
    slug: article.slug,
    ...optional('summary', article.summary === '' ? undefined : article.summary),
    ...optional('translation', article.translation),
    ...optional('image', article.image),
  };
}

/** Each tag as its name, or as a mapping when the article gives its other-language name. */
function tagsOf(article: ArticleInput): (string | TagTranslation)[] {
  const translations = new Map(article.tagTranslations?.map((t) => [t.name, t.translation]));
  return article.tags.map((name) => {
    const translation = translations.get(name);
    return translation === undefined ? name : { name, translation };
  });
}

/** A missing optional field is left out, never set to undefined (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
