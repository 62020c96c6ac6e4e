#!/usr/bin/env node
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  collectArticleFiles,
  exportArticles,
  ImportError,
  importArticleFiles,
} from './articles/articles.transfer.js';
import type { ArticleDeps } from './articles/articles.service.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { DataDirLockedError } from './db/db-lock.js';
import { MigrationError } from './db/db-migrate.js';
import { AppError } from './http/app-error.js';
import { createLogger, openMigratedDatabase, serve } from './main.js';
import { addStaffAccount, findStaffAccount, issueSetupLink } from './accounts/staff.service.js';

/**
 * `byline serve | migrate | import <file…> | export <folder>`. On PGlite each command takes the
 * data folder's lock, so a command that writes while the server runs refuses at once, naming
 * DATABASE_URL, instead of writing into a database another process owns.
 */

const USAGE = `Usage: byline <command>

Commands:
  serve               start the web server (migrates, loads demo content into an empty database)
  migrate             bring the database schema up to date
  import <file…>      import articles from Markdown files or folders (all or nothing)
  export <folder>     write every article as Markdown into the folder
  user add --email <address> --role <moderator|reporter|editor|admin> [--name <name>]
                      create a staff account; prints its one-time set-up link
  user setup-link --email <address>
                      print a new set-up link (resets the password and authenticator)

Configuration comes from the environment; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
  });
  const [command, ...rest] = positionals;
  if (command === undefined || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return runServe(config);
    case 'migrate':
      return runMigrate(config);
    case 'import':
      return runImport(config, rest);
    case 'export':
      return runExport(config, rest);
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
  process.stdout.write(
    `\nByline is running at ${server.url}/ (${where})\n${notices}\nPress Ctrl+C to stop.\n\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
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

async function runImport(config: Config, paths: string[]): Promise<number> {
  if (paths.length === 0) {
    process.stderr.write('byline import: name one or more Markdown files or folders.\n');
    return 2;
  }
  const files = await collectArticleFiles(paths);
  const results = await withDeps(config, 'byline import', (deps) =>
    importArticleFiles(deps, files),
  );
  for (const r of results) {
    process.stdout.write(`${r.created ? 'created' : 'updated'}  ${r.path}\n`);
    if (r.translationMissing) {
      process.stdout.write(
        `  note: translation "${r.translationMissing}" is not in the database yet; it will be linked when imported\n`,
      );
    }
  }
  process.stdout.write(`Imported ${results.length} article(s).\n`);
  return 0;
}

async function runExport(config: Config, args: string[]): Promise<number> {
  const [folder] = args;
  if (folder === undefined || args.length > 1) {
    process.stderr.write('byline export: name one folder to write into.\n');
    return 2;
  }
  const written = await withDeps(config, 'byline export', (deps) =>
    exportArticles(deps, path.resolve(folder)),
  );
  process.stdout.write(`Exported ${written.length} article(s) to ${path.resolve(folder)}\n`);
  return 0;
}

const STAFF_ROLE_NAMES = ['moderator', 'reporter', 'editor', 'admin'] as const;

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
  const email = options.email;
  const log = createLogger(config);
  const handle = await openMigratedDatabase(config, log, `byline user ${action}`);
  const deps = { db: handle.db, clock: () => new Date() };
  try {
    let accountId: string;
    if (action === 'add') {
      const role = STAFF_ROLE_NAMES.find((r) => r === options.role);
      if (!role) {
        process.stderr.write(
          `byline user add: --role must be one of ${STAFF_ROLE_NAMES.join(', ')}\n`,
        );
        return 2;
      }
      ({ accountId } = await addStaffAccount(deps, { email, role, displayName: options.name }));
      process.stdout.write(`Created ${role} ${email}.\n`);
    } else {
      const found = await findStaffAccount(deps, email);
      if (!found) {
        process.stderr.write(`byline user setup-link: no staff account for ${email}\n`);
        return 1;
      }
      accountId = found.id;
    }
    const link = await issueSetupLink(deps, accountId, config.publicUrl);
    process.stdout.write(
      `One-time set-up link (valid 24 hours; choose a password and add the authenticator):\n  ${link}\n`,
    );
    return 0;
  } finally {
    await handle.close();
  }
}

/** Errors a person can act on are printed as such; anything else is a bug and shows its stack. */
function report(error: unknown): number {
  if (
    error instanceof ConfigError ||
    error instanceof DataDirLockedError ||
    error instanceof ImportError ||
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
    process.exitCode = report(error);
  },
);
