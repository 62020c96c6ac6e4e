import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import { ROW_ID } from '../http/schemas.js';
import type { ArticleBody, Block } from './article-body.js';
import { ArticleFileError } from './article-file-error.js';
import { markdownToBody } from './article-markdown-body.js';
import {
  EVERYTHING,
  MAX_NAMED_ARTICLES,
  articlesChanged,
  type ContentChange,
} from '../lib/content-change.js';
import {
  articlePath,
  isPublic,
  isValidSlug,
  isWithinPublishedYears,
  slugify,
  type Article,
  type ArticleImage,
  type ArticleInput,
  type AuthorInput,
  type Language,
  type SectionRef,
} from './article.js';
import * as q from './articles.queries.js';

/** The articles feature's public surface: saving, finding and listing articles. */

export {
  addCorrection,
  listCorrections,
  listCorrectionsOf,
  type CorrectionDeps,
  type NewCorrection,
} from './articles.corrections.js';
export {
  CORRECTION_KINDS,
  MAX_CORRECTION_LENGTH,
  isCorrectionKind,
  type ArticleCorrection,
  type CorrectionEntry,
  type CorrectionKind,
  type CorrectionsPage,
} from './article-corrections.js';

export type ArticleDeps = Pick<AppDeps, 'db' | 'clock' | 'config' | 'contentChanged'>;

export type SaveResult = {
  language: Language;
  slug: string;
  path: string;
  created: boolean;
  /** Set when the translation named in the input does not exist (yet). */
  translationMissing?: string;
};

/**
 * Saves a batch of articles all-or-nothing, keyed by (language, slug): saving the same input
 * twice changes nothing the second time. A new address keeps the old one as a 301.
 */
export async function saveArticles(
  deps: ArticleDeps,
  inputs: readonly ArticleInput[],
): Promise<SaveResult[]> {
  assertNoDuplicates(inputs);
  const now = deps.clock();
  const { results, change } = await deps.db.transaction().execute(async (trx) => {
    const results: SaveResult[] = [];
    const ids = new Map<string, string>();
    let beyondArticles = false;
    for (const input of inputs) {
      const one = await saveOne(trx, input, now, deps.config.timeZone);
      ids.set(key(input.language, input.slug), one.id);
      results.push(one.result);
      beyondArticles ||= one.beyondArticles;
    }
    const linked: string[] = [];
    for (const [index, input] of inputs.entries()) {
      if (input.translation === undefined) continue;
      const other = await linkTranslation(trx, ids, input);
      const result = results[index];
      if (other !== undefined) linked.push(other);
      else if (result) result.translationMissing = input.translation;
    }
    await linkPeopleByEmail(trx, inputs);
    await linkTagTranslations(trx, inputs);
    const change = beyondArticles
      ? EVERYTHING
      : await changeOfArticles(trx, [...ids.values(), ...linked]);
    await q.notifyContentChanged(trx, change);
    return { results, change };
  });
  deps.contentChanged(change);
  return results;
}

/**
 * The change that altering these articles makes: them, and every article whose page links to
 * one of them as its translation (the link shows its address, and only while it is public).
 * Read after the writes, so a link made or left pointing at one of them is found either way.
 */
export async function changeOfArticles(trx: q.Db, ids: readonly string[]): Promise<ContentChange> {
  // Too many to name anyway: spare the query.
  if (ids.length > MAX_NAMED_ARTICLES) return EVERYTHING;
  return articlesChanged([...ids, ...(await q.listArticlesWithTranslationIn(trx, ids))]);
}

function key(language: Language, slug: string): string {
  return `${language}:${slug}`;
}

function otherLanguage(language: Language): Language {
  return language === 'en' ? 'ko' : 'en';
}

function assertNoDuplicates(inputs: readonly ArticleInput[]): void {
  const seen = new Set<string>();
  for (const input of inputs) {
    const k = key(input.language, input.slug);
    if (seen.has(k)) {
      throw new AppError(
        'ARTICLE_BATCH_DUPLICATE',
        `Two articles in one batch share the slug ${k}`,
      );
    }
    seen.add(k);
  }
}

function articleWrite(
  input: ArticleInput,
  at: { path: string; sectionId: string; now: Date },
): q.ArticleWrite {
  const image = input.image;
  return {
    language: input.language,
    slug: input.slug,
    path: at.path,
    headline: input.headline,
    summary: input.summary,
    bodyJson: JSON.stringify(input.body),
    // Saving from a file publishes; the newsroom's workflow will save drafts through its own use case.
    status: 'published',
    sectionId: at.sectionId,
    creditLine: input.credit ?? null,
    image: image
      ? {
          src: image.src,
          alt: image.alt,
          caption: image.caption ?? null,
          credit: image.credit ?? null,
        }
      : null,
    publishedAt: input.publishedAt,
    updatedAt: input.updatedAt ?? null,
    modifiedAt: at.now,
  };
}

async function saveOne(trx: q.Db, input: ArticleInput, now: Date, timeZone: string) {
  // Checked here too, not only when a file is read: an article dated 0001 has no address.
  for (const date of [input.publishedAt, input.updatedAt]) {
    if (date && !isWithinPublishedYears(date)) {
      throw new AppError(
        'ARTICLE_INVALID',
        `${input.slug}: the date ${date.toISOString()} has no address`,
      );
    }
  }
  const section = await resolveSection(trx, input.section);
  const people = await resolvePeople(trx, input);
  const path = articlePath({ ...input, sectionSlug: section.slug }, timeZone);
  const write = articleWrite(input, { path, sectionId: section.id, now });
  const existing = await q.findArticleKey(trx, input.language, input.slug);
  let id: string;
  if (existing) {
    id = existing.id;
    await q.updateArticle(trx, id, write);
    if (existing.path !== null && existing.path !== path) {
      await q.addRedirect(trx, existing.path, id);
    }
  } else {
    id = await q.insertArticle(trx, write);
  }
  // The live address of an article is never also a redirect (it may have been one before).
  await q.deleteRedirect(trx, path);
  await q.replaceBylines(trx, id, people.ids);
  await q.replaceTags(trx, id, await resolveTags(trx, input.tags));
  const result: SaveResult = {
    language: input.language,
    slug: input.slug,
    path,
    created: !existing,
  };
  // A new section is in every page's masthead; a person's new name or e-mail is in the byline
  // of every article they wrote. Either reaches pages beyond the saved article's.
  return { id, result, beyondArticles: section.created || people.changed };
}

async function resolveSection(
  trx: q.Db,
  name: string,
): Promise<{ id: string; slug: string; created: boolean }> {
  const slug = slugify(name);
  if (!slug) {
    throw new AppError('ARTICLE_INVALID', `The section name "${name}" has no letters or digits`);
  }
  const found = await q.findSectionByKey(trx, { slug, name });
  if (found) return { id: found.id, slug: found.slug, created: false };
  const id = await q.upsertSection(trx, { slug, nameEn: name, nameKo: name });
  return { id, slug, created: true };
}

/** The bylines' people, and whether saving changed how one already known is shown. */
export async function resolvePeople(
  trx: q.Db,
  input: { authors: readonly AuthorInput[] },
): Promise<{ ids: string[]; changed: boolean }> {
  const ids: string[] = [];
  let changed = false;
  for (const author of input.authors) {
    const slug = slugify(author.name);
    if (!slug)
      throw new AppError('ARTICLE_INVALID', `The author name "${author.name}" has no letters`);
    const known = await q.findPersonBySlug(trx, slug);
    const email = author.email ?? null;
    // upsertPerson keeps a known e-mail when none is given, and takes the name as given.
    if (known && (known.name !== author.name || (email !== null && email !== known.email)))
      changed = true;
    ids.push(await q.upsertPerson(trx, { slug, name: author.name, email }));
  }
  return { ids: [...new Set(ids)], changed };
}

export async function resolveTags(trx: q.Db, names: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) {
    const slug = slugify(name);
    if (slug) ids.push(await q.upsertTag(trx, { slug, name }));
  }
  return [...new Set(ids)];
}

/**
 * People who share an e-mail address are one person under two names, one per edition (Sarah
 * Kim, 김사라). Linked only when exactly two share it: three names on one address is a desk's
 * shared mailbox, not one person, and linking any two of them would be a guess.
 */
async function linkPeopleByEmail(trx: q.Db, inputs: readonly ArticleInput[]): Promise<void> {
  const emails = new Set(
    inputs.flatMap((input) => input.authors.flatMap((a) => (a.email ? [a.email] : []))),
  );
  for (const email of emails) {
    const people = await q.listPeopleByEmail(trx, email);
    const [a, b, ...more] = people;
    if (a && b && more.length === 0) await q.linkCounterparts(trx, 'people', a.id, b.id);
  }
}

/** A tag given with its other-language name (`{ name: 서울, translation: Seoul }`) links the two. */
async function linkTagTranslations(trx: q.Db, inputs: readonly ArticleInput[]): Promise<void> {
  for (const input of inputs) {
    for (const pair of input.tagTranslations ?? []) {
      const [tag, translation] = await resolveTags(trx, [pair.name, pair.translation]);
      // Two names with one slug (AI, "AI") are already one tag: nothing to link.
      if (tag && translation && tag !== translation) {
        await q.linkCounterparts(trx, 'tags', tag, translation);
      }
    }
  }
}

/**
 * Where saving would put the article: its address and the section's name as stored (a file may
 * name the section by slug or Korean name). Writes nothing.
 */
export async function plannedAddress(
  deps: Pick<ArticleDeps, 'db' | 'config'>,
  input: ArticleInput,
): Promise<{ path: string; sectionName: string }> {
  const slug = slugify(input.section);
  const found = await q.findSectionByKey(deps.db, { slug, name: input.section });
  const sectionSlug = found?.slug ?? slug;
  return {
    path: articlePath({ ...input, sectionSlug }, deps.config.timeZone),
    sectionName: found?.name_en ?? input.section,
  };
}

/**
 * Links both ways, so the pair is whole whichever of the two is saved last. Gives the other
 * article's id, or undefined when it does not exist (yet).
 */
async function linkTranslation(
  trx: q.Db,
  ids: Map<string, string>,
  input: ArticleInput,
): Promise<string | undefined> {
  const self = ids.get(key(input.language, input.slug));
  const otherLang = otherLanguage(input.language);
  const slug = input.translation ?? '';
  const other = ids.get(key(otherLang, slug)) ?? (await q.findArticleKey(trx, otherLang, slug))?.id;
  if (self === undefined || other === undefined) return undefined;
  await q.setTranslation(trx, self, other);
  await q.setTranslation(trx, other, self);
  return other;
}

/** Withdraws a published article: its address then answers 410 Gone. */
export async function archiveArticle(
  deps: ArticleDeps,
  language: Language,
  slug: string,
): Promise<void> {
  const change = await deps.db.transaction().execute(async (trx) => {
    const found = await q.findArticleKey(trx, language, slug);
    if (!found) throw new AppError('NOT_FOUND', `No article ${language}:${slug}`);
    await q.setArticleStatus(trx, found.id, 'archived', deps.clock());
    const archived = await changeOfArticles(trx, [found.id]);
    await q.notifyContentChanged(trx, archived);
    return archived;
  });
  deps.contentChanged(change);
}

/**
 * Gives an article a new slug, in its edition, keeping the date and section of its address (an
 * address is fixed when first saved, see articlePath). The old address answers 301 to the new
 * one, as does every address it had before: each redirect names the article, not an address,
 * so a chain of renames never makes a chain of redirects. Saving from a file cannot do this, as
 * a file names its article by slug.
 */
export async function changeArticleSlug(
  deps: ArticleDeps,
  input: { articleId: string; slug: string },
): Promise<{ slug: string; path: string | null }> {
  const slug = input.slug.normalize('NFC');
  if (!isValidSlug(slug)) throw new AppError('ARTICLE_INVALID', `the slug "${slug}" is not valid`);
  if (!ROW_ID.test(input.articleId)) throw new AppError('NOT_FOUND', `article ${input.articleId}`);
  const { path, change } = await deps.db.transaction().execute(async (trx) => {
    const found = await q.findArticleAddressForUpdate(trx, input.articleId);
    if (!found) throw new AppError('NOT_FOUND', `article ${input.articleId}`);
    if (found.slug === slug) return { path: found.path, change: undefined };
    if (await q.findArticleKey(trx, found.language, slug)) {
      throw new AppError('ARTICLE_SLUG_TAKEN', `${found.language}:${slug}`);
    }
    // Only the last part of the address is the slug; the rest stays as it was first saved.
    const path = found.path === null ? null : found.path.replace(/[^/]+$/, slug);
    await q.setArticleAddress(trx, found.id, { slug, path, modifiedAt: deps.clock() });
    if (found.path !== null && path !== null) {
      await q.addRedirect(trx, found.path, found.id);
      // The live address of an article is never also a redirect (it may have been one before).
      await q.deleteRedirect(trx, path);
    }
    const change = await changeOfArticles(trx, [found.id]);
    await q.notifyContentChanged(trx, change);
    return { path, change };
  });
  if (change) deps.contentChanged(change);
  return { slug, path };
}

export type ArticleLookup =
  | { kind: 'article'; article: Article }
  | { kind: 'moved'; path: string }
  | { kind: 'gone' }
  | { kind: 'missing' };

/** What a reader finds at an address: the article, a newer address, or that it is gone. */
export async function findArticleAt(
  deps: Pick<ArticleDeps, 'db'>,
  path: string,
): Promise<ArticleLookup> {
  const record = await q.findArticleByPath(deps.db, path);
  if (record) {
    if (isPublic(record.status)) return { kind: 'article', article: toArticle(record) };
    return record.status === 'archived' ? { kind: 'gone' } : { kind: 'missing' };
  }
  const target = await q.findRedirectTarget(deps.db, path);
  if (!target?.path) return { kind: 'missing' };
  if (target.status === 'archived') return { kind: 'gone' };
  return isPublic(target.status) ? { kind: 'moved', path: target.path } : { kind: 'missing' };
}

function sectionRef(
  row: { section_slug: string; section_name_en: string; section_name_ko: string },
  language: Language,
): SectionRef {
  return {
    slug: row.section_slug,
    name: language === 'ko' ? row.section_name_ko : row.section_name_en,
  };
}

function toArticle(record: q.ArticleWithBylines): Article {
  const { bylines, tags } = record;
  const translation =
    record.translation_id &&
    record.translation_path &&
    record.translation_language &&
    record.translation_status === 'published'
      ? {
          id: record.translation_id,
          language: record.translation_language,
          path: record.translation_path,
          headline: record.translation_headline ?? '',
        }
      : null;
  return {
    id: record.id,
    language: record.language,
    slug: record.slug,
    path: record.path ?? '',
    headline: record.headline,
    summary: record.summary,
    // Our own writes put it there, always through saveArticles' serialiser.
    body: record.body as ArticleBody,
    status: record.status,
    section: sectionRef(record, record.language),
    tags: tags.map((t) => ({ slug: t.slug, name: t.name })),
    authors: bylines.map((b) => ({ slug: b.slug, name: b.name, email: b.email })),
    creditLine: record.credit_line,
    publishedAt: record.published_at ?? record.created_at,
    updatedAt: record.updated_at,
    translation,
    image: imageOf(record),
    corrections: record.corrections.map((c) => ({
      id: c.id,
      kind: c.kind,
      body: c.body,
      publishedAt: new Date(c.published_at),
    })),
  };
}

/** The feature image of a stored article, if it has one. */
export function imageOf(record: q.ArticleRecord): ArticleImage | null {
  if (!record.image_src) return null;
  return {
    src: record.image_src,
    alt: record.image_alt ?? '',
    ...(record.image_caption ? { caption: record.image_caption } : {}),
    ...(record.image_credit ? { credit: record.image_credit } : {}),
  };
}

/** A public article as other features see it (comments hang from it). */
export type ArticleRef = {
  id: string;
  language: Language;
  path: string;
  headline: string;
  publishedAt: Date;
};

/** The public article with this id, or undefined (a draft or an archived one is not found). */
export async function findPublicArticleRef(
  deps: Pick<ArticleDeps, 'db'>,
  id: string,
): Promise<ArticleRef | undefined> {
  const row = await q.findArticleRef(deps.db, id);
  if (!row?.path || !isPublic(row.status)) return undefined;
  return {
    id: row.id,
    language: row.language,
    path: row.path,
    headline: row.headline,
    publishedAt: row.publishedAt ?? row.createdAt,
  };
}

/** The id of the article at a canonical address, public or not (the newsroom's lookups). */
export function findArticleIdAt(
  deps: Pick<ArticleDeps, 'db'>,
  path: string,
): Promise<string | undefined> {
  return q.findArticleIdByPath(deps.db, path.normalize('NFC'));
}

/*
 * Readable Markdown for other features. The site's pages (src/pages/) hold exactly what an
 * article body may hold and are shown through the same allowlist, so they borrow the body's
 * reader and view from here rather than from the modules that implement them.
 */

export type { Block } from './article-body.js';
export { Blocks } from './article-body-view.js';
// The newsroom exports the editor's document as Markdown through the importer's own writer, so
// an exported story reads back to the same body.
export { bodyToMarkdown } from './article-markdown-body.js';

/** Readable Markdown as body blocks, or the line (1-based) where it stops being readable. */
export function readMarkdownBlocks(
  text: string,
  label: string,
): { ok: true; blocks: Block[] } | { ok: false; line: number } {
  try {
    return { ok: true, blocks: markdownToBody(text, label, 1).blocks };
  } catch (error) {
    if (error instanceof ArticleFileError) return { ok: false, line: error.line };
    throw error;
  }
}
