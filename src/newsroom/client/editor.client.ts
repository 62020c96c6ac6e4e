import { gapCursor } from 'prosemirror-gapcursor';
import { history } from 'prosemirror-history';
import type { Node } from 'prosemirror-model';
import { EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { readEditorLabels, type EditorLabels } from '../editor-labels.js';
import { editorSchema } from '../editor-schema.js';
import { startAutosave, type Autosave } from './editor-autosave.client.js';
import {
  imeKeyPlugin,
  isComposing,
  keymaps,
  linkCommand,
  markdownInputRules,
  toolbarItems,
} from './editor-commands.client.js';
import { startPresence } from './editor-presence.client.js';
import { buildToolbar } from './editor-toolbar.client.js';

/**
 * The story editor, on the story form (`#story-form`, rendered by the newsroom's pages): the
 * body as rich text with ProseMirror over the JSON the form posts, a toolbar, autosave and
 * presence. The form stays a plain form: `[data-editor-source]` always holds the current
 * document, so a submit without this script's help posts what is on screen.
 */

/** `page`: the page itself says this person may only read the story (`data-editable="false"`). */
type ReadOnlyReason = 'page' | 'presence' | 'taken_over';

function start(form: HTMLFormElement): void {
  const mount = form.querySelector<HTMLElement>('[data-editor-mount]');
  const source = form.querySelector('[data-editor-source]');
  if (!mount || !(source instanceof HTMLTextAreaElement)) return;
  const { labels, missing } = readEditorLabels(form.dataset.editorLabels ?? '');
  if (missing.length > 0) console.error(`newsroom: editor labels missing: ${missing.join(', ')}`);
  const doc = readDocument(source.value);
  if (!doc) {
    // Starting from an empty document would overwrite the story at the first save: show the
    // stored JSON instead, which at least keeps it.
    console.error('newsroom: the body is not a document this editor can open');
    source.hidden = false;
    return;
  }
  const status = form.querySelector<HTMLElement>('[data-editor-status]');
  const readOnly = new Set<ReadOnlyReason>(form.dataset.editable === 'false' ? ['page'] : []);
  const composingField = trackComposition(form);
  const autosaveUrl = form.dataset.autosave;
  const autosave: Autosave | undefined = autosaveUrl
    ? startAutosave({
        form,
        url: autosaveUrl,
        labels,
        status,
        isComposing: () => composingField() || isComposing(view),
        onTakenOver: () => setReadOnly('taken_over', true),
      })
    : undefined;
  const link = linkCommand(
    (question) => window.prompt(labels[question], 'https://'),
    () => {
      if (status) status.textContent = labels.linkRefused;
    },
  );
  const toolbar = buildToolbar(form, labels, toolbarItems(link), () => view);

  // The autosave and the toolbar, made before the view, only reach it from callbacks that run
  // once it exists.
  const view: EditorView = new EditorView(mount, {
    state: EditorState.create({
      doc,
      plugins: [imeKeyPlugin, markdownInputRules(), ...keymaps(link), history(), gapCursor()],
    }),
    attributes: editorAttributes(mount, labels),
    editable: () => readOnly.size === 0,
    dispatchTransaction(tr) {
      const state = view.state.apply(tr);
      view.updateState(state);
      if (tr.docChanged) {
        source.value = JSON.stringify(state.doc.toJSON());
        autosave?.changed();
      }
      toolbar.update(state);
    },
  });
  toolbar.update(view.state);

  function setReadOnly(reason: ReadOnlyReason, on: boolean): void {
    if (on) readOnly.add(reason);
    else readOnly.delete(reason);
    view.setProps({ editable: () => readOnly.size === 0 });
    setFieldsDisabled(form, readOnly.size > 0);
  }

  if (autosave) watchForAutosave(form, mount, autosave);
  const presenceUrl = form.dataset.presence;
  if (presenceUrl) {
    startPresence({
      form,
      url: presenceUrl,
      status: form.querySelector<HTMLElement>('[data-presence-status]'),
      onHolder: (you) => {
        setReadOnly('presence', !you);
        if (!you) return;
        setReadOnly('taken_over', false);
        autosave?.resume();
      },
    });
  }
}

/** Whether an IME is composing in one of the form's fields (the editor's included). */
function trackComposition(form: HTMLFormElement): () => boolean {
  let composing = false;
  form.addEventListener('compositionstart', () => (composing = true));
  form.addEventListener('compositionend', () => (composing = false));
  return () => composing;
}

/**
 * What else starts a save: a change to a plain field (headline, summary…; the editor's own
 * changes come through its transactions), the tab being hidden; and a submit waits for a save
 * under way.
 */
function watchForAutosave(form: HTMLFormElement, mount: HTMLElement, autosave: Autosave): void {
  form.addEventListener('input', (event) => {
    if (event.target instanceof globalThis.Node && mount.contains(event.target)) return;
    autosave.changed();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') autosave.flush();
  });
  holdSubmitForSave(form, autosave);
}

function readDocument(json: string): Node | undefined {
  try {
    const doc = editorSchema.nodeFromJSON(JSON.parse(json));
    doc.check();
    return doc;
  } catch (error) {
    console.error('newsroom: unreadable body', error);
    return undefined;
  }
}

function editorAttributes(mount: HTMLElement, labels: EditorLabels): Record<string, string> {
  const attributes: Record<string, string> = {
    role: 'textbox',
    'aria-multiline': 'true',
    class: 'editor-body',
  };
  const labelledBy = mount.getAttribute('aria-labelledby');
  if (labelledBy) attributes['aria-labelledby'] = labelledBy;
  else attributes['aria-label'] = labels.toolbar;
  return attributes;
}

/**
 * A save under way when the form is submitted would answer with a revision the submit does not
 * know of, and the submit, based on the older one, would conflict with this person's own save.
 * The submit waits for the answer (and the new base), then goes.
 */
function holdSubmitForSave(form: HTMLFormElement, autosave: Autosave): void {
  let released = false;
  form.addEventListener('submit', (event) => {
    if (released) return;
    // Nothing under way: the pending save is dropped, as the submit carries the same text.
    if (!autosave.saving()) {
      autosave.cancel();
      return;
    }
    event.preventDefault();
    const submitter =
      event.submitter instanceof HTMLButtonElement || event.submitter instanceof HTMLInputElement
        ? event.submitter
        : null;
    void autosave.settle().then(() => {
      // A task, not this microtask: the browser ignores a submit asked for while it is still
      // dispatching the first one's event, to listeners after this one.
      setTimeout(() => {
        released = true;
        form.requestSubmit(submitter);
        released = false;
      }, 0);
    });
  });
}

/**
 * Read-only: the editable fields are disabled, and enabled again later, all but those the page
 * disabled itself. Hidden inputs (the CSRF token, the base revision) and a take-over button
 * (`data-take-over`) stay as they are, so taking the story over still works.
 */
function setFieldsDisabled(form: HTMLFormElement, disabled: boolean): void {
  for (const element of Array.from(form.elements)) {
    if (!(
      element instanceof HTMLInputElement ||
      element instanceof HTMLTextAreaElement ||
      element instanceof HTMLSelectElement ||
      element instanceof HTMLButtonElement
    )) {
      continue;
    }
    if (element instanceof HTMLInputElement && element.type === 'hidden') continue;
    if (element.hasAttribute('data-editor-source') || element.hasAttribute('data-take-over')) {
      continue;
    }
    if (disabled && !element.disabled) {
      element.disabled = true;
      element.dataset.editorDisabled = '';
    } else if (!disabled && element.dataset.editorDisabled !== undefined) {
      element.disabled = false;
      delete element.dataset.editorDisabled;
    }
  }
}

const form = document.getElementById('story-form');
if (form instanceof HTMLFormElement) start(form);
