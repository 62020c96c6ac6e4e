import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database } from './db/db-schema.js';
import type { ContentChange } from './lib/content-change.js';

/**
 * What use cases are given (CONTRIBUTING.md, habit 5): built once in main.ts, or by a test with a test
 * database and a fixed clock. No module keeps state of its own.
 */
export type AppDeps = {
  readonly db: Kysely<Database>;
  readonly config: Config;
  readonly log: Logger;
  readonly clock: () => Date;
  /**
   * Told after a committed change to what readers see, in this process, at once, with what it
   * changed. Other processes hear of it through the database (db-notify.ts).
   */
  readonly contentChanged: (change: ContentChange) => void;
};
