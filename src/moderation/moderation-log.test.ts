import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import { appendLog } from './moderation-log.queries.js';

/**
 * The audit log is append-only in the database itself (migration 0005's triggers), not merely by
 * the app's habit: a decision is undone by another entry, never by editing or removing one.
 */

/** The database's refusal, as the trigger raises it on either backend. */
function refusedAsAppendOnly(error: unknown): boolean {
  assert.ok(error instanceof Error, String(error));
  assert.match(error.message, /moderation_log is append-only/);
  // SQLSTATE insufficient_privilege, which the trigger raises.
  assert.equal('code' in error ? error.code : undefined, '42501');
  return true;
}

for (const backend of testBackends()) {
  describe(`moderation log on ${backend.name}`, () => {
    let handle: DatabaseHandle;

    before(async () => {
      handle = await backend.open();
    });
    after(async () => {
      await handle.close();
    });

    async function allRows() {
      return handle.db.selectFrom('moderation_log').selectAll().orderBy('id').execute();
    }

    it('refuses to update, delete or truncate its entries, and keeps them as they were', async () => {
      await appendLog(handle.db, {
        at: new Date('2026-11-03T10:00:00+09:00'),
        action: 'comment_rejected',
        actorId: '11',
        commentId: '21',
        articleId: '31',
        accountId: '41',
        policyVersion: 1,
        clauses: [2, 3],
        note: '욕설이 포함된 댓글',
        fromState: 'published',
        toState: 'hidden',
      });
      await appendLog(handle.db, {
        at: new Date('2026-11-04T10:00:00+09:00'),
        action: 'appeal_filed',
        actorId: '41',
        commentId: '21',
      });
      const before = await allRows();
      assert.equal(before.length, 2);

      await assert.rejects(
        handle.db.updateTable('moderation_log').set({ note: '고친 기록' }).execute(),
        refusedAsAppendOnly,
      );
      await assert.rejects(
        handle.db.deleteFrom('moderation_log').where('action', '=', 'appeal_filed').execute(),
        refusedAsAppendOnly,
      );
      await assert.rejects(sql`truncate moderation_log`.execute(handle.db), refusedAsAppendOnly);

      assert.deepEqual(await allRows(), before);
    });

    it('refuses a change inside a transaction too, and the transaction rolls back whole', async () => {
      const before = await allRows();
      await assert.rejects(
        handle.db.transaction().execute(async (trx) => {
          await appendLog(trx, {
            at: new Date('2026-11-05T10:00:00+09:00'),
            action: 'reader_warned',
            actorId: '11',
            accountId: '41',
          });
          await trx.deleteFrom('moderation_log').execute();
        }),
        refusedAsAppendOnly,
      );
      assert.deepEqual(await allRows(), before);
    });
  });
}
