import { Migrator, type Kysely, type Migration, type MigrationResult } from 'kysely';
import * as m0001 from '../../migrations/0001-content.js';
import * as m0002 from '../../migrations/0002-accounts.js';
import * as m0003 from '../../migrations/0003-policy.js';
import * as m0004 from '../../migrations/0004-comments.js';
import * as m0005 from '../../migrations/0005-moderation.js';
import * as m0006 from '../../migrations/0006-site-pages.js';
import * as m0007 from '../../migrations/0007-article-translations.js';
import * as m0008 from '../../migrations/0008-board-name-ko.js';
import * as m0009 from '../../migrations/0009-comment-area.js';
import * as m0010 from '../../migrations/0010-newsroom.js';

/**
 * The list of migrations, in order. A static list rather than a folder scan: it works the same
 * under tsx and in the compiled build, and a migration cannot be skipped by a missing file.
 */
const migrations: Record<string, Migration> = {
  '0001-content': m0001,
  '0002-accounts': m0002,
  '0003-policy': m0003,
  '0004-comments': m0004,
  '0005-moderation': m0005,
  '0006-site-pages': m0006,
  '0007-article-translations': m0007,
  '0008-board-name-ko': m0008,
  '0009-comment-area': m0009,
  '0010-newsroom': m0010,
};

/** This build's migrations, oldest first: what a database migrated by it has applied. */
export function migrationNames(): string[] {
  return Object.keys(migrations);
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

// Migrations see the database as it was when they were written, not as Database types say.
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const reason = error instanceof Error ? error.message : JSON.stringify(error);
    throw new MigrationError(`Migration ${failed} failed: ${reason}`, { cause: error });
  }
  return results ?? [];
}
