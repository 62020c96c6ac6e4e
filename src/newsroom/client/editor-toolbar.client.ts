import type { EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import type { EditorLabels } from '../editor-labels.js';
import type { ToolbarItem } from './editor-commands.client.js';

/**
 * The formatting buttons, in `[data-editor-toolbar]`: real buttons with visible names, each
 * reached by Tab (a group, not an ARIA toolbar, whose arrow-key roving focus would be one more
 * thing to learn). Marks and block types say whether they apply with aria-pressed; undo and
 * redo say when there is nothing to undo with aria-disabled, staying focusable.
 */

export type Toolbar = { update(state: EditorState): void };

export function buildToolbar(
  form: HTMLFormElement,
  labels: EditorLabels,
  items: readonly ToolbarItem[],
  view: () => EditorView | undefined,
): Toolbar {
  const host = form.querySelector<HTMLElement>('[data-editor-toolbar]');
  if (!host) return { update: () => undefined };
  host.setAttribute('role', 'group');
  host.setAttribute('aria-label', labels.toolbar);
  const buttons = items.map((item) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = labels[item.label];
    button.dataset.editorCommand = item.label;
    // A mouse press would take focus, and the selection with it, before the click acts on it.
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', () => {
      const current = view();
      if (!current || !current.editable) return;
      item.command(current.state, current.dispatch, current);
      current.focus();
    });
    host.append(button);
    return { item, button };
  });
  return {
    update(state) {
      for (const { item, button } of buttons) {
        if (item.active) button.setAttribute('aria-pressed', String(item.active(state)));
        if (item.enabled) button.setAttribute('aria-disabled', String(!item.enabled(state)));
      }
    },
  };
}
