import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { atCleanUp } from './bench-process.js';

/**
 * A PostgreSQL database of the run's own, for `--postgres URL`: created on the server the URL
 * names (whose own database is only where we connect to create it), dropped on every way out
 * but SIGKILL. Like PGlite's temporary folder, every run starts from the same empty state.
 */

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl, application_name: 'byline-bench' });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** Creates the database and answers its URL; its password, if any, stays out of `ps`. */
export async function createRunDatabase(serverUrl: string): Promise<string> {
  const name = `byline_bench_${randomBytes(4).toString('hex')}`;
  const id = pg.escapeIdentifier(name);
  // A UTF-8 ctype, as production needs for Hangul trigrams (docs/ARCHITECTURE.md, Storage).
  await onServer(
    serverUrl,
    `create database ${id} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
  );
  // With force: an app the benchmark could not stop still holds connections.
  atCleanUp(() => onServer(serverUrl, `drop database if exists ${id} with (force)`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
