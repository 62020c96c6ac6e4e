import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/db-schema.js';

/**
 * What screening reads, and the word lists' storage: the lists are small (an admin types them),
 * so they are read whole on each screening rather than cached, and a saved change applies to the
 * very next comment in every process.
 */

type Db = Kysely<Database> | Transaction<Database>;

export type WordKind = 'banned' | 'suspect';

export type WordLists = { banned: string[]; suspect: string[] };

/**
 * Both lists, each sorted by code unit (in JavaScript, not by the database's collation, which
 * differs between servers), so screening and the page see one stable order.
 */
export async function readWordLists(db: Db): Promise<WordLists> {
  const rows = await db.selectFrom('moderation_words').select(['word', 'kind']).execute();
  const lists: WordLists = { banned: [], suspect: [] };
  for (const row of rows) lists[row.kind].push(row.word);
  lists.banned.sort();
  lists.suspect.sort();
  return lists;
}

/** Replaces both lists; the caller holds the transaction, so a reader never sees half of it. */
export async function replaceWordLists(
  trx: Transaction<Database>,
  input: { lists: WordLists; adminId: string; at: Date },
): Promise<void> {
  // Two admins saving at once would each delete the rows they see and then collide inserting the
  // same words; taken in turn, the later save simply wins. This mode still lets screening read.
  await sql`lock table moderation_words in share row exclusive mode`.execute(trx);
  await trx.deleteFrom('moderation_words').execute();
  const rows = (['banned', 'suspect'] as const).flatMap((kind) =>
    input.lists[kind].map((word) => ({
      word,
      kind,
      added_by: input.adminId,
      added_at: input.at,
    })),
  );
  if (rows.length > 0) await trx.insertInto('moderation_words').values(rows).execute();
}

export type ReaderHistory = Readonly<{
  createdAt: Date;
  /** Comments the desk let stand (or never held). */
  published: number;
  /** Comments a moderator hid; the author's own deletions are not counted against them. */
  hidden: number;
}>;

/** A reader's account age and record, or undefined when there is no such account. */
export async function findReaderHistory(
  db: Db,
  accountId: string,
): Promise<ReaderHistory | undefined> {
  const row = await db
    .selectFrom('accounts as a')
    .where('a.id', '=', accountId)
    .select((eb) => [
      'a.created_at as createdAt',
      eb
        .selectFrom('comments as c')
        .whereRef('c.author_id', '=', 'a.id')
        .where('c.status', '=', 'published')
        .select((cb) => cb.fn.countAll<string>().as('published'))
        .as('published'),
      eb
        .selectFrom('comments as c')
        .whereRef('c.author_id', '=', 'a.id')
        .where('c.status', '=', 'hidden')
        .select((cb) => cb.fn.countAll<string>().as('hidden'))
        .as('hidden'),
    ])
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    createdAt: row.createdAt,
    published: Number(row.published ?? 0),
    hidden: Number(row.hidden ?? 0),
  };
}
