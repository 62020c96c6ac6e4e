import { pino, type Logger } from 'pino';
import { buildApp } from './app.js';
import { loadDemoContentOnce } from './articles/articles.transfer.js';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/db.js';
import { migrateToLatest } from './db/db-migrate.js';
import { CONTENT_CHANNEL } from './db/db-notify.js';
import type { AppDeps } from './deps.js';
import { PageCache } from './http/page-cache.js';

/** The only place that builds real dependencies: config → db → app → listen (STYLE.md). */

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, base: { app: 'byline' } });
}

/** Opens the configured database, brought up to date, for the server and the CLI alike. */
export async function openMigratedDatabase(
  config: Config,
  log: Logger,
  purpose: string,
): Promise<DatabaseHandle> {
  const handle = await openDatabase(config.database, { log, purpose });
  try {
    await migrateToLatest(handle.db);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

export type Server = { url: string; close(): Promise<void> };

export async function serve(config: Config, log = createLogger(config)): Promise<Server> {
  const started = process.hrtime.bigint();
  const handle = await openMigratedDatabase(config, log, 'byline serve');
  const cache = new PageCache(config.pageCache);
  const deps: AppDeps = {
    db: handle.db,
    config,
    log,
    clock: () => new Date(),
    contentChanged: () => cache.clear(),
  };
  try {
    if (config.demoContent) {
      const loaded = await loadDemoContentOnce(deps);
      if (loaded.length > 0)
        log.info({ articles: loaded.length }, 'demo content loaded into the empty database');
    }
    // Changes made by other processes (another app process, `byline import` on PostgreSQL) reach
    // this one's cache here; a lost connection may have hidden some, so it also clears.
    await handle.listen(
      CONTENT_CHANNEL,
      () => cache.clear(),
      () => cache.clear(),
    );
  } catch (error) {
    await handle.close();
    throw error;
  }
  const app = await buildApp(deps, { cache, log });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
  const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  log.info({ startupMs: Math.round(startupMs), rssMb, database: handle.kind }, 'byline started');
  let closing: Promise<void> | undefined;
  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    close() {
      closing ??= (async () => {
        await app.close();
        await handle.close();
      })();
      return closing;
    },
  };
}
