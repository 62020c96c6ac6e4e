import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Language } from '../lib/language.js';
import type { Db, StoryListRow } from './newsroom.queries.js';

/**
 * The reads the newsroom's list needs beyond `listStories` (newsroom.queries.ts): the stories an
 * editor sent back to their writer, and the people a byline filter can name. Private to the
 * newsroom (CONTRIBUTING.md, habit 4).
 */

export type SentBackFilter = {
  accountId: string;
  section?: string | undefined;
  author?: string | undefined;
  language?: Language | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  search?: string | undefined;
  limit: number;
  offset: number;
};

/**
 * A writer's drafts whose latest note is an editor's `sent_back`: what waits for that writer.
 * A note written after the sending back (the writer's answer, another editor's remark) means the
 * story is being talked over, so it no longer counts as waiting. The columns are those of
 * `listStories`, so one mapping serves both lists.
 */
export async function listSentBackStories(db: Db, filter: SentBackFilter): Promise<StoryListRow[]> {
  let query = db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .leftJoin('article_revisions as head', (join) =>
      join
        .onRef('head.article_id', '=', 'articles.id')
        .onRef('head.number', '=', 'articles.head_revision'),
    )
    .leftJoin('accounts as owner', 'owner.id', 'articles.created_by')
    .select((eb) => [
      'articles.id',
      'articles.language',
      'articles.status',
      'articles.path',
      'articles.pending_review',
      'articles.head_revision',
      'articles.live_revision',
      'articles.scheduled_for',
      'articles.embargo_until',
      'articles.published_at',
      'articles.modified_at',
      'articles.created_by',
      'sections.slug as section_slug',
      'sections.name_en as section_name_en',
      'sections.name_ko as section_name_ko',
      'owner.display_name as owner_name',
      eb.fn.coalesce('head.headline', 'articles.headline').as('headline'),
      jsonArrayFrom(
        eb
          .selectFrom('article_bylines')
          .innerJoin('people', 'people.id', 'article_bylines.person_id')
          .select(['people.name'])
          .whereRef('article_bylines.article_id', '=', 'articles.id')
          .orderBy('article_bylines.position'),
      ).as('bylines'),
    ])
    .where('articles.created_by', '=', filter.accountId)
    .where('articles.status', '=', 'draft')
    .where(
      (eb) =>
        eb
          .selectFrom('article_notes')
          .select('article_notes.kind')
          .whereRef('article_notes.article_id', '=', 'articles.id')
          .orderBy('article_notes.created_at', 'desc')
          .orderBy('article_notes.id', 'desc')
          .limit(1),
      '=',
      'sent_back',
    );
  if (filter.section) query = query.where('sections.slug', '=', filter.section);
  if (filter.language) query = query.where('articles.language', '=', filter.language);
  if (filter.from) query = query.where('articles.modified_at', '>=', filter.from);
  if (filter.to) query = query.where('articles.modified_at', '<', filter.to);
  if (filter.author) {
    const author = filter.author;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('article_bylines')
          .innerJoin('people', 'people.id', 'article_bylines.person_id')
          .select(sql.lit(1).as('one'))
          .whereRef('article_bylines.article_id', '=', 'articles.id')
          .where('people.slug', '=', author),
      ),
    );
  }
  if (filter.search) {
    // ILIKE's own wildcards in what was typed are searched for, not obeyed.
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('head.headline', 'ilike', pattern), eb('articles.headline', 'ilike', pattern)]),
    );
  }
  return query
    .orderBy('articles.modified_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}

/** The people named in at least one byline, by name: the choices of the author filter. */
export async function listBylinedPeople(db: Db): Promise<{ slug: string; name: string }[]> {
  return db
    .selectFrom('people')
    .select(['people.slug', 'people.name'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('article_bylines')
          .select(sql.lit(1).as('one'))
          .whereRef('article_bylines.person_id', '=', 'people.id'),
      ),
    )
    .orderBy('people.name')
    .orderBy('people.slug')
    .execute();
}
