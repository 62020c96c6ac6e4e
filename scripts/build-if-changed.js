// `npm start` runs this first: it compiles only when the sources changed since the last build.
// A full `tsc` run costs 9–18 s on a busy 2-core machine even when nothing changed (it must load
// and check the whole program to learn that), while hashing the sources takes a few milliseconds.
//
// Plain JavaScript on purpose: it runs before anything is compiled, with no loader.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** What `tsc -p tsconfig.build.json` reads; a change in any of them may change dist/. */
const INPUT_DIRS = ['src', 'migrations', 'bench'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
const STAMP = path.join(root, 'dist', '.sources-hash');
/** The file `npm start` runs: if it is missing, the stamp is not to be believed. */
const ENTRY = path.join(root, 'dist', 'src', 'cli.js');

function listFiles(dir) {
  const found = [];
  const walk = (folder) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) found.push(full);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return found;
}

/** One hash over every input's path and content: a removed, renamed or edited file changes it. */
function sourcesHash() {
  const files = [
    ...INPUT_DIRS.flatMap((dir) => listFiles(path.join(root, dir))),
    ...INPUT_FILES.map((file) => path.join(root, file)).filter((file) => fs.existsSync(file)),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(root, file));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function readStamp() {
  try {
    return fs.readFileSync(STAMP, 'utf8').trim();
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

const started = performance.now();
// Hashed before compiling: a file saved while tsc runs makes the next start compile again.
const current = sourcesHash();
if (current === readStamp() && fs.existsSync(ENTRY)) {
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`byline: the build is up to date (sources checked in ${ms} ms)\n`);
} else {
  process.stdout.write('byline: sources changed since the last build: compiling (tsc)…\n');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    process.stderr.write('byline: the build failed; nothing was started.\n');
    process.exit(result.status ?? 1);
  }
  fs.writeFileSync(STAMP, `${current}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`byline: compiled in ${seconds} s\n`);
}
