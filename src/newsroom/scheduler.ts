import { processName, publishDue, type NewsroomDeps } from './newsroom.service.js';
import { databaseClock } from './scheduler.queries.js';

/**
 * The runner that puts scheduled stories live at their minute (docs/decisions/0015). Every app
 * process runs one: exactly once comes from the conditional update inside publishDue, so the
 * runners need not know of each other; SKIP LOCKED only spares them the same work.
 */

/** Timers, passed in so a test can fire the next wake-up itself instead of waiting a minute. */
export type SchedulerTimers = {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export type SchedulerOptions = {
  /** Names this process in the publication record; host and pid unless told. */
  process?: string;
  /** Stories published per publishDue call; the runner calls again while a call fills it. */
  batch?: number;
  timers?: SchedulerTimers;
};

export type Scheduler = {
  /** Resolves once a run in progress has finished; no run starts after it is called. */
  stop(): Promise<void>;
};

/**
 * Past the minute so that a story due at 17:25:00.000 is due by the clock publishDue reads: a
 * timer may fire a millisecond early, and the story would wait a whole minute more.
 */
export const WAKE_AFTER_MINUTE_MS = 50;

/** More than this between the process's clock and the database's is worth a warning at start. */
export const CLOCK_SKEW_WARN_MS = 2_000;

const realTimers: SchedulerTimers = {
  setTimeout(run, ms) {
    // Unref'd: the server's listener keeps the process alive, never the scheduler's timer.
    return setTimeout(run, ms).unref();
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/** Milliseconds from `now` to the next whole minute, plus WAKE_AFTER_MINUTE_MS. */
export function msToNextMinute(now: Date): number {
  return 60_000 - (now.getTime() % 60_000) + WAKE_AFTER_MINUTE_MS;
}

/**
 * Publishes what is due at once (the catch-up after the process, or every process, was down),
 * then on each whole minute of `deps.clock`. A run that throws is logged; the next minute tries
 * again. Runs never overlap in one process: a run still going at the next minute (a backlog
 * after downtime) simply makes that wake-up wait for it.
 */
export function startScheduler(deps: NewsroomDeps, options: SchedulerOptions = {}): Scheduler {
  const timers = options.timers ?? realTimers;
  const label = options.process ?? processName();
  const batch = options.batch ?? 100;
  // A batch of 0 would publish nothing and count as full, for ever.
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`batch must be 1 or more: ${batch}`);
  let stopped = false;
  let timer: unknown;
  let running: Promise<void> | undefined;

  const drain = async (): Promise<void> => {
    let total = 0;
    // A full batch may leave more due behind it: a catch-up after downtime can be hundreds.
    for (;;) {
      const published = await publishDue(deps, { process: label, limit: batch });
      total += published.length;
      if (published.length < batch || stopped) break;
    }
    if (total > 0)
      deps.log.info({ published: total, process: label }, 'scheduled stories published');
  };

  const run = (): Promise<void> => {
    running ??= drain()
      .catch((error: unknown) => {
        deps.log.error(
          { err: error, process: label },
          'the scheduler run failed; next minute retries',
        );
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const wake = (): void => {
    if (stopped) return;
    timer = timers.setTimeout(() => {
      void run().then(wake);
    }, msToNextMinute(deps.clock()));
  };

  const clockChecked = checkClock(deps);
  void run().then(wake);

  return {
    async stop() {
      stopped = true;
      timers.clearTimeout(timer);
      await Promise.all([running, clockChecked]);
    },
  };
}

/**
 * Processes decide "due" and "embargo over" by their own clocks; one that is off by seconds
 * publishes early or late by as much. Said once at start, where an operator reads it.
 */
async function checkClock(deps: NewsroomDeps): Promise<void> {
  try {
    const before = deps.clock().getTime();
    const database = (await databaseClock(deps.db)).getTime();
    const after = deps.clock().getTime();
    const skewMs = database - (before + after) / 2;
    if (Math.abs(skewMs) > CLOCK_SKEW_WARN_MS) {
      deps.log.warn(
        { skewMs: Math.round(skewMs) },
        "this process's clock differs from the database's: scheduled stories go live by this one",
      );
    }
  } catch (error) {
    deps.log.warn({ err: error }, "could not compare this process's clock with the database's");
  }
}
