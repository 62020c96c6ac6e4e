import { createHash, randomBytes } from 'node:crypto';
import { sql, type OnModifyForeignAction, type RawBuilder, type Transaction } from 'kysely';
import { BackupError } from './backup-archive.js';
import type { Database } from './db-schema.js';

/**
 * The SQL of backup and restore (backup.ts). What they need to know of the schema is read from
 * PostgreSQL's catalogue rather than from db-schema.ts, so a table or column added by a later
 * migration is carried without anyone remembering to list it here. Both run inside one
 * transaction, passed in; table and column names come from that catalogue, never from an archive
 * unchecked (restore plans its columns against it first).
 */

type Trx = Transaction<Database>;

/** Kysely's own bookkeeping: recreated by migrating, never carried in an archive. */
const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'];

export type Column = {
  name: string;
  generated: boolean;
  identity: boolean;
  /** Text-like: ordered byte-wise (collate "C"), so both backends sort it the same way. */
  collatable: boolean;
  /** The sequence behind a serial or identity column, to move past the restored values. */
  sequence: string | null;
};

export type ForeignKey = {
  name: string;
  columns: string[];
  references: string;
  referencedColumns: string[];
  onDelete: OnModifyForeignAction;
  onUpdate: OnModifyForeignAction;
  deferrable: boolean;
  deferred: boolean;
};

/** pg_constraint's action letters. */
const ACTIONS: Record<string, OnModifyForeignAction> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

export type TableInfo = {
  name: string;
  columns: Column[];
  primaryKey: string[];
  foreignKeys: ForeignKey[];
  /** User triggers that fire on INSERT: a restore must not run them twice over old rows. */
  insertTriggers: boolean;
};

/**
 * The same text for the same row on PGlite (PostgreSQL 18) and a PostgreSQL 15 server: row
 * hashes and row_to_json depend on these settings, so both sides set them, for the transaction.
 */
export async function setPortableSettings(trx: Trx): Promise<void> {
  for (const statement of [
    sql`set local time zone 'UTC'`,
    sql`set local datestyle = 'ISO, YMD'`,
    sql`set local intervalstyle = 'postgres'`,
    sql`set local extra_float_digits = 1`,
    sql`set local bytea_output = 'hex'`,
    // A table of millions of rows takes longer than the server pool's 15-second guard.
    sql`set local statement_timeout = 0`,
  ])
    await statement.execute(trx);
}

export async function appliedMigrations(trx: Trx): Promise<string[]> {
  const exists = await sql<{ found: boolean }>`
    select to_regclass('kysely_migration') is not null as found`.execute(trx);
  if (!exists.rows[0]?.found) return [];
  const rows = await sql<{ name: string }>`
    select name from kysely_migration order by name`.execute(trx);
  return rows.rows.map((r) => r.name);
}

/** Every Byline table of the current schema, in foreign-key order (referenced tables first). */
export async function readTables(trx: Trx): Promise<TableInfo[]> {
  const columns = await sql<{ table: string } & Column>`
    select c.relname as "table", a.attname as name,
      a.attgenerated in ('s', 'v') as generated,
      a.attidentity in ('a', 'd') as identity,
      a.attcollation <> 0 as collatable,
      pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) as sequence
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind = 'r' and not c.relispartition
      and a.attnum > 0 and not a.attisdropped
    order by c.relname, a.attnum`.execute(trx);
  const keys = await sql<{ table: string; column: string }>`
    select c.relname as "table", a.attname as "column"
    from pg_index i
    join pg_class c on c.oid = i.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    cross join lateral unnest(i.indkey::int2[]) with ordinality as k(attnum, ord)
    join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
    where i.indisprimary and n.nspname = current_schema()
    order by c.relname, k.ord`.execute(trx);
  const foreignKeys = await sql<{
    table: string;
    name: string;
    references: string;
    columns: string[];
    referencedColumns: string[];
    onDelete: string;
    onUpdate: string;
    match: string;
    deferrable: boolean;
    deferred: boolean;
  }>`
    select c.relname as "table", con.conname as name, f.relname as "references",
      (select json_agg(a.attname order by k.i) from unnest(con.conkey) with ordinality k(n, i)
        join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n) as columns,
      (select json_agg(a.attname order by k.i) from unnest(con.confkey) with ordinality k(n, i)
        join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n) as "referencedColumns",
      con.confdeltype::text as "onDelete", con.confupdtype::text as "onUpdate",
      con.confmatchtype::text as match, con.condeferrable as deferrable,
      con.condeferred as deferred
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid
    join pg_class f on f.oid = con.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where con.contype = 'f' and n.nspname = current_schema()
    order by c.relname, con.conname`.execute(trx);
  // tgtype bit 2 (value 4) is INSERT (pg_trigger.h); internal triggers are the foreign keys'.
  const triggers = await sql<{ table: string }>`
    select distinct c.relname as "table"
    from pg_trigger t
    join pg_class c on c.oid = t.tgrelid
    join pg_namespace n on n.oid = c.relnamespace
    where not t.tgisinternal and (t.tgtype & 4) <> 0 and n.nspname = current_schema()`.execute(trx);

  const tables = new Map<string, TableInfo>();
  for (const { table, ...column } of columns.rows) {
    if (MIGRATION_TABLES.includes(table)) continue;
    let info = tables.get(table);
    if (!info) {
      info = { name: table, columns: [], primaryKey: [], foreignKeys: [], insertTriggers: false };
      tables.set(table, info);
    }
    info.columns.push(column);
  }
  for (const { table, column } of keys.rows) tables.get(table)?.primaryKey.push(column);
  for (const { table, match, onDelete, onUpdate, ...fk } of foreignKeys.rows) {
    const [deleteAction, updateAction] = [ACTIONS[onDelete], ACTIONS[onUpdate]];
    // Restore rebuilds a table's own foreign keys (backup.ts): only those it can rebuild exactly.
    if (match !== 's' || !deleteAction || !updateAction)
      throw new BackupError('SCHEMA_UNSUPPORTED', `foreign key ${fk.name} of ${table}: MATCH FULL`);
    tables.get(table)?.foreignKeys.push({ ...fk, onDelete: deleteAction, onUpdate: updateAction });
  }
  for (const { table } of triggers.rows) {
    const info = tables.get(table);
    if (info) info.insertTriggers = true;
  }
  for (const info of tables.values())
    if (info.primaryKey.length === 0)
      throw new BackupError(
        'SCHEMA_UNSUPPORTED',
        `table ${info.name} has no primary key, so its rows have no stable order to hash`,
      );
  return dependencyOrder([...tables.values()]);
}

/** Kahn's algorithm, ties by name so that the order is the same on every run and backend. */
function dependencyOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const waitingOn = new Map(
    tables.map((t) => [
      t.name,
      new Set(
        t.foreignKeys.map((fk) => fk.references).filter((r) => r !== t.name && byName.has(r)),
      ),
    ]),
  );
  const ordered: TableInfo[] = [];
  while (waitingOn.size > 0) {
    const ready = [...waitingOn].filter(([, deps]) => deps.size === 0).map(([name]) => name);
    if (ready.length === 0)
      throw new BackupError(
        'SCHEMA_UNSUPPORTED',
        `foreign keys form a cycle among ${[...waitingOn.keys()].join(', ')}`,
      );
    for (const name of ready.sort()) {
      waitingOn.delete(name);
      for (const deps of waitingOn.values()) deps.delete(name);
      const table = byName.get(name);
      if (table) ordered.push(table);
    }
  }
  return ordered;
}

/** `order by` on the primary key, text compared byte-wise: the same order on both backends. */
export function primaryKeyOrder(
  table: TableInfo,
  primaryKey = table.primaryKey,
): RawBuilder<unknown> {
  const collatable = new Set(table.columns.filter((c) => c.collatable).map((c) => c.name));
  return sql.join(
    primaryKey.map((name) =>
      collatable.has(name) ? sql`${sql.id(name)} collate "C"` : sql.id(name),
    ),
  );
}

export const ROW_HASH =
  'sha256 over md5(row(columns)::text) || newline for each row, primary key in byte order, ' +
  "time zone UTC, datestyle 'ISO, YMD', extra_float_digits 1";

const HASH_BATCH = 10_000;

/**
 * The table's row count and hash. PostgreSQL renders each row as text (the record output of the
 * given columns, in the portable settings) and hashes it with md5; we fold those digests into
 * one sha256 as they stream through a cursor, so no table is ever held whole, here or in the
 * server (string_agg over a large table runs into PostgreSQL's 1 GB value limit).
 */
export async function tableHash(
  trx: Trx,
  table: TableInfo,
  columns: readonly string[],
  primaryKey: readonly string[] = table.primaryKey,
): Promise<{ rows: number; hash: string }> {
  const hash = createHash('sha256');
  let rows = 0;
  const row = sql.join(columns.map((c) => sql.id(c)));
  const query = sql`select md5(row(${row})::text) as h from ${sql.table(table.name)}
    order by ${primaryKeyOrder(table, [...primaryKey])}`;
  for await (const batch of cursorBatches<{ h: string }>(trx, query, HASH_BATCH)) {
    for (const { h } of batch) hash.update(`${h}\n`);
    rows += batch.length;
  }
  return { rows, hash: hash.digest('hex') };
}

/** The query's rows through a server-side cursor, `batch` at a time, within the transaction. */
export async function* cursorBatches<R>(
  trx: Trx,
  query: RawBuilder<unknown>,
  batch: number,
): AsyncGenerator<R[]> {
  // A name of its own: an abandoned cursor stays open until the transaction ends.
  const name = sql.id(`byline_cursor_${randomBytes(6).toString('hex')}`);
  await sql`declare ${name} no scroll cursor for ${query}`.execute(trx);
  for (;;) {
    const { rows } = await sql<R>`fetch forward ${sql.lit(batch)} from ${name}`.execute(trx);
    if (rows.length > 0) yield rows;
    if (rows.length < batch) break;
  }
  await sql`close ${name}`.execute(trx);
}

/** Where a sequence stood: null when it was never used. */
export async function sequenceLastValue(trx: Trx, sequence: string): Promise<string | null> {
  const { rows } = await sql<{ last_value: string | null }>`
    select pg_sequence_last_value(${sequence}::regclass)::text as last_value`.execute(trx);
  return rows[0]?.last_value ?? null;
}

export async function serverVersion(trx: Trx): Promise<string> {
  const { rows } = await sql<{ version: string }>`
    select current_setting('server_version') as version`.execute(trx);
  return rows[0]?.version ?? 'unknown';
}

/** Every row of the table as PostgreSQL renders it in JSON, in primary-key order. */
export function rowsAsJson(table: TableInfo): RawBuilder<{ j: string }> {
  return sql<{ j: string }>`select row_to_json(byline_row)::text as j
      from ${sql.table(table.name)} as byline_row order by ${primaryKeyOrder(table)}`;
}

/**
 * Rows that the migrations themselves insert (0003-policy: policy version 1 and its clauses;
 * 0006-site-pages: the default texts of the site's own pages).
 * They do not make a database "not empty"; restore replaces them with the archive's own copy.
 * backup.test.ts checks that a freshly migrated database holds no other rows.
 */
export const MIGRATION_SEED: Readonly<Record<string, RawBuilder<unknown>>> = {
  policy_versions: sql`version = 1`,
  policy_clauses: sql`version = 1`,
  // The default texts of migration 0006, until an admin saves a page (which sets updated_by).
  site_pages: sql`updated_by is null`,
};

export async function deleteMigrationSeed(trx: Trx, table: string): Promise<void> {
  const seed = MIGRATION_SEED[table];
  if (seed) await sql`delete from ${sql.table(table)} where ${seed}`.execute(trx);
}

/** Whether the table holds a row of its own, beyond what the migrations put there. */
export async function holdsRows(trx: Trx, table: string): Promise<boolean> {
  const seed = MIGRATION_SEED[table];
  const { rows } = await sql<{ found: boolean }>`select exists(
    select 1 from ${sql.table(table)} ${seed ? sql`where not (${seed})` : sql``}) as found`.execute(
    trx,
  );
  return rows[0]?.found ?? false;
}

export async function setUserTriggers(trx: Trx, table: string, enabled: boolean): Promise<void> {
  await sql`alter table ${sql.table(table)} ${enabled ? sql`enable` : sql`disable`} trigger user`.execute(
    trx,
  );
}

/** Inserts a JSON array of rows: PostgreSQL parses it into rows of the table's own type. */
export async function insertJsonRows(
  trx: Trx,
  table: TableInfo,
  insert: readonly string[],
  json: string,
): Promise<void> {
  const name = sql.table(table.name);
  const columns = sql.join(insert.map((c) => sql.id(c)));
  const overriding = table.columns.some((c) => c.identity) ? sql`overriding system value` : sql``;
  await sql`insert into ${name} (${columns}) ${overriding}
    select ${columns} from json_populate_recordset(null::${name}, ${json}::json)`.execute(trx);
}

/** Moves a serial sequence past `floor` and past every value the column holds. */
export async function moveSequence(
  trx: Trx,
  table: string,
  column: Pick<Column, 'name'> & { sequence: string },
  floor: { lastValue: string; isCalled: boolean } | undefined,
): Promise<void> {
  const start = floor
    ? sql`${floor.lastValue}::bigint + ${floor.isCalled ? 1 : 0}`
    : sql`1::bigint`;
  await sql`select setval(${column.sequence}::regclass, greatest(${start},
    (select coalesce(max(${sql.id(column.name)}), 0) + 1 from ${sql.table(table)})), false)`.execute(
    trx,
  );
}
