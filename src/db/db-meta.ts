import type { Kysely, Transaction } from 'kysely';
import type { Database } from './db-schema.js';

/** Facts about this installation, kept in the site_meta table. */

/**
 * `server_public_url`: the address the last server to start answers at, for the links the
 * command line prints when it is not told BYLINE_PUBLIC_URL itself.
 */
export type MetaKey = 'demo_loaded_at' | 'server_public_url';

type Db = Kysely<Database> | Transaction<Database>;

export async function findMeta(db: Db, key: MetaKey): Promise<string | undefined> {
  const row = await db
    .selectFrom('site_meta')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

export async function setMeta(db: Db, key: MetaKey, value: string): Promise<void> {
  await db
    .insertInto('site_meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: new Date() }))
    .execute();
}
