import type { FastifyInstance, FastifyReply } from 'fastify';
import { cookieNames } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import { route, type RouteRequest } from '../http/route.js';
import { rowId } from '../http/schemas.js';
import { LANGUAGES, editionPrefix, type Language } from '../lib/language.js';
import { hasAcceptedCurrentPolicy } from '../policy/policy.service.js';
import {
  COMMENT_TAGS,
  commentHtml,
  permissionsOf,
  type CommentRoutesDeps,
} from './comments-http.js';
import { ClientStreams, CommentStream, sseEvent, type LiveSubscriber } from './comments.live.js';
import type { CommentRow } from './comments.queries.js';
import { articleAddress } from './comments.schemas.js';
import { findThread, listPublishedSince, type Thread } from './comments.service.js';
import { liveCommentWire } from './comments.wire.js';

/**
 * An article's comments, live, as server-sent events (comments.live.ts holds the hub). The hub
 * and the count of streams per client address live as long as the app: made here once, for
 * both editions' routes, and ended before the app closes.
 */

/** A browser listening for new comments, with what its copy of a comment needs. */
type LiveListener = LiveSubscriber & {
  csrfToken: string | null;
  threadOpen: boolean;
  policyVersion: number | null;
};

type Live = Readonly<{
  routes: CommentRoutesDeps;
  stream: CommentStream<LiveListener>;
  clients: ClientStreams;
  render: (comment: CommentRow, listener: LiveListener) => string;
}>;

const liveSchema = {
  params: articleAddress,
  summary: "An article's new comments and vote counts, as server-sent events",
  tags: COMMENT_TAGS,
};

/** A stream being opened: who asks, the reply to hijack, and the thread they listen to. */
type LiveOpening = Readonly<{
  request: RouteRequest<'public', typeof liveSchema>;
  reply: FastifyReply;
  language: Language;
  thread: Thread;
}>;

export async function registerLiveCommentRoutes(
  app: FastifyInstance,
  routes: CommentRoutesDeps,
): Promise<void> {
  const { deps, pages, services } = routes;
  const render = (comment: CommentRow, listener: LiveListener): string =>
    commentHtml(
      pages.bareContext(listener.language),
      comment,
      permissionsOf(deps, {
        csrfToken: listener.csrfToken,
        viewerId: listener.accountId,
        threadOpen: listener.threadOpen,
        policyVersion: listener.policyVersion,
      }),
    );
  // Anonymous readers of one edition see the same fragment: rendered once for all of them.
  const stream = new CommentStream<LiveListener>(deps, render, services.articleChanged, (s) =>
    s.accountId === null ? `anonymous:${s.language}` : undefined,
  );
  if (services.listen) {
    await services.listen(
      'byline_comments',
      (payload) => {
        stream
          .receive(payload)
          .catch((error: unknown) => deps.log.warn({ err: error }, 'live comment delivery failed'));
      },
      () => deps.log.warn('live comments: notifications may have been missed'),
    );
  }
  // Before the listener closes: a stopping server waits for open connections, and a stream
  // stays open until it is ended.
  app.addHook('preClose', (done) => {
    stream.close();
    done();
  });
  const live: Live = {
    routes,
    stream,
    clients: new ClientStreams(deps.config.comments.liveStreamsPerClient),
    render,
  };
  for (const language of LANGUAGES) registerLiveRoute(app, live, language);
}

function registerLiveRoute(app: FastifyInstance, live: Live, language: Language): void {
  route(
    app,
    {
      method: 'GET',
      url: `${editionPrefix(language)}/articles/:articleId/comments/live`,
      access: 'public',
      schema: liveSchema,
    },
    async (request, reply) => {
      const { articleId } = request.params;
      const thread = await findThread(live.routes.deps, articleId);
      if (!thread) throw new AppError('NOT_FOUND', `article ${articleId}`);
      // HEAD learns that the stream exists, and holds nothing open.
      if (request.method === 'HEAD')
        return reply.header('cache-control', 'no-store').type('text/event-stream').send();
      return openStream(live, { request, reply, language, thread });
    },
  );
}

async function openStream(live: Live, open: LiveOpening): Promise<void> {
  const { request, reply } = open;
  // Counted before any await, so concurrent connections cannot all pass the check.
  const client = request.ip;
  const release = live.clients.take(client);
  if (!release)
    throw new AppError('TOO_MANY_REQUESTS', `live streams of ${client}`, {
      retryAfterSeconds: 60,
    });
  let listener: LiveListener;
  try {
    listener = await listenerFor(live, open);
  } catch (error) {
    release();
    throw error;
  }
  const unsubscribe = live.stream.subscribe(listener);
  if (!unsubscribe) {
    release();
    throw new AppError('SERVICE_UNAVAILABLE', 'too many live listeners');
  }
  const raw = reply.raw;
  // Proxies close quiet connections: a comment line every 25 s keeps this one open.
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 25_000);
  heartbeat.unref();
  raw.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    release();
  });
  reply.hijack();
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    // When the stream ends (the process stops), so does its connection: the browser's
    // reconnect opens a new one, which a load balancer sends to another process.
    connection: 'close',
  });
  raw.write('retry: 5000\n\n');
  await sendMissed(live, listener, request.headers['last-event-id']);
}

/** Who is listening: a reply form in a live comment asks for the policy until they accept it. */
async function listenerFor(live: Live, open: LiveOpening): Promise<LiveListener> {
  const { deps } = live.routes;
  const { request, reply, language, thread } = open;
  const viewer = request.viewer;
  const policy = viewer ? await hasAcceptedCurrentPolicy(deps, viewer.accountId) : undefined;
  const raw = reply.raw;
  return {
    articleId: request.params.articleId,
    language,
    accountId: viewer?.accountId ?? null,
    csrfToken: viewer ? (request.cookies[cookieNames(deps.config).csrf] ?? null) : null,
    threadOpen: thread.open,
    policyVersion: policy && !policy.accepted ? policy.version : null,
    write: (chunk: string) => void raw.write(chunk),
    end: () => raw.end(),
  };
}

/**
 * A browser that reconnects names the last comment it saw: send what it missed meanwhile,
 * replies included. It is already subscribed, so a comment may come twice; the page keeps one
 * (it skips an id it has).
 */
async function sendMissed(live: Live, listener: LiveListener, lastEventId: unknown) {
  const lastId = rowId.safeParse(lastEventId);
  if (!lastId.success) return;
  const { deps } = live.routes;
  const { articleId } = listener;
  const missed = await listPublishedSince(deps, { articleId, afterId: lastId.data, limit: 50 });
  for (const comment of missed.comments) {
    const html = live.render(comment, listener);
    listener.write(sseEvent('comment', comment.id, liveCommentWire(comment, missed.count, html)));
  }
}
