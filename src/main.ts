import type http from 'node:http';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { buildApp } from './app.js';
import { loadDemoContentOnce } from './articles/articles.transfer.js';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/db.js';
import { migrateToLatest } from './db/db-migrate.js';
import { CONTENT_CHANNEL } from './db/db-notify.js';
import type { AppDeps } from './deps.js';
import { deleteExpiredFlows } from './accounts/oauth-login.js';
import { deleteExpiredSessions } from './accounts/sessions.js';
import { PageCache } from './http/page-cache.js';
import { deleteEndedWindows } from './http/rate-limit.js';
import {
  addStaffAccount,
  findStaffAccount,
  issueSetupLink,
  staffExists,
} from './accounts/staff.service.js';

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

/** What the person who started the server should read: how to sign in as the demo admin. */
export type Server = { url: string; notices: string[]; close(): Promise<void> };

export const DEMO_ADMIN_EMAIL = 'admin@example.com';

/**
 * The demo admin of a demo installation: created on the first start with no staff, with no
 * password (there is no default password anywhere, SECURITY.md item 11). Until its owner has set
 * one, every start prints a fresh one-time set-up link.
 */
async function demoAdminNotice(deps: AppDeps): Promise<string | undefined> {
  let account = await findStaffAccount(deps, DEMO_ADMIN_EMAIL);
  if (!account) {
    if (await staffExists(deps)) return undefined;
    const created = await addStaffAccount(deps, {
      email: DEMO_ADMIN_EMAIL,
      role: 'admin',
      displayName: 'Demo Admin',
    });
    account = { id: created.accountId, role: 'admin', ready: false };
  }
  const signIn = `${deps.config.publicUrl}/staff/login`;
  if (account.ready) return `Demo admin: sign in at ${signIn} as ${DEMO_ADMIN_EMAIL}.`;
  const link = await issueSetupLink(deps, account.id, deps.config.publicUrl);
  return [
    `Demo admin (${DEMO_ADMIN_EMAIL}): open this one-time link to choose its password and add an`,
    `authenticator app, then sign in at ${signIn}:`,
    `  ${link}`,
  ].join('\n');
}

/** Housekeeping: ended sessions, abandoned logins and old rate-limit windows are deleted. */
const HOUSEKEEPING_MS = 10 * 60 * 1000;

async function housekeeping(deps: AppDeps): Promise<void> {
  await deleteExpiredSessions(deps);
  await deleteExpiredFlows(deps);
  await deleteEndedWindows(deps);
}

export async function serve(config: Config, log = createLogger(config)): Promise<Server> {
  const started = process.hrtime.bigint();
  const handle = await openMigratedDatabase(config, log, 'byline serve');
  const cache = new PageCache(config.pageCache, { maxBytes: config.pageCacheMaxBytes });
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
  const notices: string[] = [];
  try {
    if (config.demoContent) {
      const notice = await demoAdminNotice(deps);
      if (notice) notices.push(notice);
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  const app = await buildApp(deps, { cache, log, listen: (...args) => handle.listen(...args) });
  // Runs after the live streams end and before Fastify closes the listener (see drain).
  app.addHook('preClose', () => stopAccepting(app.server));
  const tick = setInterval(() => {
    housekeeping(deps).catch((error: unknown) => log.warn({ err: error }, 'housekeeping failed'));
  }, HOUSEKEEPING_MS);
  tick.unref();
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
  const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  log.info({ startupMs: Math.round(startupMs), rssMb, database: handle.kind }, 'byline started');
  let closing: Promise<void> | undefined;
  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    notices,
    close() {
      closing ??= (async () => {
        clearInterval(tick);
        await drain(app, config.shutdownGraceSeconds, log);
        await handle.close();
      })();
      return closing;
    },
  };
}

/** How long a stop leaves idle keep-alive connections open for one more request (see below). */
const QUIET_MS = 500;
const QUIET_CHECK_MS = 25;

/**
 * Closes the listener but no connection. Node's http.Server#close would also cut every idle
 * keep-alive connection at once, and to Node a connection is idle while its client's next
 * request still waits unread in the socket: that client gets a reset for a request it sent (R9
 * counted 31 of 32 under load). net.Server#close only stops accepting. Busy connections then
 * close themselves after their next answer (app.tsx marks every answer of a stopping app
 * `Connection: close`); what is still idle after QUIET_MS is quiet indeed, and Fastify's own
 * close cuts it.
 */
async function stopAccepting(server: http.Server): Promise<void> {
  net.Server.prototype.close.call(server);
  for (let waited = 0; waited < QUIET_MS; waited += QUIET_CHECK_MS) {
    if ((await openConnections(server)) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, QUIET_CHECK_MS));
  }
}

function openConnections(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

/**
 * Stops the app as a load balancer expects (R9): the listener closes, idle connections close,
 * requests in progress are answered, live streams end (app.tsx and the comments feature say
 * how). A client that never finishes its request must not hold the process forever: at the
 * grace deadline whatever is still open is cut, and the log says how much.
 */
async function drain(app: FastifyInstance, graceSeconds: number, log: Logger): Promise<void> {
  const started = process.hrtime.bigint();
  log.info({ graceSeconds }, 'stopping: answering the requests in progress');
  const deadline = setTimeout(() => {
    app.server.getConnections((error, connections) => {
      log.warn(
        { err: error ?? undefined, connections, graceSeconds },
        'shutdown grace period over: cutting the connections left open',
      );
      app.server.closeAllConnections();
    });
  }, graceSeconds * 1000);
  try {
    await app.close();
  } finally {
    clearTimeout(deadline);
  }
  log.info({ drainMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6) }, 'drained');
}
