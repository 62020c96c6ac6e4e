import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { acquireFolderLock, DataDirLockedError } from './db-lock.js';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function lockFile(dir: string): { pid: number; purpose: string } {
  return JSON.parse(fs.readFileSync(path.join(dir, 'byline.lock'), 'utf8')) as {
    pid: number;
    purpose: string;
  };
}

describe('the data folder lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-lock-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second owner at once, naming DATABASE_URL', () => {
    const lock = acquireFolderLock(dir, 'byline serve');
    assert.throws(
      () => acquireFolderLock(dir, 'byline import'),
      (error) =>
        error instanceof DataDirLockedError &&
        /DATABASE_URL/.test(error.message) &&
        error.holder.pid === process.pid,
    );
    lock.release();
  });

  it('can be taken again once released', () => {
    acquireFolderLock(dir, 'first').release();
    const second = acquireFolderLock(dir, 'second');
    assert.equal(lockFile(dir).purpose, 'second');
    second.release();
    assert.equal(fs.existsSync(path.join(dir, 'byline.lock')), false);
  });

  it('takes over a stale lock left by a killed process', () => {
    fs.writeFileSync(
      path.join(dir, 'byline.lock'),
      JSON.stringify({
        pid: deadPid(),
        host: os.hostname(),
        purpose: 'byline serve',
        since: 'then',
      }),
    );
    const lock = acquireFolderLock(dir, 'byline serve');
    assert.equal(lockFile(dir).pid, process.pid);
    lock.release();
  });

  it('takes over a lock its writer died before finishing', () => {
    fs.writeFileSync(path.join(dir, 'byline.lock'), '{"pid": 12');
    acquireFolderLock(dir, 'byline serve').release();
  });

  it('refuses while another process is mid-takeover', () => {
    fs.writeFileSync(
      path.join(dir, 'byline.lock'),
      JSON.stringify({ pid: deadPid(), host: os.hostname(), purpose: 'x', since: 'then' }),
    );
    fs.mkdirSync(path.join(dir, 'byline.lock.takeover'));
    assert.throws(() => acquireFolderLock(dir, 'byline serve'), DataDirLockedError);
  });

  it('never removes a lock that another process holds now', () => {
    const lock = acquireFolderLock(dir, 'mine');
    const other = { pid: process.ppid, host: os.hostname(), purpose: 'theirs', since: 'now' };
    fs.writeFileSync(path.join(dir, 'byline.lock'), JSON.stringify(other));
    lock.release();
    assert.equal(lockFile(dir).purpose, 'theirs');
  });
});
