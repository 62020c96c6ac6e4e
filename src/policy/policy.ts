import { assertUnreachable } from '../lib/assert.js';
import { visibleLengthProblem } from '../lib/visible-text.js';

/**
 * The Standards Board Policy: a versioned document of numbered clauses, in English and Korean.
 * Types and the pure rules a new version must follow; storage and use cases live beside this.
 */

export type Bilingual = { en: string; ko: string };

export type PolicyClause = {
  number: number;
  title: Bilingual;
  text: Bilingual;
  /**
   * Whether a comment can break this clause. Reports cite only these: a clause about the board
   * itself (how it decides, appeals) is no rule a comment could break.
   */
  reportable: boolean;
};

export type PolicyVersion = {
  version: number;
  effectiveAt: Date;
  intro: Bilingual;
  /** What changed since the version before; empty for the first version. */
  note: Bilingual;
  clauses: PolicyClause[];
};

export type PolicyVersionSummary = { version: number; effectiveAt: Date; note: Bilingual };

/** What an admin submits to publish a version. */
export type PolicyDraft = { intro: Bilingual; note: Bilingual; clauses: PolicyClause[] };

/** Longest intro, clause title or clause text, in characters (grapheme clusters). */
export const POLICY_TEXT_MAX = 2000;
/** Longest "what changed" note, in characters: it is a line in the history, not a document. */
export const POLICY_NOTE_MAX = 500;
/** Clause numbers are stored as PostgreSQL integers. */
const CLAUSE_NUMBER_MAX = 2_147_483_647;

export type PolicyProblem =
  | { kind: 'no_clauses' }
  | { kind: 'intro_empty' }
  | { kind: 'intro_too_long' }
  | { kind: 'note_one_language' }
  | { kind: 'note_too_long' }
  | { kind: 'clause_empty'; clause: number }
  | { kind: 'clause_too_long'; clause: number }
  | { kind: 'bad_number'; clause: number }
  | { kind: 'duplicate_number'; clause: number }
  | { kind: 'reused_number'; clause: number };

/**
 * Text as stored: NFC (so the same Hangul typed on two systems is the same text), Windows line
 * ends made plain, and no surrounding white space.
 */
export function normalisePolicyText(raw: string): string {
  return raw.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

function bilingual(value: Bilingual): Bilingual {
  return { en: normalisePolicyText(value.en), ko: normalisePolicyText(value.ko) };
}

/** The draft as it would be stored: every text normalised, clauses in number order. */
export function normalisePolicyDraft(draft: PolicyDraft): PolicyDraft {
  return {
    intro: bilingual(draft.intro),
    note: bilingual(draft.note),
    clauses: draft.clauses
      .map((c) => ({
        number: c.number,
        title: bilingual(c.title),
        text: bilingual(c.text),
        reportable: c.reportable,
      }))
      .sort((a, b) => a.number - b.number),
  };
}

const bothEmpty = (value: Bilingual) => value.en === '' && value.ko === '';
const eitherEmpty = (value: Bilingual) => value.en === '' || value.ko === '';
/**
 * Characters as a reader counts them: grapheme clusters, so an emoji or a jamo sequence is one.
 * visibleLengthProblem refuses a text too long to pass before it counts (the editor takes a
 * megabyte), and a character built of dozens of parts is refused as too long too: the editor's
 * message names the limit, which is what the admin has to fix.
 */
const longerThan = (value: Bilingual, max: number) =>
  visibleLengthProblem(value.en, max) !== null || visibleLengthProblem(value.ko, max) !== null;

/**
 * The first thing wrong with a (normalised) draft on its own, or null. Whether its clause
 * numbers fit the policy's history is `clauseNumberProblem`'s question.
 */
export function policyDraftProblem(draft: PolicyDraft): PolicyProblem | null {
  if (eitherEmpty(draft.intro)) return { kind: 'intro_empty' };
  if (longerThan(draft.intro, POLICY_TEXT_MAX)) return { kind: 'intro_too_long' };
  // A note in one language only would leave one edition's readers without it.
  if (eitherEmpty(draft.note) && !bothEmpty(draft.note)) return { kind: 'note_one_language' };
  if (longerThan(draft.note, POLICY_NOTE_MAX)) return { kind: 'note_too_long' };
  if (draft.clauses.length === 0) return { kind: 'no_clauses' };
  const seen = new Set<number>();
  for (const clause of draft.clauses) {
    const n = clause.number;
    if (!Number.isSafeInteger(n) || n < 1 || n > CLAUSE_NUMBER_MAX)
      return { kind: 'bad_number', clause: n };
    if (seen.has(n)) return { kind: 'duplicate_number', clause: n };
    seen.add(n);
    if (eitherEmpty(clause.title) || eitherEmpty(clause.text))
      return { kind: 'clause_empty', clause: n };
    if (longerThan(clause.title, POLICY_TEXT_MAX) || longerThan(clause.text, POLICY_TEXT_MAX))
      return { kind: 'clause_too_long', clause: n };
  }
  return null;
}

/**
 * A clause number names one rule for ever, because moderation decisions cite (version, number).
 * The rule, kept simple on purpose: a clause of the version in force keeps its number while it
 * stays (its wording may be clarified); any other clause is new and takes a number above every
 * number ever used. So a removed clause's number is never used again, not even to restore the
 * same rule: restoring it makes a new clause.
 */
export function clauseNumberProblem(
  numbers: readonly number[],
  current: readonly number[],
  highestEver: number,
): PolicyProblem | null {
  const kept = new Set(current);
  for (const n of numbers)
    if (!kept.has(n) && n <= highestEver) return { kind: 'reused_number', clause: n };
  return null;
}

/** The problem in English, for logs and the AppError's detail; pages localise the kind. */
export function describePolicyProblem(problem: PolicyProblem): string {
  switch (problem.kind) {
    case 'no_clauses':
      return 'the policy has no clauses';
    case 'intro_empty':
      return 'the introduction is empty in one language';
    case 'intro_too_long':
      return `the introduction is longer than ${POLICY_TEXT_MAX} characters`;
    case 'note_one_language':
      return 'the note is written in one language only';
    case 'note_too_long':
      return `the note is longer than ${POLICY_NOTE_MAX} characters`;
    case 'clause_empty':
      return `clause ${problem.clause} has an empty title or text`;
    case 'clause_too_long':
      return `clause ${problem.clause} has a title or text longer than ${POLICY_TEXT_MAX} characters`;
    case 'bad_number':
      return `clause number ${problem.clause} is not a positive whole number`;
    case 'duplicate_number':
      return `clause number ${problem.clause} appears twice`;
    case 'reused_number':
      return `clause number ${problem.clause} is not in the version in force and was already used`;
    default:
      return assertUnreachable(problem);
  }
}
