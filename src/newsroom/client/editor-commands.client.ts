import {
  baseKeymap,
  chainCommands,
  exitCode,
  setBlockType,
  toggleMark,
  wrapIn,
  lift,
} from 'prosemirror-commands';
import { redo, undo, undoDepth, redoDepth } from 'prosemirror-history';
import {
  InputRule,
  inputRules,
  textblockTypeInputRule,
  wrappingInputRule,
} from 'prosemirror-inputrules';
import { keymap } from 'prosemirror-keymap';
import type { MarkType, NodeType } from 'prosemirror-model';
import { liftListItem, splitListItem, wrapInList } from 'prosemirror-schema-list';
import { Plugin, type Command, type EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import type { EditorLabelKey } from '../editor-labels.js';
import { editorSchema, isLinkAddress } from '../editor-schema.js';

/**
 * What the editor's keys and buttons do. Korean first: while an IME composes a syllable, the
 * keys belong to it. ProseMirror already leaves keydown alone during composition; every command
 * here checks again, and also refuses to act on a key the IME has claimed (keyCode 229, which
 * Safari sends for the Enter that ends a composition), so no binding of ours can split a
 * syllable or commit it twice.
 */

const { nodes, marks } = editorSchema;

/** Remembers whether the key being handled belongs to an IME; must come before the keymaps. */
export const imeKeyPlugin = new Plugin({
  props: {
    handleKeyDown(view, event) {
      if (!event.isComposing && !imeKeyCode(event)) return false;
      imeKeyDown.add(view);
      // The keymaps run within this same keydown; a Korean IME sends 229 for every key, so the
      // mark must not outlive it, or a button clicked after typing would think it composing.
      setTimeout(() => imeKeyDown.delete(view), 0);
      return false;
    },
  },
});

/** IME keydowns report this code; Safari also sends the Enter that ends a composition with it. */
const IME_KEY_CODE = 229;

/**
 * keyCode is deprecated, but no standard property tells Safari's composition-ending Enter from
 * a plain one: isComposing is already false on it. Read through a plain shape for that reason.
 */
function imeKeyCode(event: KeyboardEvent): boolean {
  const legacy: { keyCode?: number } = event;
  return legacy.keyCode === IME_KEY_CODE;
}

// The views whose current keydown belongs to an IME, marked by the handler above, which runs
// before any keymap.
const imeKeyDown = new WeakSet<EditorView>();

/** A syllable is being composed in the editor. */
export function isComposing(view: EditorView | undefined): boolean {
  return view?.composing === true;
}

/** A command that does nothing while a syllable is being composed, or for a key the IME owns. */
function guarded(command: Command): Command {
  return (state, dispatch, view) =>
    isComposing(view) || (view !== undefined && imeKeyDown.has(view))
      ? false
      : command(state, dispatch, view);
}

/** Mod-k and the link button: remove a link under the selection, else ask for an address. */
export function linkCommand(
  ask: (question: EditorLabelKey) => string | null,
  refuse: () => void,
): Command {
  return (state, dispatch, view) => {
    const { from, to, empty } = state.selection;
    if (markActive(state, marks.link)) {
      if (dispatch) dispatch(state.tr.removeMark(from, to, marks.link));
      return true;
    }
    if (!dispatch) return true;
    const answer = ask('linkPrompt')?.trim();
    if (!answer) return true;
    if (!isLinkAddress(answer)) {
      refuse();
      return true;
    }
    const link = marks.link.create({ href: answer });
    // With nothing selected, the address itself becomes the linked text.
    const tr = empty
      ? state.tr.insert(from, editorSchema.text(answer, [link]))
      : state.tr.addMark(from, to, link);
    dispatch(tr.scrollIntoView());
    view?.focus();
    return true;
  };
}

export function markActive(state: EditorState, type: MarkType): boolean {
  const { from, $from, to, empty } = state.selection;
  if (empty) return type.isInSet(state.storedMarks ?? $from.marks()) !== undefined;
  return state.doc.rangeHasMark(from, to, type);
}

/** The selection sits in a block of this type (and these attributes), at any depth. */
export function blockActive(
  state: EditorState,
  type: NodeType,
  attrs?: Record<string, unknown>,
): boolean {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth -= 1) {
    const node = $from.node(depth);
    if (node.type !== type) continue;
    if (!attrs || Object.entries(attrs).every(([name, value]) => node.attrs[name] === value))
      return true;
  }
  return false;
}

function toggleHeading(level: 2 | 3): Command {
  return (state, dispatch, view) =>
    blockActive(state, nodes.heading, { level })
      ? setBlockType(nodes.paragraph)(state, dispatch, view)
      : setBlockType(nodes.heading, { level })(state, dispatch, view);
}

function toggleWrap(type: NodeType): Command {
  return (state, dispatch, view) =>
    blockActive(state, type) ? lift(state, dispatch, view) : wrapIn(type)(state, dispatch, view);
}

function toggleList(type: NodeType): Command {
  return (state, dispatch, view) =>
    blockActive(state, type)
      ? liftListItem(nodes.list_item)(state, dispatch, view)
      : wrapInList(type)(state, dispatch, view);
}

export type ToolbarItem = {
  label: EditorLabelKey;
  command: Command;
  /** Pressed (aria-pressed) when the selection has it; undefined for actions. */
  active?: (state: EditorState) => boolean;
  /** Can run now; aria-disabled otherwise. */
  enabled?: (state: EditorState) => boolean;
};

export function toolbarItems(link: Command): ToolbarItem[] {
  return [
    {
      label: 'bold',
      command: guarded(toggleMark(marks.strong)),
      active: (s) => markActive(s, marks.strong),
    },
    {
      label: 'italic',
      command: guarded(toggleMark(marks.em)),
      active: (s) => markActive(s, marks.em),
    },
    { label: 'link', command: guarded(link), active: (s) => markActive(s, marks.link) },
    {
      label: 'heading2',
      command: guarded(toggleHeading(2)),
      active: (s) => blockActive(s, nodes.heading, { level: 2 }),
    },
    {
      label: 'heading3',
      command: guarded(toggleHeading(3)),
      active: (s) => blockActive(s, nodes.heading, { level: 3 }),
    },
    {
      label: 'quote',
      command: guarded(toggleWrap(nodes.blockquote)),
      active: (s) => blockActive(s, nodes.blockquote),
    },
    {
      label: 'bulletList',
      command: guarded(toggleList(nodes.bullet_list)),
      active: (s) => blockActive(s, nodes.bullet_list),
    },
    {
      label: 'orderedList',
      command: guarded(toggleList(nodes.ordered_list)),
      active: (s) => blockActive(s, nodes.ordered_list),
    },
    { label: 'undo', command: guarded(undo), enabled: (s) => Number(undoDepth(s)) > 0 },
    { label: 'redo', command: guarded(redo), enabled: (s) => Number(redoDepth(s)) > 0 },
  ];
}

const hardBreak: Command = chainCommands(exitCode, (state, dispatch) => {
  if (dispatch) dispatch(state.tr.replaceSelectionWith(nodes.hard_break.create()).scrollIntoView());
  return true;
});

/**
 * The keymaps, ours first, then ProseMirror's base keymap (also guarded: its Enter splits the
 * block, which must never happen to a syllable still being composed). Tab is left to the
 * browser, so the keyboard can always leave the editor.
 */
export function keymaps(link: Command): Plugin[] {
  const ours: Record<string, Command> = {
    'Mod-b': toggleMark(marks.strong),
    'Mod-i': toggleMark(marks.em),
    'Mod-k': link,
    'Mod-z': undo,
    'Mod-Shift-z': redo,
    'Mod-y': redo,
    'Shift-Enter': hardBreak,
    Enter: splitListItem(nodes.list_item),
  };
  const guard = (bindings: Record<string, Command>) =>
    Object.fromEntries(Object.entries(bindings).map(([key, command]) => [key, guarded(command)]));
  return [keymap(guard(ours)), keymap(guard(baseKeymap))];
}

/** Markdown's block openers, typed at the start of a paragraph. */
export function markdownInputRules(): Plugin {
  const rules: InputRule[] = [
    textblockTypeInputRule(/^##\s$/, nodes.heading, { level: 2 }),
    textblockTypeInputRule(/^###\s$/, nodes.heading, { level: 3 }),
    wrappingInputRule(/^\s*>\s$/, nodes.blockquote),
    wrappingInputRule(/^\s*[-*]\s$/, nodes.bullet_list),
    wrappingInputRule(/^\s*1[.)]\s$/, nodes.ordered_list),
  ];
  return inputRules({ rules });
}
