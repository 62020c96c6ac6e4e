import { visibleLength } from '../comment-text.js';

/**
 * The "(N/250자)" counter under each comment form ("(N/250 characters)" in the English edition:
 * only the number is rewritten here, so the unit is always the edition's, as the server rendered
 * it), and Ctrl/Cmd+Enter to send. The count is the server's own (visibleLength from
 * comment-text.ts), taken from the textarea's value: while a
 * Korean IME is composing, the value already holds the syllable being built (하 on its way to
 * 한), so counting the value on every `input` is exact and can neither double-count nor jump.
 * Key events are never counted: during composition they say nothing about the text.
 */

const INPUT = '[data-comment-input]';
/** IME keydowns report this code; Safari also sends the Enter that ends a composition with it. */
const IME_KEY_CODE = 229;

export function commentInputOf(target: EventTarget | null): HTMLTextAreaElement | null {
  return target instanceof HTMLTextAreaElement && target.matches(INPUT) ? target : null;
}

export function onCommentInput(event: Event): void {
  const input = commentInputOf(event.target);
  if (input) updateCounter(input, { announce: true });
}

export function onCommentKeyDown(event: KeyboardEvent): void {
  const input = commentInputOf(event.target);
  if (!input || event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
  // The Enter that commits a Hangul syllable must not also send the comment. isComposing covers
  // Chromium and Firefox; Safari clears it before that keydown, and only its keyCode tells.
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- no standard property says this
  if (event.isComposing || event.keyCode === IME_KEY_CODE) return;
  const form = input.form;
  if (!form) return;
  event.preventDefault();
  // Clicking the button goes through the submit listener like a mouse click, and does nothing
  // while the button is disabled (a post already in flight).
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (button) button.click();
  else form.requestSubmit();
}

/** The counters of forms already filled when the page loads (the browser may restore text). */
export function countAll(root: ParentNode): void {
  for (const input of root.querySelectorAll<HTMLTextAreaElement>(INPUT)) {
    updateCounter(input, { announce: false });
  }
}

/**
 * Shows the count and marks the form over the limit. Typing is never blocked and the text never
 * cut: the server refuses a long comment whole, and the reader decides what to remove.
 */
export function updateCounter(input: HTMLTextAreaElement, options: { announce: boolean }): void {
  // Each counter belongs to its own form: the comment form, a reply form, the edit page's form.
  const form = input.form;
  const counter = form?.querySelector<HTMLElement>('[data-comment-counter]');
  if (!form || !counter) return;
  const count = visibleLength(input.value);
  const shown = counter.querySelector('[data-count]');
  if (shown) shown.textContent = String(count);
  const limit = Number(counter.dataset.limit);
  const over = Number.isFinite(limit) && count > limit;
  const wasOver = counter.classList.contains('over');
  counter.classList.toggle('over', over);
  if (over) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  if (options.announce && over !== wasOver) noticeLimit(form, counter, over);
}

/**
 * Said once when the text crosses the limit, and taken back when it returns under: a screen
 * reader hearing the count on every keystroke could not follow the text. The message is the
 * server's (data-over-message on the counter) or else the counter itself, "(251/250자)". A polite
 * [data-comment-status] region is preferred when the form has one; the error element is the
 * fallback, and its visible text helps sighted readers too.
 */
function noticeLimit(form: Element, counter: HTMLElement, over: boolean): void {
  const region =
    form.querySelector<HTMLElement>('[data-comment-status]') ??
    form.querySelector<HTMLElement>('[data-comment-error]');
  if (!region) return;
  if (over) {
    region.textContent = counter.dataset.overMessage ?? counter.textContent.trim();
    region.dataset.limitNotice = '';
    region.hidden = false;
  } else if (region.dataset.limitNotice !== undefined) {
    // Only our own notice is withdrawn: a server error shown there stays until the next send.
    region.textContent = '';
    delete region.dataset.limitNotice;
    if (region.matches('[data-comment-error]')) region.hidden = true;
  }
}
