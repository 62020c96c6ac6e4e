import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Request } from 'autocannon';
import { startBareServer, type RunningApp, type RunningServer } from './bench-app.js';
import { median, round } from './bench-report.js';
import type { SeededArticle, SeededComments } from './generate-comments.js';
import { commentText } from './generate-comment-text.js';
import { createRandom } from './generate-text.js';

/**
 * What the comment scenarios need beyond a page: readers who post through HTTP, as the enhanced
 * form does (session and CSRF cookies, `Sec-Fetch-Site`, `Accept: application/json`), and
 * browsers holding the live stream open. The data comes from generate-comments.ts.
 */

/** The app runs on http://localhost, so its cookies carry no `__Host-` prefix (access.ts). */
const SESSION_COOKIE = 'byline_session';
const CSRF_COOKIE = 'byline_csrf';
/** One post in this many replies to a top-level comment of the posting article. */
const REPLY_EVERY = 5;
/** Texts the posts take in turn; only the same reader repeating one would be refused. */
const TEXTS = 120;
/** A hang guard for one live comment, not a measurement. */
const LIVE_TIMEOUT_MS = 15_000;

export function readSeeded(file: string): SeededComments {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SeededComments;
}

/**
 * Readers in the order they post. Each has posted nothing, so under the default limits (one
 * comment per reader per 15 s, 20 per article per day) each may post once at once. Going round
 * a second time would answer 429s, which the run reports as failures.
 */
export class Posters {
  private nextIndex = 0;
  constructor(private readonly tokens: readonly string[]) {}

  get used(): number {
    return this.nextIndex;
  }

  next(): string {
    const token = this.tokens[this.nextIndex % this.tokens.length];
    this.nextIndex += 1;
    if (token === undefined) throw new Error('no readers to post with');
    return token;
  }
}

export type CommentPoster = {
  /** The enhanced form's answer to one post: its status and bytes, as the bare server sends. */
  sample: { status: number; contentType: string; body: Buffer };
  path: string;
  /** The requests for autocannon: each takes the next reader of `posters`. */
  requests(posters: Posters): Request[];
  /** Posts one comment now, with the next reader; answers its id. */
  post(appUrl: string, posters: Posters): Promise<string>;
};

/** Posting on the seeded article; the first post checks the set-up and gives the sample. */
export async function commentPoster(
  app: RunningApp,
  data: SeededComments,
  posters: Posters,
  maxLength: number,
): Promise<CommentPoster> {
  const csrf = randomBytes(32).toString('base64url');
  const texts = Array.from({ length: TEXTS }, (_, i) =>
    commentText(i % 2 === 0 ? 'ko' : 'en', createRandom(1, 21, i), maxLength),
  );
  const article = data.articles.posting;
  const pathname = `/articles/${article.id}/comments`;
  const headers = {
    accept: 'application/json',
    'content-type': 'application/x-www-form-urlencoded',
    'sec-fetch-site': 'same-origin',
  };
  let count = 0;
  const nextPost = (posters: Posters) => {
    count += 1;
    const form = new URLSearchParams({ _csrf: csrf, body: texts[count % TEXTS] ?? '' });
    const root = data.postingRoots[count % data.postingRoots.length];
    if (count % REPLY_EVERY === 0 && root !== undefined) form.set('parentId', root);
    return {
      headers: {
        ...headers,
        cookie: `${SESSION_COOKIE}=${posters.next()}; ${CSRF_COOKIE}=${csrf}`,
      },
      body: form.toString(),
    };
  };
  const post = async (appUrl: string, posters: Posters) => {
    const { headers: sent, body } = nextPost(posters);
    const response = await fetch(`${appUrl}${pathname}`, { method: 'POST', headers: sent, body });
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.status !== 201)
      throw new Error(`POST ${pathname} answered ${response.status}: ${bytes.toString('utf8')}`);
    const answer = JSON.parse(bytes.toString('utf8')) as { comment: { id: string } };
    return { id: answer.comment.id, bytes, contentType: response.headers.get('content-type') };
  };
  const first = await post(app.url, posters);
  return {
    sample: {
      status: 201,
      contentType: first.contentType ?? 'application/json',
      body: first.bytes,
    },
    path: pathname,
    requests: (readers) => [
      {
        method: 'POST',
        path: pathname,
        setupRequest: (request) => ({ ...request, ...nextPost(readers) }),
      },
    ],
    post: async (appUrl, readers) => (await post(appUrl, readers)).id,
  };
}

/** A bare server answering every request with the sample post's bytes. */
export async function startBarePoster(
  folder: string,
  poster: CommentPoster,
): Promise<RunningServer> {
  const file = path.join(folder, 'comment-post.json');
  fs.writeFileSync(file, poster.sample.body);
  return startBareServer(file, poster.sample.contentType);
}

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
  const listeners = Array.from({ length: settings.listeners }, () => listen(url, arrived));
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
      p99Ms: round(last[Math.min(last.length - 1, Math.ceil(last.length * 0.99) - 1)] ?? NaN, 1),
      firstP50Ms: round(median(first), 1),
    };
  } finally {
    for (const listener of listeners) listener.request.destroy();
  }
}

/** One browser's EventSource: reports the id of every `comment` event as it arrives. */
function listen(url: string, onComment: (id: string) => void): Listener {
  let request!: http.ClientRequest;
  const ready = new Promise<void>((resolve, reject) => {
    // No agent: a connection of its own, as each browser has.
    request = http.get(
      url,
      { agent: false, headers: { accept: 'text/event-stream' } },
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
