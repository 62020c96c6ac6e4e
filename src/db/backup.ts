import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Kysely, Transaction } from 'kysely';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  ArchiveReader,
  BackupError,
  endLine,
  headerLine,
  markerLine,
  type ArchiveHeader,
  type ArchiveTable,
} from './backup-archive.js';
import {
  appliedMigrations,
  cursorBatches,
  deleteMigrationSeed,
  holdsRows,
  insertJsonRows,
  moveSequence,
  readTables,
  ROW_HASH,
  rowsAsJson,
  sequenceLastValue,
  serverVersion,
  setPortableSettings,
  setUserTriggers,
  tableHash,
  type ForeignKey,
  type TableInfo,
} from './backup.queries.js';
import type { DatabaseHandle } from './db.js';
import { EVERYTHING } from '../lib/content-change.js';
import { notifyContentChanged } from './db-notify.js';
import type { Database } from './db-schema.js';

/**
 * `byline backup` and `byline restore` (docs/SECURITY.md, battery R7): a logical backup that reads
 * the same on PGlite and on a PostgreSQL server, so a newsroom can move from one to the other with
 * it.
 *
 * Backup reads every table in one repeatable-read snapshot (a PostgreSQL deployment can back up
 * while it serves) and writes the archive of backup-archive.ts. Restore loads it into an empty
 * database in one transaction: a refused or failed restore leaves the database as it found it.
 * Row text comes from PostgreSQL and goes back to PostgreSQL; JS never parses a row.
 */

type Trx = Transaction<Database>;

/** Rows read per cursor fetch: bounded memory even for tables of large rows (article bodies). */
const ROW_BATCH = 1_000;
/** Rows per insert statement; fewer statements matter most on PGlite, where each costs more. */
const INSERT_BATCH = 5_000;
/** An insert batch is sent early when its JSON passes this size. */
const BATCH_BYTES = 8 * 1024 * 1024;

export type BackupSummary = { tables: number; rows: number; bytes: number };

export async function backupDatabase(
  handle: Pick<DatabaseHandle, 'db' | 'kind'>,
  file: string,
  clock: () => Date = () => new Date(),
): Promise<BackupSummary> {
  // Written beside the target and renamed when whole: a failed backup leaves no archive behind.
  const partial = `${file}.partial-${String(process.pid)}`;
  try {
    const header = await handle.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        await setPortableSettings(trx);
        const tables = await readTables(trx);
        const header = await describe(trx, handle.kind, clock(), tables);
        await pipeline(
          archiveText(trx, header, new Map(tables.map((t) => [t.name, t]))),
          createGzip(),
          fs.createWriteStream(partial, { flags: 'wx', mode: 0o600 }),
        );
        return header;
      });
    const written = await fsp.open(partial, 'r+');
    try {
      await written.sync();
    } finally {
      await written.close();
    }
    await fsp.rename(partial, file);
    const { size } = await fsp.stat(file);
    return {
      tables: header.tables.length,
      rows: header.tables.reduce((n, t) => n + t.rows, 0),
      bytes: size,
    };
  } catch (error) {
    await fsp.rm(partial, { force: true });
    throw error;
  }
}

/** The header: every table's columns, count and hash, read before any row is written. */
async function describe(
  trx: Trx,
  source: 'pglite' | 'postgres',
  now: Date,
  schema: readonly TableInfo[],
): Promise<ArchiveHeader> {
  const migrations = await appliedMigrations(trx);
  if (migrations.length === 0)
    throw new BackupError(
      'SCHEMA_UNSUPPORTED',
      'the database has no Byline schema (no migrations applied): nothing to back up',
    );
  const tables: ArchiveTable[] = [];
  const sequences: ArchiveHeader['sequences'] = [];
  for (const table of schema) {
    const columns = table.columns.map((c) => c.name);
    tables.push({
      name: table.name,
      columns,
      primaryKey: table.primaryKey,
      ...(await tableHash(trx, table, columns)),
    });
    for (const column of table.columns) {
      if (!column.sequence) continue;
      // Null when the sequence was never used: restore then starts after the restored rows.
      const lastValue = await sequenceLastValue(trx, column.sequence);
      if (lastValue)
        sequences.push({ table: table.name, column: column.name, lastValue, isCalled: true });
    }
  }
  return {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    createdAt: now.toISOString(),
    source,
    serverVersion: await serverVersion(trx),
    migrations,
    rowHash: ROW_HASH,
    tables,
    sequences,
  };
}

/** The archive's text, a batch of lines at a time, rows read through a cursor per table. */
async function* archiveText(
  trx: Trx,
  header: ArchiveHeader,
  tables: Map<string, TableInfo>,
): AsyncGenerator<string> {
  yield `${headerLine(header)}\n`;
  for (const entry of header.tables) {
    const table = tables.get(entry.name);
    if (!table) throw new Error(`table ${entry.name} vanished inside one snapshot`);
    yield `${markerLine(entry)}\n`;
    let rows = 0;
    for await (const batch of cursorBatches<{ j: string }>(trx, rowsAsJson(table), ROW_BATCH)) {
      const lines = batch.map((r) => r.j);
      // JSON escapes line breaks inside strings; a raw one could only be a json column's own
      // whitespace, which the line format cannot carry. No Byline column is of type json.
      if (lines.some((line) => line.includes('\n')))
        throw new BackupError(
          'SCHEMA_UNSUPPORTED',
          `a row of ${table.name} renders with a line break (a json column?); the archive cannot hold it`,
        );
      rows += lines.length;
      yield `${lines.join('\n')}\n`;
    }
    // Same snapshot as the header's count: a difference is a bug, not a concurrent write.
    if (rows !== entry.rows)
      throw new Error(`${table.name}: ${String(rows)} rows read, ${String(entry.rows)} counted`);
  }
  yield `${endLine(header)}\n`;
}

export type RestoreSummary = { tables: number; rows: number };

type LoadPlan = { entry: ArchiveTable; table: TableInfo; insert: string[] };

/**
 * Loads the archive into this database, which must be migrated and hold no rows of its own, in
 * one transaction; recomputes every table's hash and rolls back unless all equal the archive's.
 */
export async function restoreDatabase(db: Kysely<Database>, file: string): Promise<RestoreSummary> {
  const reader = ArchiveReader.open(file);
  try {
    const header = await reader.header();
    return await db.transaction().execute(async (trx) => {
      await setPortableSettings(trx);
      checkMigrations(file, header.migrations, await appliedMigrations(trx));
      const tables = await readTables(trx);
      const plans = header.tables.map((entry) => planTable(file, entry, tables));
      await refuseUnlessEmpty(trx, tables);
      for (const plan of [...plans].reverse()) await deleteMigrationSeed(trx, plan.table.name);
      // A table that refers to itself (a translation, a reply) may meet a row before the row it
      // names: its own foreign keys are dropped for the load and added back, which checks them.
      const selfKeys = plans.flatMap((p) =>
        p.table.foreignKeys
          .filter((fk) => fk.references === p.table.name)
          .map((fk) => ({ table: p.table.name, ...fk })),
      );
      for (const fk of selfKeys)
        await trx.schema.alterTable(fk.table).dropConstraint(fk.name).execute();
      for (const plan of plans) {
        // Rows are restored as they were: a trigger that counts or stamps on insert must not
        // act on them again. None exists today; the moderation log's refuse only update/delete.
        const triggers = plan.table.insertTriggers;
        if (triggers) await setUserTriggers(trx, plan.table.name, false);
        await loadTable(trx, file, plan, reader.rows(plan.entry));
        if (triggers) await setUserTriggers(trx, plan.table.name, true);
      }
      await reader.end(header);
      for (const { table, ...fk } of selfKeys)
        await addForeignKey(trx, table, fk).catch((error: unknown) => {
          throw refusedRows(file, table, error);
        });
      await moveSequences(trx, header, plans);
      await checkHashes(trx, plans);
      // Servers already running on this PostgreSQL database drop the (empty) pages they cached.
      await notifyContentChanged(trx, EVERYTHING);
      return { tables: plans.length, rows: plans.reduce((n, p) => n + p.entry.rows, 0) };
    });
  } finally {
    await reader.close();
  }
}

export function checkMigrations(
  file: string,
  archived: readonly string[],
  applied: readonly string[],
): void {
  for (const [i, name] of archived.entries()) {
    if (i >= applied.length)
      throw new BackupError(
        'ARCHIVE_NEWER',
        `${file} was made by a newer Byline: its database had migration ${name}, which this Byline does not have. Upgrade Byline, then restore. Nothing was restored.`,
      );
    if (applied[i] !== name)
      throw new BackupError(
        'ARCHIVE_INCOMPATIBLE',
        `${file} does not come from this Byline's history: its migration ${String(i + 1)} is ${name}, this database's is ${applied[i] ?? 'none'}. Nothing was restored.`,
      );
  }
}

/**
 * Which columns to insert. An archive from an older Byline may lack columns added since; those
 * take their defaults. A column or table the archive has and this database lacks is refused.
 */
function planTable(file: string, entry: ArchiveTable, tables: readonly TableInfo[]): LoadPlan {
  const table = tables.find((t) => t.name === entry.name);
  if (!table)
    throw new BackupError(
      'ARCHIVE_INCOMPATIBLE',
      `${file} has table ${entry.name}, which this database lacks. Nothing was restored.`,
    );
  const columns = new Map(table.columns.map((c) => [c.name, c]));
  const missing = entry.columns.filter((c) => !columns.has(c));
  if (missing.length > 0)
    throw new BackupError(
      'ARCHIVE_INCOMPATIBLE',
      `${file} has columns ${missing.join(', ')} of ${entry.name}, which this database lacks. Nothing was restored.`,
    );
  // Generated columns are computed again from the others; PostgreSQL refuses values for them.
  const insert = entry.columns.filter((c) => columns.get(c)?.generated === false);
  return { entry, table, insert };
}

async function refuseUnlessEmpty(trx: Trx, tables: readonly TableInfo[]): Promise<void> {
  const holding: string[] = [];
  for (const table of tables) if (await holdsRows(trx, table.name)) holding.push(table.name);
  if (holding.length > 0)
    throw new BackupError(
      'RESTORE_NOT_EMPTY',
      `the database is not empty (rows in ${holding.join(', ')}). Restore only into an empty one: a new BYLINE_DATA_DIR folder, or a new PostgreSQL database in DATABASE_URL. Nothing was restored.`,
    );
}

/** Inserts the rows in batches: PostgreSQL parses the JSON array into rows of the table's type. */
async function loadTable(
  trx: Trx,
  file: string,
  plan: LoadPlan,
  rows: AsyncIterable<string>,
): Promise<void> {
  let batch: string[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const json = `[${batch.join(',')}]`;
    batch = [];
    bytes = 0;
    try {
      await insertJsonRows(trx, plan.table, plan.insert, json);
    } catch (error) {
      throw refusedRows(file, plan.table.name, error);
    }
  };
  for await (const row of rows) {
    batch.push(row);
    bytes += row.length;
    if (batch.length >= INSERT_BATCH || bytes >= BATCH_BYTES) await flush();
  }
  await flush();
}

/** Every serial sequence past both its restored values and where it stood in the archive. */
async function moveSequences(
  trx: Trx,
  header: ArchiveHeader,
  plans: readonly LoadPlan[],
): Promise<void> {
  for (const { table } of plans)
    for (const column of table.columns) {
      if (!column.sequence) continue;
      const archived = header.sequences.find(
        (s) => s.table === table.name && s.column === column.name,
      );
      await moveSequence(
        trx,
        table.name,
        { name: column.name, sequence: column.sequence },
        archived,
      );
    }
}

async function checkHashes(trx: Trx, plans: readonly LoadPlan[]): Promise<void> {
  const differing: string[] = [];
  for (const { entry, table } of plans) {
    const restored = await tableHash(trx, table, entry.columns, entry.primaryKey);
    if (restored.rows !== entry.rows || restored.hash !== entry.hash) differing.push(entry.name);
  }
  if (differing.length > 0)
    throw new BackupError(
      'RESTORE_HASH_MISMATCH',
      `the restored rows of ${differing.join(', ')} do not hash as in the archive; the restore was rolled back. Nothing was restored.`,
    );
}

/** PostgreSQL refused the archive's rows (a bad value, a broken reference): the file is at fault. */
function refusedRows(file: string, table: string, error: unknown): BackupError {
  const reason = error instanceof Error ? error.message : String(error);
  return new BackupError(
    'ARCHIVE_CORRUPT',
    `${file}: the rows of ${table} were refused by the database (${reason}). Nothing was restored.`,
    { cause: error },
  );
}

/** Adds back a foreign key as readTables described it, built by Kysely. */
async function addForeignKey(trx: Trx, table: string, fk: ForeignKey): Promise<void> {
  let add = trx.schema
    .alterTable(table)
    .addForeignKeyConstraint(fk.name, fk.columns, fk.references, fk.referencedColumns)
    .onDelete(fk.onDelete)
    .onUpdate(fk.onUpdate);
  if (fk.deferrable) add = add.deferrable();
  if (fk.deferred) add = add.initiallyDeferred();
  await add.execute();
}
