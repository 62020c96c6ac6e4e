import type http from 'node:http';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { buildApp } from './app.js';
import { loadDemoContentOnce } from './articles/articles.transfer.js';
import { ConfigError, type Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/db.js';
import { migrateToLatest } from './db/db-migrate.js';
import { CONTENT_CHANNEL, decodeContentChange } from './db/db-notify.js';
import type { AppDeps } from './deps.js';
import { deleteExpiredFlows } from './accounts/oauth-login.js';
import {
  runStaffCommand,
  staffCommandSchema,
  type CommandOutput,
} from './accounts/staff-commands.js';
import { openControlSocket, type ControlSocket } from './control-socket.js';
import { setMeta } from './db/db-meta.js';
import { deleteExpiredSessions } from './accounts/sessions.js';
import { PageCache } from './http/page-cache.js';
import { EVERYTHING } from './lib/content-change.js';
import { deleteEndedWindows } from './http/rate-limit.js';
import { startScheduler, type Scheduler } from './newsroom/scheduler.js';
import {
  addStaffAccount,
  findStaffAccount,
  issueSetupLink,
  staffExists,
} from './accounts/staff.service.js';

/**
 * The only place that builds real dependencies: config → db → app → listen (docs/ARCHITECTURE.md,
 * Dependency rules).
 */

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
 * password (there is no default password anywhere). Until its owner has set one, every start
 * outside production prints a fresh one-time set-up link.
 */
async function demoAdminNotice(deps: AppDeps, publicUrl: string): Promise<string | undefined> {
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
  const signIn = `${publicUrl}/staff/login`;
  if (account.ready) return `Demo admin: sign in at ${signIn} as ${DEMO_ADMIN_EMAIL}.`;
  const link = await issueSetupLink(deps, account.id, publicUrl);
  return [
    `Demo admin (${DEMO_ADMIN_EMAIL}): open this one-time link to choose its password and add an`,
    `authenticator app, then sign in at ${signIn}:`,
    `  ${link}`,
  ].join('\n');
}

/**
 * What the start-up message says about staff. A demo installation (outside production) gets the
 * demo admin and its link. Production starts quiet: no account is made and no link printed,
 * since every start would replace the link the previous one printed (several processes, each
 * restart); the first admin comes from `byline user add`, which the notice names when there is
 * no staff yet.
 */
async function staffNotice(deps: AppDeps, publicUrl: string): Promise<string | undefined> {
  if (deps.config.env !== 'production') {
    return deps.config.demoContent ? demoAdminNotice(deps, publicUrl) : undefined;
  }
  if (await staffExists(deps)) return undefined;
  return [
    'No staff account yet. Create the first admin, which prints its one-time set-up link:',
    '  npx byline user add --email <address> --role admin',
  ].join('\n');
}

/** The port in use, or an address not on this machine, named with the variable that set it. */
async function listenOrExplain(app: FastifyInstance, config: Config): Promise<void> {
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    const where = `${config.host}:${config.port} (BYLINE_HOST or HOST, BYLINE_PORT or PORT)`;
    if (code === 'EADDRINUSE')
      throw new ConfigError(`Cannot listen on ${where}: another program uses that port.`);
    if (code === 'EACCES')
      throw new ConfigError(`Cannot listen on ${where}: this user may not use that port.`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new ConfigError(`Cannot listen on ${where}: that address is not on this machine.`);
    throw error;
  }
}

/** A command from `byline user …` run beside this server (src/control-socket.ts). */
async function controlCommand(
  deps: AppDeps,
  request: unknown,
  publicUrl: string,
): Promise<CommandOutput | { error: string }> {
  const parsed = staffCommandSchema.safeParse(request);
  if (!parsed.success) return { error: 'not a command this server runs' };
  deps.log.info(
    { command: parsed.data.command, email: parsed.data.email },
    'staff command through the control socket',
  );
  return runStaffCommand(deps, parsed.data, publicUrl);
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
    contentChanged: (change) => cache.apply(change),
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
      (payload) => cache.apply(decodeContentChange(payload, log)),
      () => cache.apply(EVERYTHING),
    );
  } catch (error) {
    await handle.close();
    throw error;
  }
  const notices: string[] = [];
  let app: FastifyInstance | undefined;
  let control: ControlSocket | undefined;
  try {
    const built = await buildApp(deps, { cache, log, listen: (...args) => handle.listen(...args) });
    app = built;
    // Runs after the live streams end and before Fastify closes the listener (see drain).
    built.addHook('preClose', () => stopAccepting(built.server));
    await listenOrExplain(built, config);
    const publicUrl = config.publicUrlGiven
      ? config.publicUrl
      : `http://localhost:${portOf(built)}`;
    // The command line builds its set-up links on this when not told BYLINE_PUBLIC_URL itself;
    // a server that cannot record it still serves (the command line then uses its own guess).
    await setMeta(deps.db, 'server_public_url', publicUrl).catch((error: unknown) =>
      log.warn({ err: error }, 'could not record the public address for the command line'),
    );
    const notice = await staffNotice(deps, publicUrl);
    if (notice) notices.push(notice);
    if (config.database.kind === 'pglite') {
      // Without it the site still serves; `byline user …` then asks for the server to be stopped.
      const dataDir = config.database.dataDir;
      control = await openControlSocket(
        dataDir,
        (request) => controlCommand(deps, request, publicUrl),
        log,
      ).catch((error: unknown) => {
        log.warn(
          { err: error, dataDir },
          'no control socket: byline user needs the server stopped',
        );
        return undefined;
      });
    }
  } catch (error) {
    // A start that fails must end the process: an open database (and its folder lock) or a
    // listening app left behind would keep it alive, deaf, holding the data folder.
    await app
      ?.close()
      .catch((closeError: unknown) => log.warn({ err: closeError }, 'closing a failed start'));
    await handle.close();
    throw error;
  }
  const listening = app;
  const port = portOf(listening);
  const tick = setInterval(() => {
    housekeeping(deps).catch((error: unknown) => log.warn({ err: error }, 'housekeeping failed'));
  }, HOUSEKEEPING_MS);
  tick.unref();
  // Started once the app listens, so the catch-up after downtime runs in a process that serves.
  const scheduler: Scheduler | undefined = config.scheduler ? startScheduler(deps) : undefined;
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
        // Before the database closes: a publication in progress commits or rolls back whole.
        await scheduler?.stop();
        await control?.close();
        await drain(listening, config.shutdownGraceSeconds, log);
        await handle.close();
      })();
      return closing;
    },
  };
}

/** The port listened on: the configured one, or the one chosen for port 0. */
function portOf(app: FastifyInstance): number {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
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
