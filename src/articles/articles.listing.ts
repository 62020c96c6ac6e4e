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

export async function listTag(
  deps: ListDeps,
  language: Language,
  slug: string,
): Promise<{ tag: TagRef; articles: ArticleSummary[] } | undefined> {
  const tag = await q.findTagBySlug(deps.db, slug);
  if (!tag) return undefined;
  return {
    tag: { slug: tag.slug, name: tag.name },
    articles: await summaries(deps.db, { language, tagId: tag.id, limit: PAGE_SIZE }),
  };
}

export type AuthorListing = {
  person: { slug: string; name: string; email: string | null; bio: string };
  articles: ArticleSummary[];
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
