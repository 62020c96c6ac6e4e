import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from './db.js';
import { testBackends } from './db-test.js';

for (const backend of testBackends()) {
  describe(`prepared statements on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    before(async () => {
      handle = await backend.open();
    });
    after(async () => {
      await handle.close();
    });

    /** The statements prepared on the connection the transaction holds. */
    async function preparedInTransaction(run: (trx: typeof handle.db) => Promise<unknown>) {
      return handle.db.transaction().execute(async (trx) => {
        await run(trx);
        await run(trx);
        const rows = await sql<{ name: string; statement: string }>`
          select name, statement from pg_prepared_statements where name like 'byline_%'`.execute(
          trx,
        );
        return rows.rows;
      });
    }

    it('prepares a data query once per connection and reuses it', async () => {
      const marker = `select-${backend.name}-${Date.now()}`;
      const rows = await preparedInTransaction((trx) =>
        trx.selectFrom('sections').select('id').where('slug', '=', marker).execute(),
      );
      const mine = rows.filter((r) => r.statement.includes('"sections"'));
      assert.equal(mine.length, 1);
    });

    it('leaves schema changes and transaction control unprepared', async () => {
      const rows = await preparedInTransaction((trx) =>
        sql`create temporary table if not exists scratch (x int)`.execute(trx),
      );
      assert.ok(rows.every((r) => !/create|begin|commit/i.test(r.statement)));
    });

    it('gives the same answers as an unprepared query, with new values each time', async () => {
      const a = await sql<{ n: number }>`select ${1}::int + ${2}::int as n`.execute(handle.db);
      const b = await sql<{ n: number }>`select ${5}::int + ${6}::int as n`.execute(handle.db);
      const c = await handle.db.selectNoFrom((eb) => eb.val(40).as('n')).execute();
      assert.equal(a.rows[0]?.n, 3);
      assert.equal(b.rows[0]?.n, 11);
      assert.equal(Number(c[0]?.n), 40);
    });
  });
}
