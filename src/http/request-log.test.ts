import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { buildApp } from '../app.js';
import type { Database } from '../db/db-schema.js';
import { testConfig } from '../db/db-test.js';
import { PageCache } from './page-cache.js';

type Line = { level: number; msg: string; reqId?: string; status?: number; url?: string };

function capture(level: string) {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const text of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(text) as Line);
      callback();
    },
  });
  return { lines, log: pino({ level }, stream) };
}

async function appWith(level: string) {
  const { lines, log } = capture(level);
  // Nothing listens on port 1: the database is down, so /readyz logs a warning.
  const pool = new pg.Pool({ connectionString: 'postgres://byline@127.0.0.1:1/byline' });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const deps = {
    db,
    config: testConfig(),
    log,
    clock: () => new Date(),
    contentChanged: () => undefined,
  };
  const app = await buildApp(deps, { cache: new PageCache(true), log });
  return { app, lines, close: async () => Promise.all([app.close(), db.destroy()]) };
}

describe('request logs', () => {
  it('write one line per request, with its id, status and address', async () => {
    const { app, lines, close } = await appWith('info');
    await app.inject({ url: '/healthz?from=test' });
    const line = lines.find((l) => l.msg === 'request');
    assert.ok(line);
    assert.match(line.reqId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(line.status, 200);
    assert.equal(line.url, '/healthz?from=test');
    assert.equal(lines.filter((l) => l.msg === 'request').length, 1);
    await close();
  });

  it('name the request in warnings even when requests themselves are not logged', async () => {
    const { app, lines, close } = await appWith('warn');
    assert.equal((await app.inject({ url: '/readyz' })).statusCode, 503);
    assert.equal(lines.filter((l) => l.msg === 'request').length, 0);
    const warning = lines.find((l) => l.level === 40);
    assert.match(warning?.reqId ?? '', /^[0-9a-f-]{36}$/);
    await close();
  });

  it('keep a forged line break in the address inside one JSON line', async () => {
    const { app, lines, close } = await appWith('info');
    await app.inject({ url: '/nothing%0A{"level":60,"msg":"forged"}' });
    assert.ok(lines.every((l) => l.msg !== 'forged'));
    await close();
  });
});
