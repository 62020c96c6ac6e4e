import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { testDatabaseUrl } from '../../src/config.js';
import { startServer, type RunningServer } from './cli-process.js';

/**
 * Part of the reliability battery of docs/SECURITY.md that a login touches: a database that turns
 * read-only under a running app (R5), as after a failover to a replica. Counts, never timings.
 */

async function firstArticle(base: string): Promise<string> {
  const home = await fetch(`${base}/`).then((r) => r.text());
  const link = /<a href="(\/\d{4}\/\d{2}\/\d{2}\/[^"]+)">/.exec(home)?.[1];
  assert.ok(link, 'the home page links an article');
  return link;
}

const serverUrl = testDatabaseUrl();
if (serverUrl) {
  describe('a database that turns read-only under a running app (R5)', () => {
    const name = `byline_r5_${randomBytes(4).toString('hex')}`;
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    let admin: pg.Client;
    let server: RunningServer | undefined;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-r5-'));

    before(async () => {
      admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(
        `create database ${pg.escapeIdentifier(name)} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
      );
    });
    after(async () => {
      await server?.stop();
      await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
      await admin.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    /** Sets the database read-only (or back) and drops the app's connections, as a failover does. */
    async function failover(readOnly: boolean): Promise<void> {
      await admin.query(
        readOnly
          ? `alter database ${pg.escapeIdentifier(name)} set default_transaction_read_only = on`
          : `alter database ${pg.escapeIdentifier(name)} reset default_transaction_read_only`,
      );
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
    }

    /**
     * Asks until the app answers from a new database connection (bounded by count, not time).
     * An HTTP-level failure is retried too, but the app must still be running at the end.
     */
    async function settle(target: string): Promise<void> {
      let last = '';
      for (let attempt = 0; attempt < 50; attempt += 1) {
        try {
          const res = await fetch(target);
          await res.text();
          if (res.status === 200) return;
          last = String(res.status);
        } catch (error) {
          last = String(error);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.fail(`${target} never answered 200 (last: ${last})\n${server?.output() ?? ''}`);
    }

    it('reads on, refuses writes with 503 and Retry-After, and writes again when it returns', async () => {
      server = await startServer({
        DATABASE_URL: url.toString(),
        BYLINE_DATA_DIR: dataDir,
        BYLINE_PAGE_CACHE: 'false',
      });
      const base = server.url;
      const article = `${base}${await firstArticle(base)}`;
      const login = await fetch(`${base}/login`);
      const csrf = /byline_csrf=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '';
      const askCode = () =>
        fetch(`${base}/login/email`, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            cookie: `byline_csrf=${csrf}`,
            origin: base,
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ _csrf: csrf, email: 'reader@example.com' }),
        });

      await failover(true);
      await settle(article);
      const refused = await askCode();
      assert.equal(refused.status, 503);
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
      const body = (await refused.json()) as { error: { code: string } };
      assert.equal(body.error.code, 'SERVICE_UNAVAILABLE');
      assert.equal((await fetch(article)).status, 200, 'reads go on');

      await failover(false);
      await settle(article);
      assert.equal((await askCode()).status, 303, 'writes resume without a restart');
      assert.equal(server.child.exitCode, null, 'the app lived through both failovers');
    });
  });
}
