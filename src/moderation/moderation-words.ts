import { linkSegments } from '../comments/comment-text.js';
import { visibleLengthProblem } from '../lib/visible-text.js';

/**
 * The word lists' pure rules: how an admin's list is read, how a word and a comment are brought to
 * one form for comparison, and when a comment contains a listed word. Imports nothing from Node,
 * like comment-text.ts, so the same rule could run in the browser.
 *
 * The matching rule, as the admin's page explains it:
 * - Case and Unicode composition are ignored: both sides go through foldForMatching.
 * - An entry containing Hangul matches anywhere in the text. Korean attaches particles and
 *   endings to the word itself (바보야, 바보가, 바보처럼), so a boundary rule would let every
 *   inflected form through.
 * - Any other entry matches only as a whole word: the character just before it and the one just
 *   after it may not be a letter, a digit or a combining mark (Unicode-aware, so "ass" does not
 *   match "class" or "assé"). One exception, for the same reason as above: Hangul right after the
 *   entry is read as a particle, so "spam이다" contains "spam".
 */

/** An entry's longest form, in visible characters (grapheme clusters). */
export const WORD_MAX = 60;

export type WordListProblem = Readonly<{
  /** The line of the admin's text, from 1. */
  line: number;
  reason: 'too_long' | 'control';
}>;

export type ParsedWordList =
  | Readonly<{ ok: true; words: string[] }>
  | Readonly<{ ok: false; problems: readonly [WordListProblem, ...WordListProblem[]] }>;

/**
 * NFC, then lowercase, then NFC again (lowercasing can leave a sequence that composes, and the
 * stored form must be stable). Deliberately toLowerCase, not toLocaleLowerCase: the lists and the
 * comments are in more than one language, and a fold that depended on the server's or a reader's
 * locale would make the same word match on one machine and not another. The price is known and
 * accepted: Turkish İ folds to "i" plus U+0307 (not "i"), dotless ı stays apart from i, and German
 * ß is not expanded to "ss" (straße and strasse are two entries, as the admin writes them).
 */
export function foldForMatching(text: string): string {
  return text.normalize('NFC').toLowerCase().normalize('NFC');
}

// Cc: C0 controls, DEL and C1 (as comment-text.ts refuses in comments). Tabs too: an entry is one
// word or phrase on one line, and a tab in it is a paste gone wrong.
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * One entry per line: trimmed, folded, de-duplicated (first occurrence kept), blank lines skipped.
 * Every bad line is reported, so the admin can fix them all at once; nothing is kept if any is.
 */
export function parseWordList(raw: string): ParsedWordList {
  const words: string[] = [];
  const seen = new Set<string>();
  const problems: WordListProblem[] = [];
  raw.split(/\r\n|\r|\n/).forEach((rawLine, index) => {
    const entry = foldForMatching(rawLine.trim());
    if (entry === '') return;
    const line = index + 1;
    if (CONTROL.test(entry) || LONE_SURROGATE.test(entry))
      problems.push({ line, reason: 'control' });
    // Bounded before it counts (a line may be a whole request long); a character of dozens of
    // parts is over the limit too, which is what the message asks the admin to fix.
    else if (visibleLengthProblem(entry, WORD_MAX) !== null)
      problems.push({ line, reason: 'too_long' });
    else if (!seen.has(entry)) {
      seen.add(entry);
      words.push(entry);
    }
  });
  const [first, ...rest] = problems;
  return first ? { ok: false, problems: [first, ...rest] } : { ok: true, words };
}

const HANGUL = /\p{Script=Hangul}/u;
// What may not touch a whole-word entry. Marks are included: in NFC a letter's accent is usually
// part of it, but a mark with no precomposed form stays separate and still belongs to the word.
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** The first of `words` (in their order) that `text` contains under the rule above, folded. */
export function findListedWord(text: string, words: readonly string[]): string | undefined {
  const folded = foldForMatching(text);
  for (const listed of words) {
    const word = foldForMatching(listed);
    if (word !== '' && containsWord(folded, word)) return word;
  }
  return undefined;
}

/** Every one of `words` that `text` contains, folded, in their order: what the desk is shown. */
export function listedWordsIn(text: string, words: readonly string[]): string[] {
  const folded = foldForMatching(text);
  return words
    .map((listed) => foldForMatching(listed))
    .filter((word) => word !== '' && containsWord(folded, word));
}

function containsWord(text: string, word: string): boolean {
  if (HANGUL.test(word)) return text.includes(word);
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    const before = codePointBefore(text, at);
    const after = text.codePointAt(at + word.length);
    if (before !== undefined && isWordChar(before)) continue;
    if (after !== undefined && isWordChar(after) && !HANGUL.test(String.fromCodePoint(after)))
      continue;
    return true;
  }
  return false;
}

function isWordChar(codePoint: number): boolean {
  return WORD_CHAR.test(String.fromCodePoint(codePoint));
}

/** The code point ending just before `index`, a surrogate pair read whole. */
function codePointBefore(text: string, index: number): number | undefined {
  if (index === 0) return undefined;
  const low = text.charCodeAt(index - 1);
  if (index >= 2 && low >= 0xdc00 && low <= 0xdfff) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.codePointAt(index - 2);
  }
  return low;
}

/** Links as readers will see them: exactly what linkSegments turns into anchors. */
export function countLinks(text: string): number {
  return linkSegments(text).filter((segment) => segment.kind === 'link').length;
}

export type WordListsProblem =
  | Readonly<{
      kind: 'entry';
      list: 'banned' | 'suspect';
      line: number;
      reason: 'too_long' | 'control';
    }>
  | Readonly<{ kind: 'both_lists'; word: string }>;

export type ParsedWordLists =
  | Readonly<{ ok: true; banned: string[]; suspect: string[] }>
  | Readonly<{ ok: false; problem: WordListsProblem }>;

/**
 * Both of the admin's lists, checked together: a word may not be in both, since a banned word
 * refuses the comment and the suspect entry could never apply. The first problem is reported.
 */
export function parseWordLists(raw: { banned: string; suspect: string }): ParsedWordLists {
  const banned = parseWordList(raw.banned);
  if (!banned.ok)
    return { ok: false, problem: { kind: 'entry', list: 'banned', ...banned.problems[0] } };
  const suspect = parseWordList(raw.suspect);
  if (!suspect.ok)
    return { ok: false, problem: { kind: 'entry', list: 'suspect', ...suspect.problems[0] } };
  const bannedSet = new Set(banned.words);
  const both = suspect.words.find((word) => bannedSet.has(word));
  if (both !== undefined) return { ok: false, problem: { kind: 'both_lists', word: both } };
  return { ok: true, banned: banned.words, suspect: suspect.words };
}
