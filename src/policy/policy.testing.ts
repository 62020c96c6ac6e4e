import type { DatabaseHandle } from '../db/db.js';

/** Back to the database as migrated: policy version 1 only, no acceptances, no accounts. */
export async function resetPolicy(handle: DatabaseHandle): Promise<void> {
  await handle.db.deleteFrom('policy_acceptances').execute();
  await handle.db.deleteFrom('policy_clauses').where('version', '>', 1).execute();
  await handle.db.deleteFrom('policy_versions').where('version', '>', 1).execute();
  await handle.db.deleteFrom('sessions').execute();
  await handle.db.deleteFrom('accounts').execute();
}
