import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Request } from 'autocannon';
import { loadConfig } from '../src/config.js';
import { startBareServer, type RunningApp, type RunningServer } from './bench-app.js';
import { measureLive } from './bench-live.js';
import {
  measureScenario,
  progress,
  warnIfNoisy,
  type MeasureOptions,
  type Measured,
} from './bench-measure.js';
import type { Targets } from './bench-pages.js';
import { readMemory, stopChild, watchOtherCpu } from './bench-process.js';
import type { SeededComments } from './generate-comments.js';
import { commentText } from './generate-comment-text.js';
import { createRandom } from './generate-text.js';

/**
 * The comment scenarios: a thread's first page measured like any page, and readers who post
 * through HTTP as the enhanced form does (session and CSRF cookies, `Sec-Fetch-Site`, `Accept:
 * application/json`), under load or one by one to browsers on the live stream (bench-live.ts).
 * Their threads, readers and sessions come from generate-comments.ts.
 */

/** The app runs on http://localhost, so its cookies carry no `__Host-` prefix (access.ts). */
const SESSION_COOKIE = 'byline_session';
const CSRF_COOKIE = 'byline_csrf';
/** One post in this many replies to a top-level comment of the posting article. */
const REPLY_EVERY = 5;
/** Texts the posts take in turn; only the same reader repeating one would be refused. */
const TEXTS = 120;

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

  next(): string {
    const token = this.tokens[this.nextIndex % this.tokens.length];
    this.nextIndex += 1;
    if (token === undefined) throw new Error('no readers to post with');
    return token;
  }
}

export type CommentPoster = {
  /** The enhanced form's answer to one post (201), whose bytes the bare server sends. */
  sample: { contentType: string; body: Buffer };
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
    sample: { contentType: first.contentType ?? 'application/json', body: first.bytes },
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

export type CommentScenario = 'first-page' | 'first-page-10' | 'post' | 'live';

/** comment-live: browsers on one article's stream, and comments posted one after another. */
export const LIVE = { listeners: 100, comments: 200 };

export type CommentRun = {
  app: RunningApp;
  seeded: SeededComments;
  posters: Posters;
  targets: Targets;
  temp: string;
  measure: MeasureOptions;
};

/** The thread pages as GETs like the other pages, posting with many readers, the live stream. */
export async function measureComments(
  scenario: { name: string; comments: CommentScenario },
  { app, seeded, posters, targets, temp, measure }: CommentRun,
): Promise<Measured> {
  const { articles } = seeded;
  const maxLength = loadConfig({}).commentMaxLength;
  switch (scenario.comments) {
    case 'first-page':
    case 'first-page-10': {
      // The HTML thread page, newest first, as a reader without a session asks for it.
      const article = scenario.comments === 'first-page' ? articles.big : articles.small;
      const pathname = `/articles/${article.id}/comments`;
      const { bare } = await targets.forPath(scenario.name, pathname, app);
      return measureScenario(scenario.name, { path: pathname, bare }, app, measure);
    }
    case 'post': {
      const poster = await commentPoster(app, seeded, posters, maxLength);
      const bare = await startBarePoster(temp, poster);
      try {
        const requests = (server: 'bare' | 'app') =>
          // The bare server ignores who posts: it gets readers of its own, the app the shared ones.
          poster.requests(server === 'app' ? posters : new Posters(seeded.tokens));
        return await measureScenario(
          scenario.name,
          { path: poster.path, bare, requests },
          app,
          measure,
        );
      } finally {
        await stopChild(bare.child);
      }
    }
    case 'live':
      return measureLiveScenario(scenario.name, { app, seeded, posters, measure }, maxLength);
  }
}

async function measureLiveScenario(
  name: string,
  { app, seeded, posters, measure }: Pick<CommentRun, 'app' | 'seeded' | 'posters' | 'measure'>,
  maxLength: number,
): Promise<Measured> {
  progress(`${name}: ${LIVE.listeners} listeners, ${LIVE.comments} comments…`);
  const poster = await commentPoster(app, seeded, posters, maxLength);
  const watch = watchOtherCpu([process.pid, app.child.pid]);
  const live = await measureLive(app, seeded.articles.posting, poster, posters, LIVE);
  const otherCores = watch.otherCores();
  warnIfNoisy(name, otherCores, measure.database);
  return {
    clean: true,
    result: {
      scenario: name,
      rps: null,
      p50_ms: live.p50Ms,
      p99_ms: live.p99Ms,
      bare_rps: null,
      ratio: null,
      rss_mb: readMemory(app.child.pid).hwmMb,
      db: measure.database,
      non2xx: 0,
      errors: 0,
      other_cores: otherCores,
      listeners: live.listeners,
      comments: live.comments,
      first_p50_ms: live.firstP50Ms,
    },
  };
}
