/**
 * The words the browser editor shows, which the story page hands it as JSON in
 * `data-editor-labels`, in the page's language (the editor has no catalogue of its own, so a
 * Korean page never shows an English word). `saved` holds `{time}`, replaced by the hour and
 * minute of the save.
 */
export const EDITOR_LABEL_KEYS = [
  /** The name of the group of formatting buttons. */
  'toolbar',
  'bold',
  'italic',
  'link',
  'heading2',
  'heading3',
  'quote',
  'bulletList',
  'orderedList',
  'undo',
  'redo',
  /** The question window.prompt asks for a link's address. */
  'linkPrompt',
  /** Said when the address given is not http, https or mailto. */
  'linkRefused',
  /** "Saved {time}". */
  'saved',
  /** Said when a save failed without a message of the server's; the editor tries again. */
  'saveFailed',
  /** The text of the link to the differences, after the server's conflict message. */
  'conflictLink',
] as const;

export type EditorLabelKey = (typeof EDITOR_LABEL_KEYS)[number];
export type EditorLabels = Readonly<Record<EditorLabelKey, string>>;

/**
 * The labels in a page's JSON, and the keys it lacks. A missing label is a defect of the page;
 * the editor still starts, with the key standing in for the word, because an editor that does
 * not start leaves the body, hidden as JSON, impossible to write at all.
 */
export function readEditorLabels(json: string): {
  labels: EditorLabels;
  missing: EditorLabelKey[];
} {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = {};
  }
  const given: Record<string, unknown> =
    typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const labels: Partial<Record<EditorLabelKey, string>> = {};
  const missing: EditorLabelKey[] = [];
  for (const key of EDITOR_LABEL_KEYS) {
    const value = given[key];
    if (typeof value === 'string' && value !== '') labels[key] = value;
    else {
      labels[key] = key;
      missing.push(key);
    }
  }
  return { labels: labels as EditorLabels, missing };
}
