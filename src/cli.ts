#!/usr/bin/env node
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  collectArticleFiles,
  describeChange,
  exportArticles,
  ExportError,
  ImportError,
  importArticleFiles,
  ImportReplaceError,
} from './articles/articles.transfer.js';
import type { ArticleDeps } from './articles/articles.service.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { BackupError, checkArchive } from './db/backup-archive.js';
import { backupDatabase, checkMigrations, restoreDatabase } from './db/backup.js';
import { openDatabase, pgliteFolder, type DatabaseHandle } from './db/db.js';
import { DataDirLockedError } from './db/db-lock.js';
import { MigrationError, migrationNames } from './db/db-migrate.js';
import { AppError } from './http/app-error.js';
import { createLogger, openMigratedDatabase, serve } from './main.js';
import {
  runStaffCommand,
  STAFF_ROLE_NAMES,
  type CommandOutput,
  type StaffCommand,
} from './accounts/staff-commands.js';
import { sendControlRequest } from './control-socket.js';
import { findMeta } from './db/db-meta.js';
import { z } from 'zod';

/**
 * `byline serve | migrate | import <file…> | export <folder>`. On PGlite each command takes the
 * data folder's lock, so a command that writes while the server runs refuses at once, naming
 * DATABASE_URL, instead of writing into a database another process owns.
 */

const USAGE = `Usage: byline <command>

Commands:
  serve               start the web server (migrates, loads demo content into an empty database
                      outside production)
  migrate             bring the database schema up to date
  import [--replace] <file…>
                      import articles from Markdown files or folders (all or nothing);
                      --replace lets a file replace an article already there, and says how
  export [--force] <folder>
                      write every article as Markdown into the folder; --force overwrites
                      files an earlier export left there
  backup <file>       write the whole database to a new gzip'd archive (stop the server first
                      on the embedded database; PostgreSQL backs up while serving)
  restore <file>      load an archive into an empty database, PGlite or PostgreSQL (all or
                      nothing; every table's row hash is checked)
  user add --email <address> --role <moderator|reporter|editor|admin> [--name <name>]
                      create a staff account; prints its one-time set-up link (while serve
                      runs on the embedded database, the server itself runs the command)
  user setup-link --email <address>
                      print a new set-up link (resets the password and authenticator)

Configuration comes from the environment; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      replace: { type: 'boolean' },
      force: { type: 'boolean' },
    },
  });
  const [command, ...rest] = positionals;
  if (command === undefined || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  const config = loadConfig();
  for (const warning of config.warnings) process.stderr.write(`byline: warning: ${warning}\n`);
  switch (command) {
    case 'serve':
      return runServe(config);
    case 'migrate':
      return runMigrate(config);
    case 'import':
      return runImport(config, rest, { replace: values.replace === true });
    case 'export':
      return runExport(config, rest, { force: values.force === true });
    case 'backup':
      return runBackup(config, rest);
    case 'restore':
      return runRestore(config, rest);
    case 'user':
      return runUser(config, rest, values);
    default:
      process.stderr.write(`Unknown command: ${command}\n\n${USAGE}\n`);
      return 2;
  }
}

async function runServe(config: Config): Promise<number> {
  const server = await serve(config);
  const where =
    config.database.kind === 'pglite'
      ? `embedded database in ${config.database.dataDir}`
      : 'PostgreSQL';
  const notices = server.notices.map((notice) => `\n${notice}\n`).join('');
  // Listening for the signal before saying so: a supervisor may send it as soon as it reads this.
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    const stop = (received: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(received);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stdout.write(
    `\nByline is running at ${server.url}/ (${where})\n${notices}\nPress Ctrl+C to stop.\n\n`,
  );
  const signal = await stopped;
  // The first signal drains (main.ts, up to BYLINE_SHUTDOWN_GRACE_SECONDS); a second one is a
  // person or a supervisor who will not wait, so the process exits as it stands, answers cut.
  const force = (again: NodeJS.Signals) => {
    process.stderr.write(`byline: ${again} again: stopping at once, requests in progress cut\n`);
    process.exit(128 + os.constants.signals[again]);
  };
  process.on('SIGINT', force);
  process.on('SIGTERM', force);
  process.stdout.write(
    `${signal}: stopping once the requests in progress are answered (Ctrl+C again to force).\n`,
  );
  await server.close();
  process.off('SIGINT', force);
  process.off('SIGTERM', force);
  return 0;
}

async function runMigrate(config: Config): Promise<number> {
  const log = createLogger(config);
  const handle = await openMigratedDatabase(config, log, 'byline migrate');
  await handle.close();
  process.stdout.write('The database schema is up to date.\n');
  return 0;
}

async function withDeps<T>(
  config: Config,
  purpose: string,
  fn: (deps: ArticleDeps) => Promise<T>,
): Promise<T> {
  const log = createLogger(config);
  const handle = await openMigratedDatabase(config, log, purpose);
  try {
    // No page cache lives in a CLI process; servers on PostgreSQL hear of the change by NOTIFY.
    return await fn({
      db: handle.db,
      config,
      clock: () => new Date(),
      contentChanged: () => undefined,
    });
  } finally {
    await handle.close();
  }
}

async function runImport(
  config: Config,
  paths: string[],
  options: { replace: boolean },
): Promise<number> {
  if (paths.length === 0) {
    process.stderr.write('byline import: name one or more Markdown files or folders.\n');
    return 2;
  }
  const files = await collectArticleFiles(paths);
  const results = await withDeps(config, 'byline import', (deps) =>
    importArticleFiles(deps, files, options),
  );
  for (const r of results) {
    process.stdout.write(`${r.outcome}  ${r.path}\n`);
    if (r.change) process.stdout.write(`${describeChange(r.change).slice(1).join('\n')}\n`);
    if (r.translationMissing) {
      process.stdout.write(
        `  note: translation "${r.translationMissing}" is not in the database yet; it will be linked when imported\n`,
      );
    }
  }
  process.stdout.write(`Imported ${results.length} article(s).\n`);
  return 0;
}

async function runExport(
  config: Config,
  args: string[],
  options: { force: boolean },
): Promise<number> {
  const [folder] = args;
  if (folder === undefined || args.length > 1) {
    process.stderr.write('byline export: name one folder to write into.\n');
    return 2;
  }
  const written = await withDeps(config, 'byline export', (deps) =>
    exportArticles(deps, path.resolve(folder), options),
  );
  process.stdout.write(`Exported ${written.length} article(s) to ${path.resolve(folder)}\n`);
  return 0;
}

/**
 * On PGlite a backup or restore opens the data folder, so the server must be stopped first: say
 * so, rather than only naming DATABASE_URL as the lock's own message does.
 */
async function openForBackup(
  config: Config,
  command: 'backup' | 'restore',
): Promise<DatabaseHandle | undefined> {
  const log = createLogger(config);
  try {
    return command === 'backup'
      ? await openDatabase(config.database, { log, purpose: 'byline backup' })
      : await openMigratedDatabase(config, log, 'byline restore');
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    process.stderr.write(
      `byline ${command}: ${error.message}\nThe embedded database (PGlite) is single-process: ` +
        `stop the server, then run byline ${command} again. A PostgreSQL deployment ` +
        `(DATABASE_URL) can back up while it runs.\n`,
    );
    return undefined;
  }
}

async function runBackup(config: Config, args: string[]): Promise<number> {
  const [file] = args;
  if (file === undefined || args.length > 1) {
    process.stderr.write('byline backup: name one file to write, e.g. byline-backup.jsonl.gz\n');
    return 2;
  }
  const target = path.resolve(file);
  if (fs.existsSync(target)) {
    process.stderr.write(`byline backup: ${target} exists already; name a new file.\n`);
    return 2;
  }
  // Opening a folder with no database would create one, only to find nothing to back up.
  const { database } = config;
  if (database.kind === 'pglite' && !fs.existsSync(pgliteFolder(database.dataDir))) {
    process.stderr.write(`byline backup: no embedded database in ${database.dataDir}.\n`);
    return 2;
  }
  const started = performance.now();
  const handle = await openForBackup(config, 'backup');
  if (!handle) return 1;
  try {
    const done = await backupDatabase(handle, target);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const mb = (done.bytes / 1024 / 1024).toFixed(1);
    process.stdout.write(
      `Backed up ${done.tables} tables, ${done.rows} rows to ${target} (${mb} MB) in ${seconds} s.\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    process.stderr.write(`byline backup: ${error.message}\n`);
    return 2;
  } finally {
    await handle.close();
  }
}

async function runRestore(config: Config, args: string[]): Promise<number> {
  const [file] = args;
  if (file === undefined || args.length > 1) {
    process.stderr.write('byline restore: name one archive made by byline backup.\n');
    return 2;
  }
  const source = path.resolve(file);
  const started = performance.now();
  let handle: DatabaseHandle | undefined;
  try {
    // The whole file is read, and its migrations compared with this build's, before the database
    // is opened: a damaged archive, or one from a newer Byline, is refused without creating a
    // data folder or migrating anything.
    const header = await checkArchive(source);
    checkMigrations(source, header.migrations, migrationNames());
    handle = await openForBackup(config, 'restore');
    if (!handle) return 1;
    const done = await restoreDatabase(handle.db, source);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `Restored ${done.tables} tables, ${done.rows} rows from ${source} in ${seconds} s; row hashes identical.\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    process.stderr.write(`byline restore: ${error.message}\n`);
    return 2;
  } finally {
    await handle?.close();
  }
}

/**
 * `byline user add | setup-link`. On the embedded database a running server holds the data
 * folder, so the command goes to that server through its control socket and the link carries the
 * server's own address; with no server, or on PostgreSQL, the command opens the database itself.
 */
async function runUser(
  config: Config,
  args: string[],
  options: { email?: string | undefined; role?: string | undefined; name?: string | undefined },
): Promise<number> {
  const [action] = args;
  if (!options.email || (action !== 'add' && action !== 'setup-link') || args.length > 1) {
    process.stderr.write(`byline user: see usage.\n\n${USAGE}\n`);
    return 2;
  }
  let command: StaffCommand;
  if (action === 'add') {
    const role = STAFF_ROLE_NAMES.find((r) => r === options.role);
    if (!role) {
      process.stderr.write(
        `byline user add: --role must be one of ${STAFF_ROLE_NAMES.join(', ')}\n`,
      );
      return 2;
    }
    command = {
      command: 'user add',
      email: options.email,
      role,
      ...(options.name === undefined ? {} : { name: options.name }),
    };
  } else {
    command = { command: 'user setup-link', email: options.email };
  }
  const log = createLogger(config);
  let handle: DatabaseHandle;
  try {
    handle = await openMigratedDatabase(config, log, `byline ${command.command}`);
  } catch (error) {
    if (!(error instanceof DataDirLockedError) || config.database.kind !== 'pglite') throw error;
    return viaRunningServer(config.database.dataDir, command, error);
  }
  try {
    const deps = { db: handle.db, clock: () => new Date() };
    // Told nothing, the link takes the address the last server to start recorded: a server on
    // port 8080 must not be handed a link to port 3000.
    const publicUrl = config.publicUrlGiven
      ? config.publicUrl
      : ((await findMeta(handle.db, 'server_public_url')) ?? config.publicUrl);
    return print(await runStaffCommand(deps, command, publicUrl));
  } finally {
    await handle.close();
  }
}

async function viaRunningServer(
  dataDir: string,
  command: StaffCommand,
  locked: DataDirLockedError,
): Promise<number> {
  const answer = await sendControlRequest(dataDir, command);
  const parsed = commandOutputSchema.safeParse(answer);
  if (parsed.success) return print(parsed.data);
  process.stderr.write(
    `byline ${command.command}: ${locked.message}\n` +
      (answer === undefined
        ? 'That process does not take commands (it is not byline serve, or an older one): stop ' +
          `it, then run byline ${command.command} again.\n`
        : `The server refused the command: ${JSON.stringify(answer)}\n`),
  );
  return 1;
}

const commandOutputSchema = z.object({
  exitCode: z.number().int().min(0).max(255),
  stdout: z.string(),
  stderr: z.string(),
});

function print(output: CommandOutput): number {
  process.stdout.write(output.stdout);
  process.stderr.write(output.stderr);
  return output.exitCode;
}

/** Errors a person can act on are printed as such; anything else is a bug and shows its stack. */
function report(error: unknown): number {
  // A file the import or export refuses is the person's input to fix, like a wrong argument.
  if (
    error instanceof ImportError ||
    error instanceof ImportReplaceError ||
    error instanceof ExportError
  ) {
    process.stderr.write(`byline: ${error.message}\n`);
    return 2;
  }
  if (
    error instanceof ConfigError ||
    error instanceof DataDirLockedError ||
    error instanceof MigrationError
  ) {
    process.stderr.write(`byline: ${error.message}\n`);
    return 1;
  }
  if (error instanceof AppError) {
    process.stderr.write(`byline: ${error.code}: ${error.message}\n`);
    return 1;
  }
  if (
    error instanceof Error &&
    'code' in error &&
    (error.code === 'ENOENT' || error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
  ) {
    process.stderr.write(`byline: ${error.message}\n`);
    return 2;
  }
  process.stderr.write(
    `byline: unexpected error\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Exit now rather than when the event loop empties: whatever a failed command left open
    // (a timer, a socket) must not keep a process alive that serves nothing.
    process.exit(report(error));
  },
);
