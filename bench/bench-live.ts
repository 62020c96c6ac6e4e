import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RunningApp } from './bench-app.js';
import type { CommentPoster, Posters } from './bench-comments.js';
import { median, round } from './bench-report.js';
import type { SeededArticle } from './generate-comments.js';

/**
 * comment-live: browsers holding an article's live stream open (server-sent events), and the
 * time from a reader sending a comment to the last of them having it.
 */

/** A hang guard for one live comment, not a measurement. */
const LIVE_TIMEOUT_MS = 15_000;

export type LiveResult = {
  listeners: number;
  comments: number;
  /** From sending the POST to the last listener's receipt of the comment, in ms. */
  p50Ms: number;
  p99Ms: number;
  /** The same to the first listener's receipt. */
  firstP50Ms: number;
};

type Listener = { request: http.ClientRequest; ready: Promise<void> };

/**
 * `listeners` browsers on the live stream of the posting article; `comments` posts one after
 * another, each through HTTP by a new reader, each timed until every listener has it.
 */
export async function measureLive(
  app: RunningApp,
  article: SeededArticle,
  poster: CommentPoster,
  posters: Posters,
  settings: { listeners: number; comments: number },
): Promise<LiveResult> {
  const arrivals = new Map<string, number[]>();
  let waiting: { id: string; resolve: () => void } | undefined;
  const arrived = (id: string) => {
    const times = arrivals.get(id) ?? [];
    times.push(performance.now());
    arrivals.set(id, times);
    if (waiting?.id === id && times.length === settings.listeners) waiting.resolve();
  };
  const url = `${app.url}/articles/${article.id}/comments/live`;
  const listeners = Array.from({ length: settings.listeners }, (_, i) =>
    listen(url, browserAddress(i), arrived),
  );
  try {
    await Promise.all(listeners.map((l) => l.ready));
    const last: number[] = [];
    const first: number[] = [];
    for (let i = 0; i < settings.comments; i += 1) {
      const sent = performance.now();
      const id = await poster.post(app.url, posters);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`live comment ${id}: not with every listener after ${LIVE_TIMEOUT_MS} ms`),
            ),
          LIVE_TIMEOUT_MS,
        );
        const done = () => {
          clearTimeout(timer);
          waiting = undefined;
          resolve();
        };
        waiting = { id, resolve: done };
        if ((arrivals.get(id)?.length ?? 0) === settings.listeners) done();
      });
      const times = arrivals.get(id) ?? [];
      last.push(Math.max(...times) - sent);
      first.push(Math.min(...times) - sent);
      arrivals.delete(id);
    }
    last.sort((a, b) => a - b);
    return {
      listeners: settings.listeners,
      comments: settings.comments,
      p50Ms: round(median(last), 1),
      // The nearest-rank 99th percentile: of 200 times, the 198th.
      p99Ms: round(last[Math.ceil(last.length * 0.99) - 1] ?? Number.NaN, 1),
      firstP50Ms: round(median(first), 1),
    };
  } finally {
    for (const listener of listeners) listener.request.destroy();
  }
}

/**
 * Browsers come from addresses of their own, as readers do: the app lets one address hold only
 * a few streams (BYLINE_LIVE_STREAMS_PER_CLIENT). Linux answers all of 127.0.0.0/8 locally.
 */
function browserAddress(index: number): string {
  return `127.0.${1 + Math.floor(index / 250)}.${1 + (index % 250)}`;
}

/** One browser's EventSource: reports the id of every `comment` event as it arrives. */
function listen(url: string, localAddress: string, onComment: (id: string) => void): Listener {
  let request!: http.ClientRequest;
  const ready = new Promise<void>((resolve, reject) => {
    // No agent: a connection of its own, as each browser has.
    request = http.get(
      url,
      { agent: false, localAddress, headers: { accept: 'text/event-stream' } },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`GET ${url} answered ${response.statusCode ?? '?'}`));
          response.resume();
          return;
        }
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (chunk: string) => {
          // The stream starts with `retry:`, written after the subscription: from then on, ready.
          resolve();
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (!/^event: comment$/m.test(block)) continue;
            const id = /^id: (\d+)$/m.exec(block)?.[1];
            if (id !== undefined) onComment(id);
          }
        });
      },
    );
    request.on('error', reject);
  });
  // A listener destroyed at the end rejects nothing anyone waits for.
  ready.catch(() => undefined);
  return { request, ready };
}
