import { csrfBody, isRecord, postForm } from './editor-send.client.js';

/**
 * Presence: the page tells the server every 20 seconds that this person has the story open, and
 * the server answers who holds it ("Kim Min-ji is editing since 14:02"). While someone else
 * does, the editor is read-only; when it is this person's again, editable.
 */

const EVERY_MS = 20_000;

export type PresenceOptions = {
  form: HTMLFormElement;
  url: string;
  status: HTMLElement | null;
  /** Whether this person holds the story; not called when the answer does not say. */
  onHolder: (you: boolean) => void;
};

export function startPresence(options: PresenceOptions): void {
  const beat = async (): Promise<void> => {
    const answer = await postForm(options.url, csrfBody(options.form));
    if (answer.kind !== 'json' || !isRecord(answer.body)) return;
    const { holder, message } = answer.body;
    if (options.status && typeof message === 'string') options.status.textContent = message;
    if (holder === null) options.onHolder(true);
    else if (isRecord(holder) && typeof holder.you === 'boolean') options.onHolder(holder.you);
  };
  // One beat at a time: the next is timed from the end of the last, however slow the answer.
  const loop = (): void => {
    void beat().finally(() => setTimeout(loop, EVERY_MS));
  };
  loop();
}
