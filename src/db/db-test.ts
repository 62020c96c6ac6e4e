import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { loadConfig, testDatabaseUrl, type Config } from '../config.js';
import type { AppDeps } from '../deps.js';
import { projectRoot } from '../lib/project-root.js';
import { openDatabase, wrapPglite, type DatabaseHandle } from './db.js';
import { migrateToLatest } from './db-migrate.js';

/**
 * Real databases for tests (CONTRIBUTING.md, habit 10): PGlite always, and the PostgreSQL server
 * named by TEST_DATABASE_URL when set. Never a mock.
 *
 * A fresh PGlite costs seconds (initdb in WebAssembly), so the first test process builds a
 * migrated one, dumps it to a file named by the migrations' hash, and every later one loads that
 * dump. A PostgreSQL test gets a database of its own, dropped at the end, so test files run in
 * parallel without seeing each other's rows.
 */

export const silentLog = pino({ level: 'silent' });

export type TestBackend = { name: 'pglite' | 'postgres'; open(): Promise<DatabaseHandle> };

export function testBackends(): TestBackend[] {
  const backends: TestBackend[] = [{ name: 'pglite', open: openTestPglite }];
  const url = testDatabaseUrl();
  if (url) backends.push({ name: 'postgres', open: () => openTestPostgres(url) });
  return backends;
}

/** A data folder of this test process's own, for what tests write there (the mail outbox). */
export const testDataDir = path.join(os.tmpdir(), `byline-test-data-${process.pid}`);

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    BYLINE_DEMO_CONTENT: 'false',
    BYLINE_DATA_DIR: testDataDir,
    ...env,
  });
}

/** Deps for a use case under test: the given database, a fixed clock, no other process. */
export function testDeps(handle: DatabaseHandle, overrides: Partial<AppDeps> = {}): AppDeps {
  return {
    db: handle.db,
    config: testConfig(),
    log: silentLog,
    clock: () => new Date('2026-11-30T09:00:00+09:00'),
    contentChanged: () => undefined,
    ...overrides,
  };
}

function migrationsHash(): string {
  const dir = path.join(projectRoot(), 'migrations');
  const hash = createHash('sha256');
  for (const file of fs.readdirSync(dir).sort())
    hash.update(file).update(fs.readFileSync(path.join(dir, file)));
  return hash.digest('hex').slice(0, 16);
}

async function templateDump(): Promise<Buffer> {
  const file = path.join(os.tmpdir(), `byline-test-pglite-${migrationsHash()}.tar`);
  if (fs.existsSync(file)) return fs.readFileSync(file);
  const pglite = await PGlite.create('memory://', { extensions: { pg_trgm } });
  const handle = wrapPglite(pglite, silentLog);
  await migrateToLatest(handle.db);
  const dump = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
  await handle.close();
  // Written under a private name and renamed, so a parallel test process never reads half a file.
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(partial, dump);
  fs.renameSync(partial, file);
  return dump;
}

async function openTestPglite(): Promise<DatabaseHandle> {
  const dump = await templateDump();
  const pglite = await PGlite.create({
    loadDataDir: new Blob([new Uint8Array(dump)]),
    extensions: { pg_trgm },
  });
  return wrapPglite(pglite, silentLog);
}

async function openTestPostgres(adminUrl: string): Promise<DatabaseHandle> {
  const name = `byline_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: adminUrl, max: 1 }) }),
  });
  // A UTF-8 ctype, as production needs for Hangul trigrams (docs/ARCHITECTURE.md, Storage).
  await sql`create database ${sql.id(name)} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`.execute(
    admin,
  );
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase(
    { kind: 'postgres', url: url.toString() },
    { log: silentLog, purpose: 'test' },
  );
  await migrateToLatest(handle.db);
  return {
    ...handle,
    async close() {
      await handle.close();
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
      await admin.destroy();
    },
  };
}
