import type { Language } from '../lib/language.js';
import type { CommentDeps } from './comments.service.js';
import { commentCount, findComment } from './comments.service.js';
import type { CommentNotice, CommentRow } from './comments.queries.js';
import { liveCommentWire, liveVotesWire } from './comments.wire.js';

/**
 * New comments and vote counts, live: every app process LISTENs on the comments channel (the
 * database delivers each NOTIFY to all of them once the writing transaction commits), and each
 * pushes what it hears to the browsers it holds open as server-sent events. A process that posted
 * a comment hears of it the same way as the others, so there is one path, tested across two
 * processes.
 */

export type LiveMessage = CommentNotice;

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Parses a NOTIFY payload; anything else on the channel is ignored, not trusted. */
export function parseLiveMessage(payload: string): LiveMessage | undefined {
  try {
    const value = JSON.parse(payload) as {
      a?: unknown;
      c?: unknown;
      k?: unknown;
      u?: unknown;
      d?: unknown;
    };
    if (typeof value.a !== 'string' || typeof value.c !== 'string') return undefined;
    if (value.k === 'posted' || value.k === 'changed')
      return { articleId: value.a, commentId: value.c, kind: value.k };
    if (value.k === 'voted' && isCount(value.u) && isCount(value.d))
      return { articleId: value.a, commentId: value.c, kind: 'voted', up: value.u, down: value.d };
  } catch {
    // Not JSON: not ours. The caller logs nothing for it; there is nothing to recover.
  }
  return undefined;
}

export type LiveSubscriber = {
  readonly articleId: string;
  readonly language: Language;
  readonly accountId: string | null;
  /** Writes one event; the stream's owner closes it when the browser goes. */
  write(chunk: string): void;
  end(): void;
};

/** Renders a comment as the subscriber's browser shows it (the route supplies the view). */
export type LiveRenderer<S extends LiveSubscriber> = (comment: CommentRow, subscriber: S) => string;

/**
 * One event. Only a new comment carries an id: the browser sends back the last id it saw when it
 * reconnects, to be sent the comments it missed, so an event without one (a vote's new counts)
 * leaves that id alone.
 */
export function sseEvent(event: string, id: string | undefined, data: unknown): string {
  // JSON has no raw newlines, so the data is one `data:` line.
  const idLine = id === undefined ? '' : `id: ${id}\n`;
  return `${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** After a stop, EventSource waits this long, plus up to the spread, before it reconnects. */
const RECONNECT_MS = 1_000;
const RECONNECT_SPREAD_MS = 4_000;

/** The last words of a stream whose process stops: a comment, and when to reconnect. */
function sseStopping(spread: number): string {
  return `: stopping\nretry: ${RECONNECT_MS + Math.floor(spread * RECONNECT_SPREAD_MS)}\n\n`;
}

export class CommentStream<S extends LiveSubscriber = LiveSubscriber> {
  private readonly subscribers = new Map<string, Set<S>>();
  private size = 0;

  constructor(
    private readonly deps: CommentDeps,
    private readonly render: LiveRenderer<S>,
    /** Told of every change to an article's comments (the page cache drops that page). */
    private readonly onChange: (articleId: string) => void,
    /**
     * Subscribers with the same key see the same fragment (anonymous readers of one edition), so
     * it is rendered once per comment for all of them; undefined renders for that one alone.
     */
    private readonly shareKey: (subscriber: S) => string | undefined = () => undefined,
    readonly maxSubscribers = 10_000,
  ) {}

  get count(): number {
    return this.size;
  }

  /** Adds a browser; returns how to remove it, or undefined when the process holds too many. */
  subscribe(subscriber: S): (() => void) | undefined {
    if (this.size >= this.maxSubscribers) return undefined;
    const set = this.subscribers.get(subscriber.articleId) ?? new Set<S>();
    set.add(subscriber);
    this.subscribers.set(subscriber.articleId, set);
    this.size += 1;
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.size -= 1;
      set.delete(subscriber);
      if (set.size === 0) this.subscribers.delete(subscriber.articleId);
    };
  }

  /** One NOTIFY from the database. */
  async receive(payload: string): Promise<void> {
    const message = parseLiveMessage(payload);
    if (!message) return;
    this.onChange(message.articleId);
    if (message.kind === 'changed') return;
    const listeners = this.subscribers.get(message.articleId);
    if (!listeners || listeners.size === 0) return;
    if (message.kind === 'voted') {
      // The same counts for everyone: what each reader voted stays on their own page.
      const event = sseEvent('votes', undefined, liveVotesWire(message));
      for (const subscriber of listeners) subscriber.write(event);
      return;
    }
    const comment = await findComment(this.deps, message.commentId);
    if (!comment || comment.status !== 'published') return;
    const count = await commentCount(this.deps, message.articleId);
    const shared = new Map<string, string>();
    for (const subscriber of listeners) {
      const key = this.shareKey(subscriber);
      let html = key === undefined ? undefined : shared.get(key);
      if (html === undefined) {
        html = this.render(comment, subscriber);
        if (key !== undefined) shared.set(key, html);
      }
      subscriber.write(sseEvent('comment', comment.id, liveCommentWire(comment, count, html)));
    }
  }

  /**
   * Ends every stream (the process is stopping); browsers reconnect to another process. Each is
   * told when to come back, at a moment of its own within a few seconds, so that the browsers of
   * a stopping process do not all arrive at the others at once.
   */
  close(): void {
    for (const set of this.subscribers.values())
      for (const subscriber of set) {
        subscriber.write(sseStopping(Math.random()));
        subscriber.end();
      }
    this.subscribers.clear();
    this.size = 0;
  }
}

/**
 * Open streams per client address in this process. One address may hold a few (tabs, a
 * household behind one router), not thousands: each stream holds a connection and a listener.
 */
export class ClientStreams {
  private readonly held = new Map<string, number>();

  constructor(private readonly perClient: number) {}

  /**
   * Counts one more stream for the address, or refuses with undefined at the limit. Synchronous,
   * so that concurrent connections cannot all pass the check before any is counted; returns how
   * to give the stream back, once.
   */
  take(client: string): (() => void) | undefined {
    const held = this.held.get(client) ?? 0;
    if (held >= this.perClient) return undefined;
    this.held.set(client, held + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (this.held.get(client) ?? 1) - 1;
      if (left > 0) this.held.set(client, left);
      else this.held.delete(client);
    };
  }
}
