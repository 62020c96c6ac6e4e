import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { round } from './bench-report.js';

/**
 * The benchmarks' child processes and temporary folders, and their removal on every way out:
 * return, throw, Ctrl+C or SIGTERM. A server left behind would hold its port and, on PGlite, its
 * data folder's lock, and would skew the next run's figures.
 */

/** How much of a child's output is kept to explain a failure. */
const OUTPUT_KEPT = 16_384;
/** Time a child gets to close its database after SIGTERM before it is killed. */
const STOP_GRACE_MS = 15_000;

export type ExitStatus = { code: number | null; signal: string | null };

export type Child = {
  readonly name: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** Settles once the process has gone (or failed to start). */
  readonly exited: Promise<ExitStatus>;
  hasExited(): boolean;
  /** The last lines the child wrote to stdout and stderr together. */
  output(): string;
};

// Module state, against the house habit, because a signal handler must reach every child and
// folder however deep in a run they were made; it lives and dies with one benchmark process.
const children = new Set<Child>();
const tempFolders = new Set<string>();
const lastWork = new Set<() => Promise<void>>();

/**
 * Work for every way out but SIGKILL, once the children have stopped and the folders are gone:
 * a PostgreSQL database made for the run is dropped this way.
 */
export function atCleanUp(work: () => Promise<void>): void {
  lastWork.add(work);
}

/** Starts `node script args…`; stdout and stderr are always read, so a chatty child never blocks. */
export function spawnNode(
  name: string,
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Child {
  // Detached: a Ctrl+C in the terminal reaches only the benchmark, which then stops each child
  // once, in order, instead of the child hearing both the terminal's SIGINT and our SIGTERM.
  const proc = spawn(process.execPath, [script, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  let gone = false;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const exited = new Promise<ExitStatus>((resolve) => {
    proc.once('exit', (code, signal) => resolve({ code, signal }));
    proc.once('error', (error) => {
      keep(Buffer.from(`${error.message}\n`));
      resolve({ code: null, signal: null });
    });
  });
  const child: Child = {
    name,
    pid: proc.pid ?? -1,
    process: proc,
    exited,
    hasExited: () => gone,
    output: () => output,
  };
  children.add(child);
  void exited.then(() => {
    gone = true;
    children.delete(child);
  });
  return child;
}

/** Resolves with the first match of `pattern` in the child's output; rejects if it exits first. */
export function waitForOutput(
  child: Child,
  pattern: RegExp,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(child.output());
      if (match) finish(() => resolve(match));
    };
    const onExit = () =>
      finish(() =>
        reject(new Error(`${child.name} exited before it was ready:\n${child.output()}`)),
      );
    // A hang guard, not a measurement: a child that never prints its address is broken.
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new Error(
              `${child.name} printed nothing matching ${pattern} in ${timeoutMs} ms:\n${child.output()}`,
            ),
          ),
        ),
      timeoutMs,
    );
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      child.process.stdout?.off('data', check);
      child.process.stderr?.off('data', check);
      child.process.off('exit', onExit);
      settle();
    };
    child.process.stdout?.on('data', check);
    child.process.stderr?.on('data', check);
    child.process.once('exit', onExit);
    check();
  });
}

/** SIGTERM, then SIGKILL if the child has not exited within the grace period. */
export async function stopChild(child: Child): Promise<ExitStatus> {
  if (!child.hasExited()) child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), STOP_GRACE_MS);
  try {
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}

export function makeTempFolder(prefix: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempFolders.add(folder);
  return folder;
}

export function removeTempFolder(folder: string): void {
  fs.rmSync(folder, { recursive: true, force: true });
  tempFolders.delete(folder);
}

/** Peak and current resident memory of a live process, in MiB, from /proc (Linux only). */
export function readMemory(pid: number): { rssMb: number; hwmMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!match?.[1]) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]);
  };
  return { rssMb: round(kib('VmRSS') / 1024, 1), hwmMb: round(kib('VmHWM') / 1024, 1) };
}

/** The machine's busy CPU time, all cores, in clock ticks (USER_HZ: 1/100 s on Linux). */
function machineBusyTicks(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  // Steal is CPU the hypervisor gave to other machines: as much a neighbour as a local process.
  return user + nice + system + irq + softirq + steal;
}

/** User and system CPU time of one process, in clock ticks. */
function processTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and brackets, so fields are counted after the last ')':
  // there, index 0 is field 3 (state), so utime (field 14) and stime (field 15) are 11 and 12.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Watches the CPU that processes other than `pids` use from now on. On a shared machine another
 * program's build or test run takes cores from the servers being compared, and the ratios with
 * them; this says how much, so a noisy run can be told from a slow app.
 */
export function watchOtherCpu(pids: readonly number[]): { otherCores(): number } {
  const ours = () => pids.reduce((sum, pid) => sum + processTicks(pid), 0);
  const start = { at: performance.now(), machine: machineBusyTicks(), ours: ours() };
  return {
    otherCores() {
      const elapsedTicks = (performance.now() - start.at) / 10;
      const other = machineBusyTicks() - start.machine - (ours() - start.ours);
      return round(Math.max(0, other) / elapsedTicks, 2);
    },
  };
}

async function cleanUp(): Promise<void> {
  await Promise.all([...children].map(stopChild));
  for (const folder of tempFolders) removeTempFolder(folder);
  for (const work of [...lastWork]) {
    lastWork.delete(work);
    await work().catch((error: unknown) =>
      process.stderr.write(
        `cleaning up: ${error instanceof Error ? error.message : String(error)}\n`,
      ),
    );
  }
}

/**
 * Runs a benchmark's main function and cleans up after it however it ends. On a signal the
 * in-process load generator may still be running, so the process exits explicitly.
 */
export function runBenchmark(main: () => Promise<number>): void {
  // Last resort when something calls process.exit: no time left for a graceful stop.
  process.once('exit', killEverythingNow);
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second Ctrl+C means "now": the children are detached, so nothing else would end them.
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the servers and removing temporary folders…\n`);
    void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  main()
    .catch((error: unknown) => {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`\nbenchmark failed: ${text}\n`);
      return 1;
    })
    .then(async (code) => {
      await cleanUp();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      process.stderr.write(`cleaning up failed: ${String(error)}\n`);
      process.exitCode = 1;
    });
}

function killEverythingNow(): void {
  for (const child of children) child.process.kill('SIGKILL');
  for (const folder of tempFolders) fs.rmSync(folder, { recursive: true, force: true });
}
