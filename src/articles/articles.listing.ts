import type { AppDeps } from '../deps.js';
import type { ArticleSummary, Language, SectionRef, TagRef } from './article.js';
import * as q from './articles.queries.js';

/** The lists readers browse: home, section, tag and author pages. Published articles only. */

type ListDeps = Pick<AppDeps, 'db'>;

const HOME_LATEST = 10;
const HOME_PER_SECTION = 5;
const PAGE_SIZE = 30;

type SummaryRow = {
  id: string;
  language: Language;
  path: string | null;
  headline: string;
  summary: string;
  published_at: Date | null;
  section_slug: string;
  section_name_en: string;
  section_name_ko: string;
  authors: { slug: string; name: string }[];
};

function toSummary(row: SummaryRow, language: Language): ArticleSummary {
  return {
    id: row.id,
    language: row.language,
    path: row.path ?? '',
    headline: row.headline,
    summary: row.summary,
    publishedAt: row.published_at ?? new Date(0),
    section: {
      slug: row.section_slug,
      name: language === 'ko' ? row.section_name_ko : row.section_name_en,
    },
    authors: row.authors.map((a) => ({ name: a.name, slug: a.slug })),
  };
}

async function summaries(db: q.Db, filter: q.ListFilter): Promise<ArticleSummary[]> {
  const rows = await q.listPublished(db, filter);
  return rows.map((row) => toSummary(row, filter.language));
}

export type HomeListing = {
  latest: ArticleSummary[];
  sections: { section: SectionRef; articles: ArticleSummary[] }[];
};

/** The front page: the newest articles, then each section's newest, in two statements. */
export async function listHome(deps: ListDeps, language: Language): Promise<HomeListing> {
  const latest = await summaries(deps.db, { language, limit: HOME_LATEST });
  const sections: HomeListing['sections'] = [];
  for (const row of await q.listLatestPerSection(deps.db, language, HOME_PER_SECTION)) {
    const summary = toSummary(row, language);
    const last = sections.at(-1);
    if (last?.section.slug === summary.section.slug) last.articles.push(summary);
    else sections.push({ section: summary.section, articles: [summary] });
  }
  return { latest, sections };
}

export async function listSection(
  deps: ListDeps,
  language: Language,
  slug: string,
): Promise<{ section: SectionRef; articles: ArticleSummary[] } | undefined> {
  const section = await q.findSectionBySlug(deps.db, slug);
  if (!section) return undefined;
  return {
    section: { slug: section.slug, name: language === 'ko' ? section.name_ko : section.name_en },
    articles: await summaries(deps.db, { language, sectionId: section.id, limit: PAGE_SIZE }),
  };
}

function otherLanguage(language: Language): Language {
  return language === 'en' ? 'ko' : 'en';
}

/**
 * Which page the language switch leads to from a person's or a tag's page: the linked
 * counterpart's (김사라 for Sarah Kim) if it lists articles in the other edition, else the same
 * one's if it does, else none, and the switch goes to the other edition's home rather than to an
 * empty page.
 */
async function pageInOtherEdition(
  row: { id: string; slug: string; counterpart_id: string | null },
  listed: (ids: string[], language: Language) => Promise<string[]>,
  slugOf: (id: string) => Promise<{ slug: string } | undefined>,
  language: Language,
): Promise<string | undefined> {
  const candidates = row.counterpart_id === null ? [row.id] : [row.counterpart_id, row.id];
  const found = await listed(candidates, otherLanguage(language));
  const chosen = candidates.find((id) => found.includes(id));
  if (chosen === undefined) return undefined;
  return chosen === row.id ? row.slug : (await slugOf(chosen))?.slug;
}

export type TagListing = {
  tag: TagRef;
  articles: ArticleSummary[];
  /** The slug of the tag page the other edition's switch leads to; none: its home. */
  otherEdition: string | undefined;
};

export async function listTag(
  deps: ListDeps,
  language: Language,
  slug: string,
): Promise<TagListing | undefined> {
  const tag = await q.findTagBySlug(deps.db, slug);
  if (!tag) return undefined;
  return {
    tag: { slug: tag.slug, name: tag.name },
    articles: await summaries(deps.db, { language, tagId: tag.id, limit: PAGE_SIZE }),
    otherEdition: await pageInOtherEdition(
      tag,
      (ids, other) => q.listTagsInEdition(deps.db, ids, other),
      (id) => q.findTagById(deps.db, id),
      language,
    ),
  };
}

export type AuthorListing = {
  person: { slug: string; name: string; email: string | null; bio: string };
  articles: ArticleSummary[];
  /** The slug of the author page the other edition's switch leads to; none: its home. */
  otherEdition: string | undefined;
};

export async function listAuthor(
  deps: ListDeps,
  language: Language,
  slug: string,
): Promise<AuthorListing | undefined> {
  const person = await q.findPersonBySlug(deps.db, slug);
  if (!person) return undefined;
  return {
    person: { slug: person.slug, name: person.name, email: person.email, bio: person.bio },
    articles: await summaries(deps.db, { language, personId: person.id, limit: PAGE_SIZE }),
    otherEdition: await pageInOtherEdition(
      person,
      (ids, other) => q.listPeopleInEdition(deps.db, ids, other),
      (id) => q.findPersonById(deps.db, id),
      language,
    ),
  };
}

/** The sections in the masthead, in their editorial order. */
export async function listNavSections(deps: ListDeps, language: Language): Promise<SectionRef[]> {
  const rows = await q.listSections(deps.db);
  return rows.map((row) => ({
    slug: row.slug,
    name: language === 'ko' ? row.name_ko : row.name_en,
  }));
}
