import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One process owns a PGlite folder. PGlite has no lock of its own, and a second writer's commits
 * are silently lost (docs/ARCHITECTURE.md, Storage; ADR 2), so we take one: an exclusively created
 * file naming our pid.
 *
 * A lock whose process is gone (kill -9, power loss) is stale and is taken over. The takeover is
 * itself guarded by an atomically created directory, so two processes that both found the same
 * stale lock cannot both win: the second one to hold the guard re-reads the lock and finds the
 * first one's live pid.
 */

export type LockHolder = { pid: number; host: string; purpose: string; since: string };

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The data folder ${dir} is in use by another Byline process (pid ${holder.pid}, ` +
        `${holder.purpose}, since ${holder.since}). The embedded database allows one process ` +
        `only: stop that process first, or run several processes against one PostgreSQL server ` +
        `by setting DATABASE_URL.`,
    );
  }
}

export type FolderLock = { release(): void };

const LOCK_FILE = 'byline.lock';
const GUARD_DIR = 'byline.lock.takeover';
/** A takeover guard older than this was left by a process that died mid-takeover. */
const GUARD_STALE_MS = 10_000;

export function acquireFolderLock(dir: string, purpose: string): FolderLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const me: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    purpose,
    since: new Date().toISOString(),
  };

  if (!tryCreate(file, me)) {
    withTakeoverGuard(dir, () => {
      // Re-read under the guard: another process may have taken over since we looked.
      const holder = readHolder(file);
      if (holder && isAlive(holder)) throw new DataDirLockedError(dir, holder);
      fs.rmSync(file, { force: true });
    });
    if (!tryCreate(file, me)) {
      const holder = readHolder(file);
      throw new DataDirLockedError(dir, holder ?? { ...me, pid: -1, purpose: 'unknown' });
    }
  }

  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Only remove the file if it is still ours; never delete a lock another process now holds.
    const holder = readHolder(file);
    if (holder?.pid === process.pid && holder.host === me.host) fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { release };
}

function tryCreate(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw error;
  }
  try {
    fs.writeSync(fd, JSON.stringify(holder));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function readHolder(file: string): LockHolder | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string') {
      return {
        pid: value.pid,
        host: value.host,
        purpose: value.purpose ?? 'unknown',
        since: value.since ?? 'unknown',
      };
    }
  } catch {
    // A half-written lock (the writer died between open and write) is treated as stale below.
  }
  return { pid: -1, host: os.hostname(), purpose: 'unreadable lock', since: 'unknown' };
}

function isAlive(holder: LockHolder): boolean {
  // A lock from another host cannot be checked from here: a shared network folder is not a
  // supported place for PGlite data, so we refuse rather than guess.
  if (holder.host !== os.hostname()) return true;
  if (holder.pid <= 0) return false;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM means the process exists but belongs to someone else: it is alive.
    return isErrno(error, 'EPERM');
  }
  // The pid is taken; after a reboot it may belong to an unrelated program. On Linux we can tell.
  try {
    return fs.readFileSync(`/proc/${holder.pid}/cmdline`, 'utf8').includes('node');
  } catch {
    return true;
  }
}

function withTakeoverGuard(dir: string, fn: () => void): void {
  const guard = path.join(dir, GUARD_DIR);
  try {
    fs.mkdirSync(guard);
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
    const age = Date.now() - fs.statSync(guard).mtimeMs;
    if (age < GUARD_STALE_MS) {
      throw new DataDirLockedError(dir, {
        pid: -1,
        host: os.hostname(),
        purpose: 'another process is taking over a stale lock',
        since: 'now',
      });
    }
    fs.rmSync(guard, { recursive: true, force: true });
    fs.mkdirSync(guard);
  }
  try {
    fn();
  } finally {
    fs.rmSync(guard, { recursive: true, force: true });
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
