/**
 * Posting the story form, or one field of it, as the server's forms expect
 * (application/x-www-form-urlencoded, `_csrf` included) and asking for JSON back.
 */

export type Answer =
  | { kind: 'json'; status: number; body: unknown }
  /** Not JSON (a redirect to the login page, a proxy's error page): nothing to read. */
  | { kind: 'other'; status: number }
  /** No answer at all (offline, connection reset). */
  | { kind: 'offline' };

export function formBody(form: HTMLFormElement): URLSearchParams {
  const body = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string') body.append(name, value);
  }
  return body;
}

/** The form's CSRF token alone, for requests that carry nothing else. */
export function csrfBody(form: HTMLFormElement): URLSearchParams {
  const body = new URLSearchParams();
  const token = form.querySelector<HTMLInputElement>('input[name="_csrf"]');
  if (token) body.append('_csrf', token.value);
  return body;
}

// The browser refuses keepalive requests whose bodies together pass 64 KiB.
const KEEPALIVE_LIMIT = 60_000;

export async function postForm(url: string, body: URLSearchParams): Promise<Answer> {
  const text = body.toString();
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: text,
      credentials: 'same-origin',
      redirect: 'manual',
      // A save sent as the tab is hidden should outlive the tab if the browser closes it.
      keepalive: text.length < KEEPALIVE_LIMIT,
    });
  } catch (error) {
    console.warn('newsroom: the request failed', error);
    return { kind: 'offline' };
  }
  const type = response.headers.get('content-type') ?? '';
  if (response.type === 'opaqueredirect' || !type.startsWith('application/json')) {
    return { kind: 'other', status: response.status };
  }
  try {
    return { kind: 'json', status: response.status, body: (await response.json()) as unknown };
  } catch (error) {
    console.warn('newsroom: the answer was not JSON', error);
    return { kind: 'other', status: response.status };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ error: { code, message } }`, the server's error answer. */
export function problemOf(body: unknown): { code: string; message: string } | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const { code, message } = body.error;
  return typeof code === 'string' && typeof message === 'string' ? { code, message } : undefined;
}
