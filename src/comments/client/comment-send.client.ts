import { isRecord } from './comment-insert.client.js';

/**
 * Sending a comment or vote form with fetch, and the plain form submission to fall back on.
 * The page works without this island, so whenever an answer is not the JSON we expect (a
 * redirect to the login page, an HTML error page from a proxy), the browser submits the form
 * itself and shows whatever the server says.
 */

export type Answer =
  | { kind: 'json'; ok: boolean; body: unknown }
  /** Not for us to read: submit the form natively. */
  | { kind: 'other' }
  /** No answer at all (offline, connection reset). */
  | { kind: 'offline' };

type Submitter = HTMLButtonElement | HTMLInputElement;

export function submitterOf(event: SubmitEvent): Submitter | null {
  const { submitter } = event;
  return submitter instanceof HTMLButtonElement || submitter instanceof HTMLInputElement
    ? submitter
    : null;
}

export async function sendForm(
  form: HTMLFormElement,
  submitter: Submitter | null,
): Promise<Answer> {
  const body = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string') body.append(name, value);
  }
  // new FormData(form, submitter) would add this, but not in browsers from before 2023.
  if (submitter?.name) body.append(submitter.name, submitter.value);
  let response: Response;
  try {
    response = await fetch(form.action, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body,
      credentials: 'same-origin',
      // A redirect (to log in, most likely) is not followed here: the native submission that
      // follows gets the same redirect and the browser goes there.
      redirect: 'manual',
    });
  } catch (error) {
    console.warn('comments: the request failed', error);
    return { kind: 'offline' };
  }
  const type = response.headers.get('content-type') ?? '';
  if (response.type === 'opaqueredirect' || !type.startsWith('application/json')) {
    return { kind: 'other' };
  }
  try {
    return { kind: 'json', ok: response.ok, body: (await response.json()) as unknown };
  } catch (error) {
    console.warn('comments: the answer was not JSON', error);
    return { kind: 'other' };
  }
}

/** The message of an error answer, `{ error: { code, message } }`. */
export function problemMessage(body: unknown): string | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const { message } = body.error;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

/**
 * The browser's own submission. form.submit() neither fires the submit listener again nor sends
 * the button that was pressed, so the button's name and value travel in a hidden input.
 */
export function submitNatively(form: HTMLFormElement, submitter: Submitter | null): void {
  if (submitter?.name) {
    const carrier = document.createElement('input');
    carrier.type = 'hidden';
    carrier.name = submitter.name;
    carrier.value = submitter.value;
    form.append(carrier);
  }
  form.submit();
}

/**
 * Marks a form as sending: its buttons disabled (no double post), aria-busy for assistive
 * technology. Returns the function that undoes it, which puts focus back where it was if
 * disabling a focused button had dropped it to the page.
 */
export function markBusy(form: HTMLFormElement): () => void {
  const active = document.activeElement;
  const buttons = [...form.querySelectorAll<HTMLButtonElement>('button[type="submit"]')];
  for (const button of buttons) button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  return () => {
    for (const button of buttons) button.disabled = false;
    form.removeAttribute('aria-busy');
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (lost && active instanceof HTMLElement && active.isConnected) active.focus();
  };
}

export function isBusy(form: HTMLFormElement): boolean {
  return form.getAttribute('aria-busy') === 'true';
}
