import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from './db.js';
import { articlesChanged } from '../lib/content-change.js';
import { notifyContentChanged } from './db-notify.js';
import { testBackends } from './db-test.js';

/** Waits, a bounded number of short turns, for a condition another connection brings about. */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 400 && !condition(); turn += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.ok(condition(), what);
}

for (const backend of testBackends()) {
  describe(`content notifications on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    before(async () => {
      handle = await backend.open();
    });
    after(async () => {
      await handle.close();
    });

    it('reach a listener once the writing transaction commits, and not before', async () => {
      const heard: string[] = [];
      const unlisten = await handle.listen(
        'byline_content',
        (p) => heard.push(p),
        () => undefined,
      );
      await handle.db
        .transaction()
        .execute(async (trx) => {
          await notifyContentChanged(trx, articlesChanged(['1']));
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await handle.db
        .transaction()
        .execute((trx) => notifyContentChanged(trx, articlesChanged(['2'])));
      const committed = JSON.stringify(articlesChanged(['2']));
      await eventually(() => heard.includes(committed), 'the committed change is heard');
      assert.ok(!heard.includes(JSON.stringify(articlesChanged(['1']))));
      await unlisten();
    });

    if (backend.name === 'postgres') {
      it('report a gap when the listening connection drops, and listen again', async () => {
        const heard: string[] = [];
        let gaps = 0;
        const unlisten = await handle.listen(
          'byline_content',
          (p) => heard.push(p),
          () => (gaps += 1),
        );
        await sql`select pg_terminate_backend(pid) from pg_stat_activity
                  where application_name = 'byline-listen' and datname = current_database()`.execute(
          handle.db,
        );
        await eventually(() => gaps > 0, 'the lost connection is reported as a gap');
        // Once listening again, a new change is heard: announce until it is.
        const afterGap = JSON.stringify(articlesChanged(['3']));
        for (let turn = 0; turn < 400 && !heard.includes(afterGap); turn += 1) {
          await notifyContentChanged(handle.db, articlesChanged(['3']));
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        assert.ok(heard.includes(afterGap), 'notifications arrive again after reconnecting');
        await unlisten();
      });
    }
  });
}
