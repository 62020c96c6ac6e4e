import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/db-schema.js';
import type { Language } from '../lib/language.js';
import type { SitePageKey } from './site-page.js';

export { notifyContentChanged } from '../db/db-notify.js';

/** Every read and write of `site_pages`; site-pages.service.ts alone calls them. */

export type Db = Kysely<Database> | Transaction<Database>;

export function findPageText(db: Db, key: SitePageKey, language: Language) {
  return db
    .selectFrom('site_pages')
    .select(['body', 'updated_at'])
    .where('key', '=', key)
    .where('language', '=', language)
    .executeTakeFirst();
}

export async function upsertPageText(
  db: Db,
  row: { key: SitePageKey; language: Language; body: string; at: Date; by: string },
): Promise<void> {
  await db
    .insertInto('site_pages')
    .values({
      key: row.key,
      language: row.language,
      body: row.body,
      updated_at: row.at,
      updated_by: row.by,
    })
    .onConflict((oc) =>
      oc
        .columns(['key', 'language'])
        .doUpdateSet({ body: row.body, updated_at: row.at, updated_by: row.by }),
    )
    .execute();
}
