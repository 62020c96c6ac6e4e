import type { Kysely, Transaction } from 'kysely';
import type { Database } from './db-schema.js';

/** Facts about this installation, kept in the site_meta table. */

/**
 * `server_public_url`: the address the last server to start answers at, for the links the
 * command line prints when it is not told BYLINE_PUBLIC_URL itself. `preview_key`: the key that
 * signs the newsroom's preview links, one for every process of the installation.
 */
export type MetaKey = 'demo_loaded_at' | 'server_public_url' | 'preview_key';

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

/**
 * The value of a fact made once for the installation: the first process to ask makes it, and
 * every other one (now or after a restart) reads the same.
 */
export async function findOrCreateMeta(db: Db, key: MetaKey, make: () => string): Promise<string> {
  await db
    .insertInto('site_meta')
    .values({ key, value: make() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const value = await findMeta(db, key);
  if (value === undefined) throw new Error(`site_meta ${key} vanished`);
  return value;
}
