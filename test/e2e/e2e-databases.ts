import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createSession } from '../../src/accounts/sessions.js';
import { publishedArticle, testReader } from '../../src/comments/comments.testing.js';
import { openDatabase, type DatabaseTarget } from '../../src/db/db.js';
import { migrateToLatest } from '../../src/db/db-migrate.js';
import { silentLog, testDeps } from '../../src/db/db-test.js';

/**
 * The databases the reliability tests run `byline serve` on, and what they put there first: a
 * PGlite folder or a PostgreSQL database of the test's own, each removed afterwards.
 */

export type Backend = {
  name: string;
  target: DatabaseTarget;
  /** What `byline serve` needs in its environment to use this database. */
  env: Record<string, string>;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
};

export function pgliteBackend(prefix: string): Backend {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  return {
    name: 'PGlite',
    target: { kind: 'pglite', dataDir },
    env: { BYLINE_DATA_DIR: dataDir },
    setUp: () => Promise.resolve(),
    tearDown: () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

/** A database of its own on the server `serverUrl` names (UTF-8, C.UTF-8, as Byline wants). */
export function postgresBackend(serverUrl: string, prefix: string): Backend {
  const name = `${prefix.replaceAll('-', '_')}_${randomBytes(4).toString('hex')}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const admin = new pg.Client({ connectionString: serverUrl });
  return {
    name: 'PostgreSQL',
    target: { kind: 'postgres', url: url.toString() },
    env: { DATABASE_URL: url.toString(), BYLINE_DATA_DIR: dataDir },
    async setUp() {
      await admin.connect();
      await admin.query(
        `create database ${pg.escapeIdentifier(name)} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
      );
    },
    async tearDown() {
      await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
      await admin.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What a browser holds: the session token the services made, and its own CSRF token. */
export type Reader = { cookie: string; csrf: string };

/**
 * Opens the database with our own code before any server does (a PGlite folder has one owner at
 * a time), migrates it, and makes an article and `count` signed-in readers who have accepted
 * the policy, named `${name}0`, `${name}1`….
 */
export async function articleWithReaders(
  target: DatabaseTarget,
  options: { count: number; name: string; purpose: string },
): Promise<{ articleId: string; articlePath: string; readers: Reader[] }> {
  const handle = await openDatabase(target, { log: silentLog, purpose: options.purpose });
  try {
    await migrateToLatest(handle.db);
    // The real clock, as the server checks sessions against it.
    const deps = testDeps(handle, { clock: () => new Date() });
    const article = await publishedArticle(deps);
    const readers: Reader[] = [];
    for (let i = 0; i < options.count; i += 1) {
      const accountId = await testReader(deps, `${options.name}${i}`);
      const { token } = await createSession(deps, {
        accountId,
        kind: 'reader',
        method: 'email',
        userAgent: options.purpose,
        ip: '127.0.0.1',
      });
      const csrf = randomBytes(32).toString('base64url');
      readers.push({ csrf, cookie: `byline_session=${token}; byline_csrf=${csrf}` });
    }
    return { articleId: article.id, articlePath: article.path, readers };
  } finally {
    await handle.close();
  }
}
