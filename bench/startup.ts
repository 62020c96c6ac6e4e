import path from 'node:path';
import { startApp } from './bench-app.js';
import {
  makeTempFolder,
  readMemory,
  removeTempFolder,
  runBenchmark,
  stopChild,
} from './bench-process.js';
import { markdownTable, median, round, writeResults } from './bench-report.js';

/**
 * Start-up of `byline serve` on PGlite: the first start on an empty data folder (creates the
 * database, migrates, loads the demo articles) and a restart on the same folder. Each is timed
 * from spawn to the first 200 on /readyz, with the process's memory read at that moment. Three
 * rounds, a fresh folder each; the median and the range are reported, nothing is asserted.
 */

const ROUNDS = 3;

type Phase = 'first-start' | 'restart';

type Sample = { phase: Phase; round: number; ready_ms: number; rss_mb: number; hwm_mb: number };

type Spread = { median: number; min: number; max: number };
type Summary = { phase: Phase; ready_ms: Spread; rss_mb: Spread; hwm_mb: Spread };

async function startAndMeasure(dataDir: string, phase: Phase, roundNo: number): Promise<Sample> {
  const app = await startApp({ dataDir, pageCache: true, databaseUrl: undefined });
  // Read before anything else happens in the child: this is its memory as it becomes ready.
  const { rssMb, hwmMb } = readMemory(app.child.pid);
  const exit = await stopChild(app.child);
  if (exit.code !== 0) {
    process.stderr.write(
      `\n!!! ${phase} ${roundNo}: byline serve exited with ${exit.code ?? exit.signal ?? 'nothing'} after SIGTERM\n${app.child.output()}\n`,
    );
  }
  const sample = {
    phase,
    round: roundNo,
    ready_ms: Math.round(app.readyMs),
    rss_mb: rssMb,
    hwm_mb: hwmMb,
  };
  process.stderr.write(
    `${phase} ${roundNo}: ready in ${sample.ready_ms} ms, VmRSS ${rssMb} MB, VmHWM ${hwmMb} MB\n`,
  );
  return sample;
}

function spread(values: readonly number[]): Spread {
  return { median: round(median(values), 1), min: Math.min(...values), max: Math.max(...values) };
}

function summarise(samples: readonly Sample[], phase: Phase): Summary {
  const of = samples.filter((s) => s.phase === phase);
  return {
    phase,
    ready_ms: spread(of.map((s) => s.ready_ms)),
    rss_mb: spread(of.map((s) => s.rss_mb)),
    hwm_mb: spread(of.map((s) => s.hwm_mb)),
  };
}

function printSummary(summary: readonly Summary[]): void {
  const cell = (s: Spread) => `${s.median} (${s.min}–${s.max})`;
  const headers = ['phase', 'ready ms, median (range)', 'VmRSS MB at ready', 'VmHWM MB at ready'];
  const rows = summary.map((s) => [s.phase, cell(s.ready_ms), cell(s.rss_mb), cell(s.hwm_mb)]);
  process.stdout.write(
    `\nbyline serve on PGlite, ${ROUNDS} rounds\n\n${markdownTable(headers, rows)}\n\n`,
  );
}

async function main(): Promise<number> {
  const samples: Sample[] = [];
  for (let r = 1; r <= ROUNDS; r += 1) {
    const temp = makeTempFolder('byline-startup-');
    const dataDir = path.join(temp, 'data');
    samples.push(await startAndMeasure(dataDir, 'first-start', r));
    samples.push(await startAndMeasure(dataDir, 'restart', r));
    removeTempFolder(temp);
  }
  const summary = [summarise(samples, 'first-start'), summarise(samples, 'restart')];
  printSummary(summary);
  process.stdout.write(
    `written to ${writeResults('startup.json', { rounds: ROUNDS, summary, samples })}\n`,
  );
  return 0;
}

runBenchmark(main);
