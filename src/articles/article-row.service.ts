import { AppError } from '../http/app-error.js';
import type { ContentChange } from '../lib/content-change.js';
import type { ArticleBody } from './article-body.js';
import {
  articlePath,
  isValidSlug,
  type Article,
  type ArticleImage,
  type ArticleStatus,
  type AuthorInput,
  type Language,
} from './article.js';
import { changeOfArticles, resolvePeople, resolveTags } from './articles.service.js';
import * as q from './articles.queries.js';

/**
 * An article's row as the newsroom writes it: by id, since the newsroom lets a story change its
 * slug, language or section between saves (an import file is keyed by language and slug
 * instead). The row is what readers see; the newsroom writes it when a story is created and
 * when a revision goes live, and moves its status, never anything else.
 */

/** One version of an article's content, as the newsroom hands it over. */
export type ArticleRowInput = {
  language: Language;
  slug: string;
  headline: string;
  summary: string;
  body: ArticleBody;
  /** An existing section's slug: the newsroom picks sections, it does not make them. */
  section: string;
  tags: readonly string[];
  authors: readonly AuthorInput[];
  credit: string | null;
  image: ArticleImage | null;
  translationId: string | null;
};

export type Db = q.Db;

export type SectionChoice = { slug: string; nameEn: string; nameKo: string };

/** The sections a story may be filed under, in the masthead's order. */
export async function listSectionChoices(db: Db): Promise<SectionChoice[]> {
  const rows = await q.listSections(db);
  return rows.map((row) => ({ slug: row.slug, nameEn: row.name_en, nameKo: row.name_ko }));
}

async function sectionOf(db: Db, slug: string): Promise<{ id: string; slug: string }> {
  const section = await q.findSectionBySlug(db, slug);
  if (!section) throw new AppError('ARTICLE_INVALID', `There is no section "${slug}"`);
  return { id: section.id, slug: section.slug };
}

/** The people bylines may name, for the editor's suggestions. */
export async function listBylineChoices(db: Db): Promise<{ name: string; email: string | null }[]> {
  const rows = await q.listPeopleForChoice(db);
  return rows.map((row) => ({ name: row.name, email: row.email }));
}

/** Stories of an edition a story may name as its translation, newest first. */
export async function listTranslationChoices(
  db: Db,
  language: Language,
  limit: number,
): Promise<{ id: string; headline: string }[]> {
  return q.listArticlesForChoice(db, language, limit);
}

/** Whether another article of this edition already uses the slug (its address would collide). */
export async function slugTaken(
  db: Db,
  language: Language,
  slug: string,
  exceptId: string | null,
): Promise<boolean> {
  const found = await q.findArticleKey(db, language, slug);
  return found !== undefined && found.id !== exceptId;
}

function assertSlug(slug: string): void {
  if (!isValidSlug(slug)) {
    throw new AppError('ARTICLE_INVALID', `"${slug}" is not a slug: lower-case words joined by -`);
  }
}

function write(
  input: ArticleRowInput,
  at: {
    sectionId: string;
    path: string | null;
    status: ArticleStatus;
    publishedAt: Date | null;
    updatedAt: Date | null;
    now: Date;
  },
): q.ArticleWrite {
  const image = input.image;
  return {
    language: input.language,
    slug: input.slug,
    path: at.path,
    headline: input.headline,
    summary: input.summary,
    bodyJson: JSON.stringify(input.body),
    status: at.status,
    sectionId: at.sectionId,
    creditLine: input.credit,
    image: image
      ? {
          src: image.src,
          alt: image.alt,
          caption: image.caption ?? null,
          credit: image.credit ?? null,
        }
      : null,
    publishedAt: at.publishedAt,
    updatedAt: at.updatedAt,
    modifiedAt: at.now,
  };
}

/** A new story's row: a draft no reader can reach (no address until it is published). */
export async function insertDraftArticle(
  db: Db,
  input: ArticleRowInput,
  now: Date,
): Promise<string> {
  assertSlug(input.slug);
  if (await slugTaken(db, input.language, input.slug, null)) {
    throw new AppError('ARTICLE_SLUG_TAKEN', `The slug ${input.slug} is already used`);
  }
  const section = await sectionOf(db, input.section);
  const id = await q.insertArticle(
    db,
    write(input, {
      sectionId: section.id,
      path: null,
      status: 'draft',
      publishedAt: null,
      updatedAt: null,
      now,
    }),
  );
  await q.replaceBylines(db, id, (await resolvePeople(db, input)).ids);
  await q.replaceTags(db, id, await resolveTags(db, input.tags));
  return id;
}

/**
 * Puts a version live: the row takes the content, its address follows the slug and section
 * (the old address, if any, answering 301 from then on), the translation is linked both ways.
 * The caller has already moved the status and the address, in the same transaction (the one
 * conditional update that decides a publication happens), and gives the address the story had
 * before; this writes what readers will see.
 */
export async function writeLiveArticle(
  db: Db,
  timeZone: string,
  id: string,
  input: ArticleRowInput,
  at: { publishedAt: Date; updatedAt: Date | null; now: Date; previousPath: string | null },
): Promise<{ path: string; change: ContentChange }> {
  assertSlug(input.slug);
  if (await slugTaken(db, input.language, input.slug, id)) {
    throw new AppError('ARTICLE_SLUG_TAKEN', `The slug ${input.slug} is already used`);
  }
  const section = await sectionOf(db, input.section);
  const before = await q.findArticleRef(db, id);
  if (!before) throw new AppError('NOT_FOUND', `No article ${id}`);
  const path = articlePath(
    {
      language: input.language,
      publishedAt: at.publishedAt,
      sectionSlug: section.slug,
      slug: input.slug,
    },
    timeZone,
  );
  await q.updateArticle(
    db,
    id,
    write(input, {
      sectionId: section.id,
      path,
      status: 'published',
      publishedAt: at.publishedAt,
      updatedAt: at.updatedAt,
      now: at.now,
    }),
  );
  if (at.previousPath !== null && at.previousPath !== path) {
    await q.addRedirect(db, at.previousPath, id);
  }
  // The live address of an article is never also a redirect (it may have been one before).
  await q.deleteRedirect(db, path);
  await q.replaceBylines(db, id, (await resolvePeople(db, input)).ids);
  await q.replaceTags(db, id, await resolveTags(db, input.tags));
  const linked: string[] = [];
  if (before.translationId !== null && before.translationId !== input.translationId) {
    // The old pair is undone on both sides: a page must not link to a story that left it.
    await q.setTranslation(db, before.translationId, null);
    linked.push(before.translationId);
  }
  if (input.translationId !== null && input.translationId !== id) {
    const other = await q.findArticleRef(db, input.translationId);
    if (other && other.language !== input.language) {
      await q.setTranslation(db, id, other.id);
      await q.setTranslation(db, other.id, id);
      linked.push(other.id);
    }
  } else {
    await q.setTranslation(db, id, null);
  }
  return { path, change: await changeOfArticles(db, [id, ...linked]) };
}

/** Moves a row's status alone (unpublish, archive, send to review), naming what readers lose. */
export async function setArticleStatus(
  db: Db,
  id: string,
  status: ArticleStatus,
  now: Date,
): Promise<ContentChange> {
  await q.setArticleStatus(db, id, status, now);
  return changeOfArticles(db, [id]);
}

/**
 * The article a version would be, without saving it: what the preview shows, exactly as the
 * article page would. Section, tags and people are looked up as publication would find them.
 */
export async function previewArticle(
  db: Db,
  id: string,
  input: ArticleRowInput,
  at: { publishedAt: Date; updatedAt: Date | null; timeZone: string },
): Promise<Article> {
  const section = await q.findSectionBySlug(db, input.section);
  const sectionSlug = section?.slug ?? input.section;
  const translation = input.translationId
    ? await q.findArticleRef(db, input.translationId)
    : undefined;
  return {
    id,
    language: input.language,
    slug: input.slug,
    path: articlePath(
      { language: input.language, publishedAt: at.publishedAt, sectionSlug, slug: input.slug },
      at.timeZone,
    ),
    headline: input.headline,
    summary: input.summary,
    body: input.body,
    status: 'published',
    section: {
      slug: sectionSlug,
      name: (input.language === 'ko' ? section?.name_ko : section?.name_en) ?? input.section,
    },
    tags: input.tags.map((name) => ({ slug: name, name })),
    authors: input.authors.map((a) => ({ slug: a.name, name: a.name, email: a.email ?? null })),
    creditLine: input.credit,
    publishedAt: at.publishedAt,
    updatedAt: at.updatedAt,
    translation:
      translation?.path && translation.status === 'published'
        ? {
            id: translation.id,
            language: translation.language,
            path: translation.path,
            headline: translation.headline,
          }
        : null,
    image: input.image,
  };
}
