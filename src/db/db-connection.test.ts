import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from './db.js';
import { testBackends } from './db-test.js';

/**
 * A connection cut while a transaction holds it, between two statements (an administrator's
 * pg_terminate_backend, a failover): the process lives on, the transaction fails, and the pool
 * serves the next request. Without a listener on clients in use, pg's 'error' event on the cut
 * client went unheard and killed the process (R5 found it under load). PostgreSQL only: PGlite
 * has no connection to cut.
 */
for (const backend of testBackends().filter((b) => b.name === 'postgres')) {
  describe(`a connection cut in use on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    before(async () => {
      handle = await backend.open();
    });
    after(async () => {
      await handle.close();
    });

    it('fails the transaction, not the process, and the next query gets a new connection', async () => {
      const outcome = handle.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        const pid = rows[0]?.pid;
        assert.ok(pid);
        // Cut from another connection of the pool while this one sits between statements.
        await sql`select pg_terminate_backend(${pid})`.execute(handle.db);
        // Long enough for the socket's end to arrive and pg to emit 'error' on the client.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sql`select 1`.execute(trx);
      });
      await assert.rejects(outcome);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
      assert.equal(rows[0]?.one, 1);
    });
  });
}
