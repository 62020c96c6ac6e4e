import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/db-schema.js';
import type { ThreadOverrides } from './comment.js';

/** Thread settings per article and per section, and the facts a thread page needs with them. */

type Db = Kysely<Database> | Transaction<Database>;

/**
 * An article's thread settings (its own and its section's) and its published count, in one
 * statement: the article page asks for them on every render.
 */
export async function findThreadFacts(
  db: Db,
  articleId: string,
): Promise<{
  section: ThreadOverrides | undefined;
  article: ThreadOverrides | undefined;
  count: number;
}> {
  const row = await db
    .selectFrom('articles')
    .leftJoin('comment_article_settings as a', 'a.article_id', 'articles.id')
    .leftJoin('comment_section_settings as s', 's.section_id', 'articles.section_id')
    .leftJoin('comment_counts as cc', 'cc.article_id', 'articles.id')
    .select([
      'a.article_id as articleSet',
      'a.state as articleState',
      'a.close_after_hours as articleClose',
      'a.premoderated as articlePre',
      's.section_id as sectionSet',
      's.state as sectionState',
      's.close_after_hours as sectionClose',
      's.premoderated as sectionPre',
      'cc.published as count',
    ])
    .where('articles.id', '=', articleId)
    .executeTakeFirst();
  if (!row) return { section: undefined, article: undefined, count: 0 };
  return {
    article:
      row.articleSet === null
        ? undefined
        : {
            state: row.articleState,
            closeAfterHours: row.articleClose,
            premoderated: row.articlePre,
          },
    section:
      row.sectionSet === null
        ? undefined
        : {
            state: row.sectionState,
            closeAfterHours: row.sectionClose,
            premoderated: row.sectionPre,
          },
    count: row.count ?? 0,
  };
}

export async function listSectionOverrides(
  db: Db,
): Promise<
  { sectionId: string; slug: string; nameEn: string; nameKo: string; overrides: ThreadOverrides }[]
> {
  const rows = await db
    .selectFrom('sections')
    .leftJoin('comment_section_settings as s', 's.section_id', 'sections.id')
    .select([
      'sections.id as sectionId',
      'sections.slug',
      'sections.name_en as nameEn',
      'sections.name_ko as nameKo',
      's.state',
      's.close_after_hours as closeAfterHours',
      's.premoderated',
    ])
    .orderBy('sections.position')
    .orderBy('sections.slug')
    .execute();
  return rows.map((r) => ({
    sectionId: r.sectionId,
    slug: r.slug,
    nameEn: r.nameEn,
    nameKo: r.nameKo,
    overrides: {
      state: r.state ?? null,
      closeAfterHours: r.closeAfterHours ?? null,
      premoderated: r.premoderated ?? null,
    },
  }));
}

export async function saveOverrides(
  db: Db,
  input: {
    scope: 'section' | 'article';
    id: string;
    overrides: ThreadOverrides;
    by: string;
    at: Date;
  },
): Promise<void> {
  const values = {
    state: input.overrides.state,
    close_after_hours: input.overrides.closeAfterHours,
    premoderated: input.overrides.premoderated,
    updated_by: input.by,
    updated_at: input.at,
  };
  if (input.scope === 'section')
    await db
      .insertInto('comment_section_settings')
      .values({ section_id: input.id, ...values })
      .onConflict((oc) => oc.column('section_id').doUpdateSet(values))
      .execute();
  else
    await db
      .insertInto('comment_article_settings')
      .values({ article_id: input.id, ...values })
      .onConflict((oc) => oc.column('article_id').doUpdateSet(values))
      .execute();
}
