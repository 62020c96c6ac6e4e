import type { EditorLabels } from '../editor-labels.js';
import { formBody, isRecord, postForm, problemOf, type Answer } from './editor-send.client.js';

/**
 * Autosave with versioned saves. Every save posts the whole form, `base` included: the revision
 * the text in the page was based on. The server answers with the new revision, which becomes the
 * next save's base; or with a conflict (someone else saved since), after which nothing is saved
 * automatically again and nothing in the page is touched, so both texts survive; or says the
 * story was taken over. Any other failure keeps the text and tries again, waiting longer each
 * time. Nothing is sent while a syllable is being composed: the form would hold half of it.
 */

/** How long after the last change a save goes. */
const QUIET_MS = 2_000;
const RETRY_MAX_MS = 60_000;

export type AutosaveOptions = {
  form: HTMLFormElement;
  url: string;
  labels: EditorLabels;
  status: HTMLElement | null;
  isComposing: () => boolean;
  onTakenOver: () => void;
};

export type Autosave = {
  /** Something in the form changed. */
  changed(): void;
  /** Save now, if anything is unsaved (the tab is being hidden). */
  flush(): void;
  /** A save has been sent and not yet answered. */
  saving(): boolean;
  /** Drops a pending save (a submit is about to carry the same text). */
  cancel(): void;
  /** Drops a pending save; resolves once a save under way has been answered. */
  settle(): Promise<void>;
  /** Start again after a take-over, once the story is this person's again. */
  resume(): void;
  stopped(): 'conflict' | 'taken_over' | undefined;
};

export function startAutosave(options: AutosaveOptions): Autosave {
  const { form, url, labels, status } = options;
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;
  let failures = 0;
  let stopped: 'conflict' | 'taken_over' | undefined;

  function schedule(ms: number): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(fire, ms);
  }

  function fire(): void {
    timer = undefined;
    if (stopped || !dirty || inFlight) return;
    // Try again once the syllable is done; its own change will also schedule a save.
    if (options.isComposing()) return schedule(QUIET_MS);
    save();
  }

  function save(): void {
    const body = formBody(form);
    dirty = false;
    inFlight = postForm(url, body)
      .then(answered)
      .finally(() => {
        inFlight = undefined;
        if (dirty && !stopped && timer === undefined) schedule(QUIET_MS);
      });
  }

  function answered(answer: Answer): void {
    if (answer.kind === 'json' && answer.status === 200 && saved(answer.body)) return;
    const problem = answer.kind === 'json' ? problemOf(answer.body) : undefined;
    if (answer.kind === 'json' && answer.status === 409 && problem?.code === 'STORY_CONFLICT') {
      stopped = 'conflict';
      showConflict(problem.message, answer.body);
      return;
    }
    if (answer.kind === 'json' && answer.status === 423) {
      stopped = 'taken_over';
      say(problem?.message ?? labels.saveFailed);
      options.onTakenOver();
      return;
    }
    // Not saved: the text is still in the page and goes with the next try.
    dirty = true;
    failures += 1;
    say(problem?.message ?? labels.saveFailed);
    schedule(Math.min(QUIET_MS * 2 ** failures, RETRY_MAX_MS));
  }

  function saved(body: unknown): boolean {
    if (!isRecord(body) || typeof body.revision !== 'number') return false;
    const base = form.elements.namedItem('base');
    if (base instanceof HTMLInputElement) base.value = String(body.revision);
    failures = 0;
    const at = typeof body.savedAt === 'string' ? new Date(body.savedAt) : new Date();
    say(labels.saved.replace('{time}', hourAndMinute(at)));
    return true;
  }

  function showConflict(message: string, body: unknown): void {
    if (!status) return;
    status.replaceChildren(message);
    const conflict = isRecord(body) && isRecord(body.conflict) ? body.conflict : undefined;
    const diff = conflict?.diff;
    // Only a path on this site: the answer names where to look, never what scheme to run.
    if (typeof diff === 'string' && diff.startsWith('/') && !diff.startsWith('//')) {
      const link = document.createElement('a');
      link.href = diff;
      link.textContent = labels.conflictLink;
      status.append(' ', link);
    }
  }

  function say(text: string): void {
    if (status) status.textContent = text;
  }

  return {
    changed() {
      if (stopped) return;
      dirty = true;
      schedule(QUIET_MS);
    },
    flush() {
      if (stopped || !dirty || inFlight || options.isComposing()) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      save();
    },
    saving: () => inFlight !== undefined,
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
    async settle() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
    resume() {
      if (stopped !== 'taken_over') return;
      stopped = undefined;
      if (dirty) schedule(QUIET_MS);
    },
    stopped: () => stopped,
  };
}

function hourAndMinute(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return Number.isNaN(date.getTime()) ? '' : `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
