import { assertUnreachable } from '../lib/assert.js';
import { editionPrefix, type Language } from '../lib/language.js';
import { drawsNothing, visibleLengthProblem } from '../lib/visible-text.js';

/**
 * Corrections and clarifications: dated public notes the newsroom adds to a published article.
 * A correction says a fact was wrong, a clarification that something was unclear. They are a
 * public record: none is ever edited or deleted, and a wrong one is set right by another.
 */

export const CORRECTION_KINDS = ['correction', 'clarification'] as const;
export type CorrectionKind = (typeof CORRECTION_KINDS)[number];

/** The longest note, in visible characters: a paragraph, not a second article. */
export const MAX_CORRECTION_LENGTH = 2000;

/** Lines on one page of an edition's corrections. */
export const CORRECTIONS_PER_PAGE = 20;

/** A note as the article page shows it. */
export type ArticleCorrection = {
  id: string;
  kind: CorrectionKind;
  body: string;
  publishedAt: Date;
};

/** A line of an edition's corrections page: the note and the article it corrects. */
export type CorrectionEntry = ArticleCorrection & {
  article: { id: string; headline: string; path: string };
};

export type CorrectionsPage = {
  entries: CorrectionEntry[];
  page: number;
  /** Whether an older page follows. */
  hasOlder: boolean;
};

export function isCorrectionKind(value: string): value is CorrectionKind {
  return (CORRECTION_KINDS as readonly string[]).includes(value);
}

/**
 * The note as stored: trimmed, and refused (null) when it shows nothing or is longer than
 * MAX_CORRECTION_LENGTH visible characters (the rule every text people type is held to,
 * src/lib/visible-text.ts).
 */
export function correctionText(body: string): string | null {
  const text = body.trim();
  if (text.length === 0 || drawsNothing(text)) return null;
  return visibleLengthProblem(text, MAX_CORRECTION_LENGTH) === null ? text : null;
}

/** The address of an edition's corrections page. */
export function correctionsPath(language: Language, page = 1): string {
  const path = `${editionPrefix(language)}/corrections`;
  return page > 1 ? `${path}?page=${page}` : path;
}

/** Which catalogue label a kind takes (exhaustive: a new kind must be named in both editions). */
export function kindLabel<T>(kind: CorrectionKind, labels: { correction: T; clarification: T }): T {
  switch (kind) {
    case 'correction':
      return labels.correction;
    case 'clarification':
      return labels.clarification;
    default:
      return assertUnreachable(kind);
  }
}
