import {
  isCommentToPlace,
  isRecord,
  placeComment,
  showCommentCount,
  type CommentToPlace,
} from './comment-insert.client.js';

/**
 * New comments as they are published, and the 공감/비공감 counts as readers vote, over
 * server-sent events. EventSource reconnects by itself (and sends Last-Event-ID), so nothing here
 * retries. A comment already on the page (the reader's own, or one seen before a reconnect) is
 * not added twice.
 */

/** A reader's screen reader needs the region to change to speak; this gap makes a repeat a change. */
const ANNOUNCE_GAP_MS = 100;

/** Data of a `comment` event: `{ id, parentId, count, html }`. */
type LiveComment = CommentToPlace & { count: number };
/** Data of a `votes` event: a comment's counts after a vote. */
type LiveVotes = { id: string; up: number; down: number };

export function listenForComments(root: ParentNode): void {
  const section = root.querySelector<HTMLElement>('[data-comments][data-live-url]');
  const url = section?.dataset.liveUrl;
  if (!section || !url) return;
  const source = new EventSource(url);
  source.addEventListener('comment', (event) => {
    const comment = liveCommentOf(event.data);
    if (!comment) {
      console.warn('comments: a live event in an unknown shape was ignored', event.data);
      return;
    }
    showLiveComment(section, comment);
  });
  source.addEventListener('votes', (event) => {
    const votes = liveVotesOf(event.data);
    if (!votes) {
      console.warn('comments: a live event in an unknown shape was ignored', event.data);
      return;
    }
    showLiveVotes(section, votes);
  });
}

/**
 * The comment's own counts, not its replies' (they sit inside its element). Whether the reader's
 * buttons are pressed is left alone: that is their vote, not the count.
 */
function showLiveVotes(section: HTMLElement, votes: LiveVotes): void {
  const actions = section.querySelector(`#comment-${votes.id} > .comment-actions`);
  if (!actions) return;
  const up = actions.querySelector('[data-up-count]');
  const down = actions.querySelector('[data-down-count]');
  if (up) up.textContent = String(votes.up);
  if (down) down.textContent = String(votes.down);
}

function liveVotesOf(data: unknown): LiveVotes | undefined {
  const value = parsed(data);
  if (
    !isRecord(value) ||
    typeof value.id !== 'string' ||
    !/^\d+$/.test(value.id) ||
    typeof value.up !== 'number' ||
    typeof value.down !== 'number'
  )
    return undefined;
  return { id: value.id, up: value.up, down: value.down };
}

function parsed(data: unknown): unknown {
  try {
    return typeof data === 'string' ? JSON.parse(data) : undefined;
  } catch (error) {
    console.warn('comments: a live event was not JSON', error);
    return undefined;
  }
}

function showLiveComment(section: HTMLElement, comment: LiveComment): void {
  // A reply whose thread is not on this page is only counted: reloading would take away what
  // the reader is doing for something they did not ask to see.
  const placed = placeComment(section, comment);
  showCommentCount(section, comment.count);
  if (placed?.added) announce(section);
}

function announce(section: HTMLElement): void {
  const status = section.querySelector('[data-comment-live-status]');
  const text = section.dataset.liveAnnounce;
  if (!status || !text) return;
  status.textContent = '';
  setTimeout(() => {
    status.textContent = text;
  }, ANNOUNCE_GAP_MS);
}

function liveCommentOf(data: unknown): LiveComment | undefined {
  const value = parsed(data);
  if (!isRecord(value) || typeof value.count !== 'number') return undefined;
  const { count } = value;
  return isCommentToPlace(value)
    ? { id: value.id, parentId: value.parentId, html: value.html, count }
    : undefined;
}
