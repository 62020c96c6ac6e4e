import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../app.js';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../db/db-schema.js';
import { silentLog, testConfig } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import { AppError } from './app-error.js';
import { errorCodeOf, languageOfUrl } from './errors.js';
import { PageCache } from './page-cache.js';

describe('error answers', () => {
  it('map codes, client errors and database outages to their status', () => {
    assert.equal(errorCodeOf(new AppError('GONE')), 'GONE');
    assert.equal(
      errorCodeOf(Object.assign(new Error('too big'), { statusCode: 413 })),
      'PAYLOAD_TOO_LARGE',
    );
    assert.equal(errorCodeOf(Object.assign(new Error('odd'), { statusCode: 418 })), 'BAD_REQUEST');
    // A read-only or restarting database is a reason to retry, not a bug.
    assert.equal(
      errorCodeOf(Object.assign(new Error('read only'), { code: '25006' })),
      'SERVICE_UNAVAILABLE',
    );
    assert.equal(
      errorCodeOf(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })),
      'SERVICE_UNAVAILABLE',
    );
    // node-postgres says a connection was lost only in words (R3: a server restarted mid-transaction).
    for (const message of [
      'Connection terminated unexpectedly',
      'Client has encountered a connection error and is not queryable',
    ])
      assert.equal(errorCodeOf(new Error(message)), 'SERVICE_UNAVAILABLE', message);
    assert.equal(
      errorCodeOf(Object.assign(new Error('reset'), { code: 'ECONNRESET' })),
      'SERVICE_UNAVAILABLE',
    );
    assert.equal(errorCodeOf(new Error('a Connection terminated elsewhere')), 'INTERNAL');
    assert.equal(errorCodeOf(new TypeError('x is undefined')), 'INTERNAL');
  });

  it('take the edition from the address', () => {
    assert.equal(languageOfUrl('/ko'), 'ko');
    assert.equal(languageOfUrl('/ko/section/x'), 'ko');
    assert.equal(languageOfUrl('/korea'), 'en');
    assert.equal(languageOfUrl('/'), 'en');
  });

  it('answer 503 with no internals while the database is unreachable, with the request id', async () => {
    // A PostgreSQL server that is down: nothing listens on port 1 of the loopback.
    const pool = new pg.Pool({ connectionString: 'postgres://byline@127.0.0.1:1/byline' });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const deps: AppDeps = {
      db,
      config: testConfig(),
      log: silentLog,
      clock: () => new Date(),
      contentChanged: () => undefined,
    };
    const app = await buildApp(deps, { cache: new PageCache(true) });
    const html = await app.inject({ url: '/2023/01/29/national/anything' });
    assert.equal(html.statusCode, 503);
    assert.equal(html.headers['retry-after'], '5');
    assert.doesNotMatch(html.body, /ECONNREFUSED|127\.0\.0\.1|at .*\.[jt]s:\d+/);
    assert.match(html.body, /<html lang="en">/);
    const json = await app.inject({
      url: '/ko/section/x',
      headers: { accept: 'application/json' },
    });
    const body = json.json<{ error: { code: string; message: string; requestId: string } }>();
    assert.equal(body.error.code, 'SERVICE_UNAVAILABLE');
    assert.match(body.error.requestId, /^[0-9a-f-]{36}$/);
    assert.match(body.error.message, /[가-힣]/);
    assert.equal((await app.inject({ url: '/readyz' })).statusCode, 503);
    assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
    await app.close();
    await db.destroy();
  });
});
