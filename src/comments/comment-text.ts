/**
 * The text of a comment: how it is checked, counted and shown. One module for the server and the
 * browser island (it is bundled for both), so the counter under the form and the rule that
 * refuses a comment can never disagree. It must therefore import nothing from Node.
 *
 * A "character" here is what a reader sees as one: an extended grapheme cluster (UAX #29) of the
 * NFC text. 한 typed as three jamo, 👍🏽, 👨‍👩‍👧 and 🇰🇷 are one character each; a newline is one.
 * Counting and the rules shared with names and the policy are in src/lib/visible-text.ts.
 */

import {
  MAX_UNITS_PER_CHARACTER,
  countVisible,
  drawsNothing,
  hasDirectionControl,
} from '../lib/visible-text.js';

export type CommentTextProblem =
  | { code: 'COMMENT_EMPTY' }
  | { code: 'COMMENT_TOO_LONG'; count: number; limit: number }
  | { code: 'COMMENT_INVALID_TEXT'; reason: 'control' | 'nul' | 'surrogate' }
  | { code: 'COMMENT_DIRECTION_CONTROL' }
  | { code: 'COMMENT_CHARACTER_TOO_LONG'; limit: number };

export type CheckedCommentText =
  { ok: true; text: string; length: number } | { ok: false; problem: CommentTextProblem };

export type TextSegment =
  { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const NUL = /\0/;
// Cc is the C0 controls, DEL and the C1 block (U+0080–U+009F, NEL U+0085 among them); tab, LF and
// CR are let through. None has a visible form and some confuse terminals and log readers.
const CONTROL = /(?![\t\n\r])\p{Cc}/u;
// With the u flag a valid pair is one code point, so only an unpaired half matches. (Not
// String.prototype.isWellFormed: browsers from before 2023 lack it.)
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** CRLF and lone CR become LF, then NFC. */
export function normalizeCommentText(raw: string): string {
  return raw.replace(/\r\n?/g, '\n').normalize('NFC');
}

/** Extended grapheme clusters (Intl.Segmenter, granularity 'grapheme') of normalizeCommentText(raw). */
export function visibleLength(raw: string): number {
  return countVisible(normalizeCommentText(raw)).count;
}

/**
 * The server's rule, also what the counter shows. Invalid characters are looked for in the raw
 * input (normalizing first could hide nothing, but refusing what the reader actually sent is the
 * honest answer). Leading and trailing whitespace count as typed, so the counter never drops when
 * a space is added; what is stored is trimmed. Never truncates: a long comment is refused whole.
 *
 * Direction controls are refused, not stripped: the text is shown again with the error, so the
 * reader sees what to remove, and what is stored is exactly what they sent. Stripping would also
 * make the counter and the stored text disagree. Text that draws nothing (zero-width spaces, the
 * Hangul filler U+3164) is refused as empty, since it would show as an empty comment.
 */
export function checkCommentText(raw: string, limit: number): CheckedCommentText {
  if (NUL.test(raw)) return invalid('nul');
  if (CONTROL.test(raw)) return invalid('control');
  if (LONE_SURROGATE.test(raw)) return invalid('surrogate');
  if (hasDirectionControl(raw)) return refused({ code: 'COMMENT_DIRECTION_CONTROL' });
  const normalized = normalizeCommentText(raw);
  const text = normalized.trim();
  if (drawsNothing(text)) return refused({ code: 'COMMENT_EMPTY' });
  const { count, characterTooLong } = countVisible(normalized, MAX_UNITS_PER_CHARACTER);
  if (characterTooLong)
    return refused({ code: 'COMMENT_CHARACTER_TOO_LONG', limit: MAX_UNITS_PER_CHARACTER });
  if (count > limit) return refused({ code: 'COMMENT_TOO_LONG', count, limit });
  return { ok: true, text, length: count };
}

function refused(problem: CommentTextProblem): CheckedCommentText {
  return { ok: false, problem };
}

function invalid(reason: 'control' | 'nul' | 'surrogate'): CheckedCommentText {
  return refused({ code: 'COMMENT_INVALID_TEXT', reason });
}

// Where a link may start: a scheme we allow, or a bare www. host. The \b keeps "xhttps://" and
// "awww." out; the character before the match is checked again in linkSegments.
const LINK_START = /\b(?:https?:\/\/|www\.)/gi;
// The link itself, matched on the text from its start: an ASCII host name (so a Korean particle
// written right after it, as in "example.com에서", stays text), an optional port, then anything
// up to whitespace or a character that cannot appear in a typed address. Korean in the path is
// kept. No part can match the same characters two ways, so matching stays linear.
const LINK_BODY =
  /^(?:https?:\/\/|www\.)[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d{1,5})?(?:[/?#][^\s<>"]*)?/i;
// An "@" before the path means userinfo ("https://news.example:x@evil.example"), which reads as
// one host and goes to another. Bounded, so text full of link starts costs linear time.
const USERINFO = /^(?:https?:\/\/)?[^\s/?#]{0,256}@/i;
// Characters that end a sentence rather than an address when they come last; each is one UTF-16
// unit, as trimTrailing assumes.
const TRAILING = new Set(Array.from('.,:;!?\'"…。、，．！？～'));
// Closing brackets, with their openers: dropped from the end only when the link did not open them.
const CLOSERS = new Map([
  [')', '('],
  [']', '['],
  ['}', '{'],
  ['）', '（'],
  ['］', '［'],
  ['｝', '｛'],
  ['」', '「'],
  ['』', '『'],
  ['】', '【'],
  ['〉', '〈'],
  ['》', '《'],
  ['〕', '〔'],
]);
// A link glued to what comes before it is part of something else: "a.www.b", "me@www.b", "/www.",
// or an address inside another scheme ("javascript:https://…"). A colon after Korean, as in
// "출처:https://…", is punctuation and the link stands.
const GLUED_BEFORE = /(?:[.@/-]|[a-z0-9+.-]:)$/i;

/**
 * Splits stored text into plain text and links. Only http(s) addresses and www. hosts become
 * links; nothing else is interpreted (no HTML, no Markdown), so the renderer escapes every
 * segment's text. The segments' texts joined are exactly the input.
 */
export function linkSegments(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let plainFrom = 0;
  for (const start of text.matchAll(LINK_START)) {
    const at = start.index;
    if (at < plainFrom || GLUED_BEFORE.test(text.slice(Math.max(0, at - 2), at))) continue;
    const link = linkAt(text, at);
    if (!link) continue;
    if (at > plainFrom) segments.push({ kind: 'text', text: text.slice(plainFrom, at) });
    segments.push(link);
    plainFrom = at + link.text.length;
  }
  if (plainFrom < text.length) segments.push({ kind: 'text', text: text.slice(plainFrom) });
  return segments;
}

function linkAt(text: string, at: number): TextSegment | undefined {
  const rest = text.slice(at);
  const match = LINK_BODY.exec(rest);
  if (!match || USERINFO.test(rest)) return undefined;
  const typed = trimTrailing(match[0]);
  // A direction control inside an address makes it show as another one ("…/\u202Emoc.elpmaxe" reads
  // as "example.com…"). New text with one is refused (checkCommentText); text stored before that
  // rule keeps it as plain text, never as a link to somewhere it does not say.
  if (hasDirectionControl(typed)) return undefined;
  const href = /^www\./i.test(typed) ? `https://${typed}` : typed;
  return isAbsoluteHttpUrl(href) ? { kind: 'link', text: typed, href } : undefined;
}

/** Drops sentence punctuation and unopened closing brackets from the end, in linear time. */
function trimTrailing(candidate: string): string {
  const counts = new Map<string, number>();
  for (const char of candidate) counts.set(char, (counts.get(char) ?? 0) + 1);
  let end = candidate.length;
  for (;;) {
    // Every character dropped here is one UTF-16 unit, so charAt is enough.
    const last = candidate.charAt(end - 1);
    const opener = CLOSERS.get(last);
    const unopened = opener !== undefined && (counts.get(opener) ?? 0) < (counts.get(last) ?? 0);
    if (!TRAILING.has(last) && !unopened) return candidate.slice(0, end);
    counts.set(last, (counts.get(last) ?? 0) - 1);
    end -= 1;
  }
}

/**
 * The URL parser is the judge of validity (a port over 65535, for one, passes the pattern).
 * URL.canParse is too recent for the browsers we serve, so a throw is the "no" answer here and
 * nothing needs logging: the text simply stays text.
 */
function isAbsoluteHttpUrl(href: string): boolean {
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
