import { diffArrays } from 'diff';
import { documentText } from './editor-document.js';
import type { StoryByline, StoryContent } from './story.js';

/**
 * What changed between two revisions of a story, for an editor to read: each field that differs,
 * old beside new; bylines and tags as what was added, removed or moved; the body word by word.
 * Pure: the pages render it, the tests read it.
 */

/** A run of text, unchanged or on one side only. */
export type TextPart = { change: 'same' | 'removed' | 'added'; text: string };

/** The fields compared as a whole; headline and summary also word by word. */
export type StoryField =
  | 'headline'
  | 'summary'
  | 'slug'
  | 'language'
  | 'section'
  | 'credit'
  | 'translation'
  | 'imageSrc'
  | 'imageAlt'
  | 'imageCaption'
  | 'imageCredit';

/** A changed field; '' stands for a value that is absent (no credit, no image, no translation). */
export type FieldChange = {
  field: StoryField;
  from: string;
  to: string;
  /** Headline and summary: the words that changed, in context. */
  words?: TextPart[];
};

export type BylineChange = {
  change: 'added' | 'removed' | 'moved';
  byline: StoryByline;
  /** Its place in the older revision's list, from 1 (removed and moved bylines). */
  from?: number;
  /** Its place in the newer revision's list, from 1 (added and moved bylines). */
  to?: number;
};

export type TagChange = { change: 'added' | 'removed'; tag: string };

/** One block of the body (a paragraph, a heading, an item), or unchanged blocks folded away. */
export type BodyLine =
  { kind: 'line'; changed: boolean; parts: TextPart[] } | { kind: 'folded'; count: number };

export type StoryDiff = {
  fields: FieldChange[];
  bylines: BylineChange[];
  tags: TagChange[];
  /** The body, or null when it did not change. */
  body: BodyLine[] | null;
  same: boolean;
};

/** Unchanged blocks kept on each side of a changed one, so a change is read in its context. */
export const CONTEXT_BLOCKS = 1;

/**
 * Words, runs of spaces and line ends, each a token: Korean changes a whole eojeol (word and its
 * particle) at a time and English a whole word, so neither is shown cut into letters, as a
 * character diff (or jsdiff's own tokenizer, which splits Hangul into syllables) would.
 */
function tokens(text: string): string[] {
  return text.match(/\n|[^\S\n]+|[^\s]+/gu) ?? [];
}

function isSpace(text: string): boolean {
  return /^[^\S\n]+$/u.test(text);
}

function push(parts: TextPart[], change: TextPart['change'], text: string): void {
  const last = parts.at(-1);
  if (last && last.change === change) last.text += text;
  else parts.push({ change, text });
}

/**
 * The most words and spaces changed that a comparison looks for. Its cost grows with the length
 * of the texts times the changes found, so a body rewritten from top to bottom would otherwise
 * hold a request for seconds; within a changed passage this is far beyond what is readable.
 */
export const MAX_EDIT_TOKENS = 2_000;

function side(change: 'removed' | 'added', text: string): TextPart[] {
  return text === '' ? [] : [{ change, text }];
}

/**
 * Two texts compared word by word. A lone space between two changes belongs to both sides, so
 * "the red car" → "a blue car" reads as one change, not two changes around a kept space.
 */
export function diffWords(from: string, to: string): TextPart[] {
  const changes = diffArrays(tokens(from), tokens(to), { maxEditLength: MAX_EDIT_TOKENS });
  // Beyond the bound the texts have little in common: shown as the one replaced by the other.
  if (changes === undefined) return regroup([...side('removed', from), ...side('added', to)]);
  const raw = changes.map((part) => ({
    change: part.removed
      ? ('removed' as const)
      : part.added
        ? ('added' as const)
        : ('same' as const),
    text: part.value.join(''),
  }));
  const parts: TextPart[] = [];
  raw.forEach((part, i) => {
    const before = raw[i - 1];
    const after = raw[i + 1];
    if (
      part.change === 'same' &&
      isSpace(part.text) &&
      before !== undefined &&
      before.change !== 'same' &&
      after !== undefined &&
      after.change !== 'same'
    ) {
      push(parts, 'removed', part.text);
      push(parts, 'added', part.text);
      return;
    }
    push(parts, part.change, part.text);
  });
  return regroup(parts);
}

/** Within a run of changes, everything removed first, then everything added. */
function regroup(parts: TextPart[]): TextPart[] {
  const out: TextPart[] = [];
  let removed = '';
  let added = '';
  const flush = () => {
    if (removed) out.push({ change: 'removed', text: removed });
    if (added) out.push({ change: 'added', text: added });
    removed = '';
    added = '';
  };
  for (const part of parts) {
    if (part.change === 'removed') removed += part.text;
    else if (part.change === 'added') added += part.text;
    else {
      flush();
      out.push(part);
    }
  }
  flush();
  return out;
}

/**
 * The body's changes as one run of text: blocks compared first, as whole lines (a few hundred at
 * most, cheap), then the words of each changed passage, so a change in one paragraph is never
 * matched against words of another and the word comparison stays within one passage.
 */
function bodyParts(from: string, to: string): TextPart[] {
  const parts: TextPart[] = [];
  const groups = diffArrays(from.split('\n'), to.split('\n'));
  groups.forEach((group, i) => {
    const text = group.value.join('\n');
    const next = groups[i + 1];
    if (group.removed && next?.added) {
      // A passage rewritten: its words compared with those of what replaced it.
      for (const part of diffWords(text, next.value.join('\n')))
        push(parts, part.change, part.text);
    } else if (!(group.added && groups[i - 1]?.removed)) {
      push(parts, group.removed ? 'removed' : group.added ? 'added' : 'same', text);
    }
    if (i < groups.length - 1 && !(group.removed && next?.added)) push(parts, 'same', '\n');
  });
  return parts;
}

/** The body's changes block by block, unchanged blocks far from any change folded into a count. */
export function diffBody(from: string, to: string): BodyLine[] {
  let line: { changed: boolean; parts: TextPart[] } = { changed: false, parts: [] };
  const all = [line];
  for (const part of bodyParts(from, to)) {
    part.text.split('\n').forEach((piece, i) => {
      // A line end starts the next block; one added or removed changes the block it ends.
      if (i > 0) {
        if (part.change !== 'same') line.changed = true;
        line = { changed: false, parts: [] };
        all.push(line);
      }
      if (piece === '') return;
      if (part.change !== 'same') line.changed = true;
      push(line.parts, part.change, piece);
    });
  }
  // documentText puts an empty line between blocks: a separator, not a block of its own.
  const lines = all.filter((block) => block.parts.length > 0);
  const near = (i: number) =>
    lines
      .slice(Math.max(0, i - CONTEXT_BLOCKS), i + CONTEXT_BLOCKS + 1)
      .some((block) => block.changed);
  const out: BodyLine[] = [];
  let far: TextPart[][] = [];
  const fold = () => {
    // One block alone takes no more room than the line saying it was folded: it is shown.
    if (far.length > 1) out.push({ kind: 'folded', count: far.length });
    else for (const parts of far) out.push({ kind: 'line', changed: false, parts });
    far = [];
  };
  lines.forEach((block, i) => {
    if (!near(i)) {
      far.push(block.parts);
      return;
    }
    fold();
    out.push({ kind: 'line', changed: block.changed, parts: block.parts });
  });
  fold();
  return out;
}

function fieldValues(content: StoryContent): Record<StoryField, string> {
  return {
    headline: content.headline,
    summary: content.summary,
    slug: content.slug,
    language: content.language,
    section: content.section,
    credit: content.credit,
    translation: content.translationId ?? '',
    imageSrc: content.image?.src ?? '',
    imageAlt: content.image?.alt ?? '',
    imageCaption: content.image?.caption ?? '',
    imageCredit: content.image?.credit ?? '',
  };
}

const FIELDS: readonly StoryField[] = [
  'headline',
  'summary',
  'slug',
  'language',
  'section',
  'credit',
  'translation',
  'imageSrc',
  'imageAlt',
  'imageCaption',
  'imageCredit',
];

const WORD_FIELDS: ReadonlySet<StoryField> = new Set(['headline', 'summary']);

/** A byline is the same person when both name and e-mail are (the e-mail without its case). */
function bylineKey(byline: StoryByline): string {
  return `${byline.name}\u0000${(byline.email ?? '').toLowerCase()}`;
}

function diffBylines(from: StoryByline[], to: StoryByline[]): BylineChange[] {
  const fromKeys = from.map(bylineKey);
  const toKeys = to.map(bylineKey);
  const changes: BylineChange[] = [];
  from.forEach((byline, i) => {
    if (!toKeys.includes(fromKeys[i] ?? ''))
      changes.push({ change: 'removed', byline, from: i + 1 });
  });
  // Moved: its order among the bylines kept on both sides changed, not merely its index
  // (a byline added in front moves no one).
  const keptFrom = fromKeys.filter((key) => toKeys.includes(key));
  const keptTo = toKeys.filter((key) => fromKeys.includes(key));
  to.forEach((byline, i) => {
    const key = toKeys[i] ?? '';
    if (!fromKeys.includes(key)) changes.push({ change: 'added', byline, to: i + 1 });
    else if (keptFrom.indexOf(key) !== keptTo.indexOf(key))
      changes.push({ change: 'moved', byline, from: fromKeys.indexOf(key) + 1, to: i + 1 });
  });
  return changes;
}

function diffTags(from: string[], to: string[]): TagChange[] {
  return [
    ...from.filter((tag) => !to.includes(tag)).map((tag) => ({ change: 'removed' as const, tag })),
    ...to.filter((tag) => !from.includes(tag)).map((tag) => ({ change: 'added' as const, tag })),
  ];
}

/** What changed from one revision's content to another's. */
export function diffStory(from: StoryContent, to: StoryContent): StoryDiff {
  const before = fieldValues(from);
  const after = fieldValues(to);
  const fields = FIELDS.filter((field) => before[field] !== after[field]).map(
    (field): FieldChange => ({
      field,
      from: before[field],
      to: after[field],
      ...(WORD_FIELDS.has(field) ? { words: diffWords(before[field], after[field]) } : {}),
    }),
  );
  const bylines = diffBylines(from.bylines, to.bylines);
  const tags = diffTags(from.tags, to.tags);
  const fromText = documentText(from.body);
  const toText = documentText(to.body);
  const body = fromText === toText ? null : diffBody(fromText, toText);
  return {
    fields,
    bylines,
    tags,
    body,
    same: fields.length === 0 && bylines.length === 0 && tags.length === 0 && body === null,
  };
}
