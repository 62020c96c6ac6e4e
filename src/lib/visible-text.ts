/**
 * Text as a reader sees it, for every rule that counts or screens what people type: comments,
 * reports, appeals and notes (src/comments/comment-text.ts), display names (accounts), the policy
 * (src/policy/policy.ts). Bundled for the browser too, through comment-text.ts, so it imports
 * nothing from Node.
 *
 * A visible character is an extended grapheme cluster (UAX #29). Segmenting is where hostile
 * input costs: V8 gives every segment an `input` that is a fresh copy of the whole string, so
 * `[...segmenter.segment(text)]` is quadratic in time and memory (a 65,000-character display name
 * took the process down). Every count here goes window by window, and every bounded check refuses
 * input too long to pass before it counts anything.
 */

/**
 * The most UTF-16 code units one visible character may be made of. The longest emoji sequences
 * in use (a kiss with two skin tones, a family of four, a subdivision flag) take 11–15 units; an
 * old Hangul syllable of conjoining jamo or an Indic conjunct takes under 10. Beyond a few dozen
 * a "character" is a run of jamo, joiners or stacked marks made to draw over its neighbours.
 */
export const MAX_UNITS_PER_CHARACTER = 32;

// Grapheme clusters do not depend on the locale; 'und' says so. Built once: a segmenter holds no
// state between calls.
const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** Code units segmented at a time; see countVisible. */
const WINDOW = 128;

export type VisibleCount = Readonly<{
  count: number;
  /** A cluster was longer than the cap asked for: counting stopped there, `count` is partial. */
  characterTooLong: boolean;
}>;

/**
 * Counts grapheme clusters a window at a time, so the cost is linear. Exact because a boundary
 * depends only on the text before it and the one character after: boundaries strictly inside a
 * window are the whole text's, and segmenting again from a boundary finds the same ones. The last
 * cluster of a window may go on past it, so it is counted from the next window. A cluster longer
 * than a window (a letter under hundreds of combining marks) grows the window until it fits,
 * unless a cap below the window's size was asked for: such a cluster is over it already, and
 * counting stops.
 */
export function countVisible(text: string, maxUnitsPerCharacter = Infinity): VisibleCount {
  let count = 0;
  let start = 0;
  let size = WINDOW;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    // Never cut a surrogate pair: its halves would each read as a character of their own.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    const window = text.slice(start, end);
    let next = start;
    for (const { index, segment } of graphemes.segment(window)) {
      const clusterEnd = index + segment.length;
      if (end < text.length && clusterEnd === window.length) break;
      if (segment.length > maxUnitsPerCharacter) return { count, characterTooLong: true };
      count += 1;
      next = start + clusterEnd;
      // A grown window is taken only for its long cluster; what follows goes in small windows.
      if (size > WINDOW) break;
    }
    if (next === start) {
      // The first cluster fills the whole window: at least WINDOW - 1 units long.
      if (WINDOW - 1 > maxUnitsPerCharacter) return { count, characterTooLong: true };
      size *= 2;
    } else {
      start = next;
      size = WINDOW;
    }
  }
  return { count, characterTooLong: false };
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

export type VisibleLengthProblem = 'too_long' | 'character_too_long';

/**
 * Whether `text` fits in `max` visible characters of at most MAX_UNITS_PER_CHARACTER units each.
 * Input longer than max × MAX_UNITS_PER_CHARACTER units cannot pass either way, so it is refused
 * as too long before any segmenting: whatever a request or a provider sends, the work here is
 * bounded by the limit, not by the input.
 */
export function visibleLengthProblem(text: string, max: number): VisibleLengthProblem | null {
  if (text.length > max * MAX_UNITS_PER_CHARACTER) return 'too_long';
  const { count, characterTooLong } = countVisible(text, MAX_UNITS_PER_CHARACTER);
  if (characterTooLong) return 'character_too_long';
  return count > max ? 'too_long' : null;
}

/**
 * The bidirectional formatting characters (Bidi_Control: ALM, LRM, RLM, the embeddings and
 * overrides U+202A–U+202E, the isolates U+2066–U+2069). Invisible themselves, they reorder what
 * is around them: "https://evil.example/\u202Emoc.elpmaxe.swen" shows one address and links to
 * another, and a name can show as someone else's. Korean and English text never needs them.
 */
const DIRECTION_CONTROL = /\p{Bidi_Control}/u;

export function hasDirectionControl(text: string): boolean {
  return DIRECTION_CONTROL.test(text);
}

/**
 * Text that draws nothing: whitespace, default-ignorable code points (zero-width space and
 * joiners, the Hangul fillers U+3164, U+115F, U+1160 and U+FFA0, variation selectors, the BOM,
 * soft hyphens) and the blank braille pattern U+2800, which fonts draw as nothing. A comment or a
 * name made only of these would look empty, so the rules treat it as empty.
 */
const DRAWS_NOTHING = /^[\s\p{Default_Ignorable_Code_Point}\u2800]*$/u;

export function drawsNothing(text: string): boolean {
  return DRAWS_NOTHING.test(text);
}

// In a name, anything without a visible form of its own: controls, private use, unpaired
// surrogates, line and paragraph separators, direction controls, the Hangul fillers used as
// invisible padding, and format characters (zero-width space, word joiner, BOM…) except the
// joiners and tags that emoji are built with, which the two patterns below place.
const HIDDEN_IN_NAME =
  /[\p{Cc}\p{Co}\p{Cs}\u2028\u2029\u3164\uFFA0]|\p{Bidi_Control}|(?!\u200C|\u200D|[\u{E0020}-\u{E007F}])\p{Cf}/u;
// ZWJ and ZWNJ build emoji sequences (👨‍👩‍👧) and some scripts' spellings, always between two
// characters outside ASCII. Beside a Latin letter, a space or an end they only disguise a name
// ("Ad\u200Dmin" for "Admin").
const LOOSE_JOINER = /(?<![^\s\p{ASCII}])[\u200C\u200D]|[\u200C\u200D](?![^\s\p{ASCII}])/u;
// Tag characters spell a subdivision flag after U+1F3F4 (the flag of Scotland); anywhere else they are invisible text.
const LOOSE_TAG = /(?<![\u{1F3F4}\u{E0020}-\u{E007F}])[\u{E0020}-\u{E007F}]/u;

/**
 * Whether a name holds something that is drawn as nothing or reorders what is drawn, so that it
 * could pass for another name. Emoji sequences with joiners and subdivision flags pass.
 */
export function hasHiddenFormat(name: string): boolean {
  return HIDDEN_IN_NAME.test(name) || LOOSE_JOINER.test(name) || LOOSE_TAG.test(name);
}
