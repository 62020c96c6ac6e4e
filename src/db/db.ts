import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { acquireFolderLock, type FolderLock } from './db-lock.js';
import { preparingPool } from './db-prepared.js';
import type { Database } from './db-schema.js';

/**
 * One SQL dialect over two backends (docs/ARCHITECTURE.md, Storage): Kysely's PostgresDialect on a
 * pg.Pool, whose connections go either to a PostgreSQL server or, through PGlite's own
 * node-postgres adapter, into the embedded PGlite. Both return the same JS types (int8 as string).
 */

export type DatabaseTarget =
  { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

export type Unlisten = () => Promise<void>;

export interface DatabaseHandle {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Kysely<Database>;
  /**
   * Calls onMessage for every NOTIFY on the channel, from any process on the same database.
   * onGap is called when messages may have been missed (a lost connection), so that a listener
   * keeping derived state can drop it.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onGap: () => void,
  ): Promise<Unlisten>;
  close(): Promise<void>;
}

export type OpenOptions = { log: Logger; purpose: string };

export async function openDatabase(
  target: DatabaseTarget,
  options: OpenOptions,
): Promise<DatabaseHandle> {
  return target.kind === 'pglite'
    ? openPglite(target.dataDir, options)
    : openPostgres(target.url, options);
}

/** The PGlite cluster lives in a subfolder, so the data folder can hold our lock and outbox. */
export function pgliteFolder(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

async function openPglite(dataDir: string, { log, purpose }: OpenOptions): Promise<DatabaseHandle> {
  const lock: FolderLock = acquireFolderLock(dataDir, purpose);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(pgliteFolder(dataDir), { extensions: { pg_trgm } });
  } catch (error) {
    lock.release();
    throw error;
  }
  return wrapPglite(pglite, log, () => lock.release());
}

/** Wraps an open PGlite (also the in-memory ones tests make) as a DatabaseHandle. */
export function wrapPglite(
  pglite: PGlite,
  log: Logger,
  onClose: () => void = () => undefined,
): DatabaseHandle {
  // PGlite is one backend in this process: the adapter's pool has exactly one connection, so a
  // transaction holds it and every other query waits its turn.
  const pool = new pg.Pool(createPgConfig(pglite));
  pool.on('error', (error) => log.error({ err: error }, 'database pool error'));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  return {
    kind: 'pglite',
    db,
    async listen(channel, onMessage) {
      const unlisten = await pglite.listen(channel, onMessage);
      return () => unlisten();
    },
    async close() {
      await db.destroy();
      await pglite.close();
      onClose();
    },
  };
}

function openPostgres(url: string, { log }: OpenOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    application_name: 'byline',
    // A runaway query must not hold a connection forever (docs/SECURITY.md, item 27).
    statement_timeout: 15_000,
    connectionTimeoutMillis: 5_000,
  });
  // Without this handler an idle client's error (a server restart) kills the process (R3).
  pool.on('error', (error) => log.error({ err: error }, 'database pool error'));
  // The pool listens only to idle clients. A client checked out between two statements of a
  // transaction, when its connection is cut (pg_terminate_backend, a failover), emits 'error'
  // with nobody listening, which kills the process (found by R5). Logged here; the next
  // statement on it fails, the transaction's caller answers 503, and the pool drops the client.
  pool.on('connect', (client) => {
    client.on('error', (error) => log.warn({ err: error }, 'database connection lost in use'));
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  const listeners = new Set<PostgresListener>();
  return {
    kind: 'postgres',
    db,
    async listen(channel, onMessage, onGap) {
      const listener = new PostgresListener(url, channel, onMessage, onGap, log);
      listeners.add(listener);
      await listener.start();
      return async () => {
        listeners.delete(listener);
        await listener.stop();
      };
    },
    async close() {
      await Promise.all([...listeners].map((l) => l.stop()));
      await db.destroy();
    },
  };
}

/**
 * LISTEN needs a connection of its own that stays open. When it drops, notifications sent in
 * the meantime are lost, so we report a gap and reconnect with a growing delay.
 */
class PostgresListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retryMs = 250;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onMessage: (payload: string) => void,
    private readonly onGap: () => void,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'byline-listen' });
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.onMessage(message.payload ?? '');
    });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.log.warn({ err: error, channel: this.channel }, 'listen connection lost');
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
    this.client = client;
    this.retryMs = 250;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.timer) return;
    this.onGap();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start().catch((error: unknown) => {
        this.log.warn({ err: error, channel: this.channel }, 'listen reconnect failed');
        this.retryMs = Math.min(this.retryMs * 2, 10_000);
        this.scheduleReconnect();
      });
    }, this.retryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    if (client) await client.end();
  }
}

/**
 * node-postgres reports a server it lost or cannot reach with plain Errors, without SQLSTATE or
 * errno, so their messages are the only sign. The one R3 found: a server restarted mid-transaction
 * fails the statement, then Kysely's rollback on the dead connection throws "not queryable",
 * which replaces the first error; it was answered 500.
 */
const CONNECTION_LOST_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'timeout exceeded when trying to connect',
];

/** Whether an error says the database connection was lost or could not be made. */
export function isConnectionLost(error: unknown): boolean {
  return (
    error instanceof Error &&
    CONNECTION_LOST_MESSAGES.some((message) => error.message.startsWith(message))
  );
}

/** Answers when the database does: the readiness probe's question. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
