import { commentInputOf, updateCounter } from './comment-counter.client.js';
import {
  commentsSectionOf,
  isCommentToPlace,
  isRecord,
  placeComment,
  showCommentCount,
  type CommentToPlace,
} from './comment-insert.client.js';
import {
  isBusy,
  markBusy,
  problemMessage,
  sendForm,
  submitNatively,
  submitterOf,
  type Answer,
} from './comment-send.client.js';

/**
 * Sending comment and vote forms without leaving the page. One submit listener on the document
 * serves every form, including reply forms in comments that arrived live.
 */

/** 201 answer to a comment form: `{ comment: { id, parentId, status }, count, html }`. */
type Posted = { comment: CommentToPlace; count: number };
/** Answer to a vote: the comment's counts and the reader's own vote. */
type Votes = { up: number; down: number; mine: 'up' | 'down' | null };

export function onCommentSubmit(event: SubmitEvent): void {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const isComment = form.matches('[data-comment-form]');
  if (!isComment && !form.matches('[data-vote-form]')) return;
  event.preventDefault();
  if (isBusy(form)) return;
  if (isComment) void sendComment(form);
  else void sendVote(form, submitterOf(event));
}

async function sendComment(form: HTMLFormElement): Promise<void> {
  const done = markBusy(form);
  let answer: Answer;
  try {
    answer = await sendForm(form, null);
  } finally {
    done();
  }
  const posted = answer.kind === 'json' && answer.ok ? postedOf(answer.body) : undefined;
  if (posted) {
    showPosted(form, posted);
    return;
  }
  if (answer.kind === 'json' && answer.ok) {
    // Accepted, but in a shape this script does not know (a newer server): show the page anew
    // rather than send the comment a second time.
    location.reload();
    return;
  }
  const message = failureMessage(form, answer);
  const slot = form.querySelector<HTMLElement>('[data-comment-error]');
  if (message === undefined || !slot) {
    submitNatively(form, null);
    return;
  }
  // The text stays: the reader fixes it or tries again.
  slot.textContent = message;
  delete slot.dataset.limitNotice;
  slot.hidden = false;
}

function showPosted(form: HTMLFormElement, posted: Posted): void {
  const section = commentsSectionOf(form);
  const placed = placeComment(section, posted.comment);
  if (!placed) {
    // The comment exists but this page has no place for it: let the server show it.
    location.hash = `comment-${posted.comment.id}`;
    location.reload();
    return;
  }
  const input = commentInputOf(form.querySelector('[data-comment-input]'));
  if (input) {
    input.value = '';
    updateCounter(input, { announce: true });
  }
  const slot = form.querySelector<HTMLElement>('[data-comment-error]');
  if (slot) {
    slot.textContent = '';
    slot.hidden = true;
  }
  form.closest('details')?.removeAttribute('open');
  showCommentCount(section, posted.count);
  // Focus follows the reader's words to where they now are, so a screen reader reads them back.
  placed.element.tabIndex = -1;
  placed.element.focus();
}

async function sendVote(
  form: HTMLFormElement,
  submitter: HTMLButtonElement | HTMLInputElement | null,
): Promise<void> {
  const done = markBusy(form);
  let answer: Answer;
  try {
    answer = await sendForm(form, submitter);
  } finally {
    done();
  }
  if (answer.kind === 'json' && answer.ok) {
    // An answer in a shape this script does not know is reloaded, never sent again: a second
    // vote could take the first one back.
    if (isVotes(answer.body)) showVotes(form, answer.body);
    else location.reload();
    return;
  }
  const message = failureMessage(form, answer);
  if (message === undefined) {
    submitNatively(form, submitter);
    return;
  }
  const slot = form.querySelector<HTMLElement>('[data-vote-error]');
  if (slot) {
    slot.textContent = message;
    slot.hidden = false;
  } else {
    form.title = message;
  }
}

/**
 * What to tell the reader when sending failed: the server's message, or the page's own words for
 * a lost connection. Undefined means the browser should submit the form itself.
 */
function failureMessage(form: HTMLFormElement, answer: Answer): string | undefined {
  if (answer.kind === 'json') return problemMessage(answer.body);
  return answer.kind === 'offline' && form.dataset.networkError
    ? form.dataset.networkError
    : undefined;
}

function showVotes(form: HTMLFormElement, votes: Votes): void {
  const up = form.querySelector('[data-up-count]');
  const down = form.querySelector('[data-down-count]');
  if (up) up.textContent = String(votes.up);
  if (down) down.textContent = String(votes.down);
  for (const button of form.querySelectorAll('button[name="value"]')) {
    button.setAttribute('aria-pressed', String(button.getAttribute('value') === votes.mine));
  }
  // Emptied, not hidden: the slot is a live region, and one shown only when it speaks may not.
  const slot = form.querySelector('[data-vote-error]');
  if (slot) slot.textContent = '';
  form.removeAttribute('title');
}

function postedOf(body: unknown): Posted | undefined {
  if (!isRecord(body) || typeof body.count !== 'number' || !isRecord(body.comment))
    return undefined;
  const comment = { id: body.comment.id, parentId: body.comment.parentId, html: body.html };
  return isCommentToPlace(comment) ? { comment, count: body.count } : undefined;
}

function isVotes(body: unknown): body is Votes {
  return (
    isRecord(body) &&
    typeof body.up === 'number' &&
    typeof body.down === 'number' &&
    (body.mine === null || body.mine === 'up' || body.mine === 'down')
  );
}
