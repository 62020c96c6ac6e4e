import { z } from 'zod';
import { repeated } from '../http/schemas.js';
import { policyVersion } from './policy.schemas.js';
import type { Bilingual, PolicyClause, PolicyDraft, PolicyVersion } from './policy.js';

/**
 * The admin's policy editor as a form: what it shows, and what it sends back, parsed at the
 * edge. A clause is a row of repeated fields, in the same order in every list; @fastify/formbody
 * gives a repeated field as an array, and a field sent once as a plain string (`repeated`).
 */

export type PolicyEditorRow = {
  number: number;
  /** A clause of the version being edited (its number is fixed), or a row for a new one. */
  kept: boolean;
  remove: boolean;
  title: Bilingual;
  text: Bilingual;
  /** False for a clause no comment can break (about the board itself): reports cannot cite it. */
  reportable: boolean;
};

export type PolicyEditorForm = {
  basedOn: number;
  intro: Bilingual;
  note: Bilingual;
  rows: PolicyEditorRow[];
};

/** Empty rows the editor offers for new clauses. */
export const NEW_CLAUSE_ROWS = 2;
/** More rows than any policy has: a bound on what one request can make the server parse. */
const MAX_ROWS = 500;

const empty: Bilingual = { en: '', ko: '' };

/** The editor filled in from the version in force, with empty rows numbered after every number used. */
export function editorFormOf(policy: PolicyVersion, nextNumber: number): PolicyEditorForm {
  return {
    basedOn: policy.version,
    intro: policy.intro,
    note: empty,
    rows: [
      ...policy.clauses.map((c) => ({ ...c, kept: true, remove: false })),
      ...Array.from({ length: NEW_CLAUSE_ROWS }, (_, i) => ({
        number: nextNumber + i,
        kept: false,
        remove: false,
        title: empty,
        text: empty,
        reportable: true,
      })),
    ],
  };
}

const text = z.string().max(20_000);
/** Rows of repeated fields: as many as the form has rows, and no more than any policy has. */
const rows = <T extends z.ZodType<string>>(item: T) =>
  repeated(item).refine((list) => list.length <= MAX_ROWS);
const clauseNumber = z.string().regex(/^\d{1,10}$/);
const numbers = rows(clauseNumber).transform((list) => list.map(Number));

/**
 * The editor's form as its route's body schema (policy-editor.routes.tsx): a form that is not
 * this editor's (a missing field, lists of different lengths) is a bad request, refused before
 * the handler; what it gives the handler is the form as the editor shows it.
 */
export const policyEditorBody = z
  .object({
    basedOn: policyVersion,
    introEn: text,
    introKo: text,
    noteEn: text,
    noteKo: text,
    clauseNumber: numbers,
    clauseKept: rows(z.enum(['0', '1'])),
    titleEn: rows(text),
    titleKo: rows(text),
    textEn: rows(text),
    textKo: rows(text),
    /** Checkbox values: the numbers of the clauses to remove (unticked boxes are not sent). */
    remove: numbers,
    /**
     * Checkbox values: the numbers of the clauses no comment can break. A clause is reportable
     * unless ticked, so a form without the box leaves readers able to cite every clause.
     */
    notReportable: numbers,
  })
  .refine((f) =>
    [f.clauseKept, f.titleEn, f.titleKo, f.textEn, f.textKo].every(
      (l) => l.length === f.clauseNumber.length,
    ),
  )
  .transform((f): PolicyEditorForm => {
    const removed = new Set(f.remove);
    const notReportable = new Set(f.notReportable);
    return {
      basedOn: f.basedOn,
      intro: { en: f.introEn, ko: f.introKo },
      note: { en: f.noteEn, ko: f.noteKo },
      rows: f.clauseNumber.map((n, i) => {
        const kept = f.clauseKept[i] === '1';
        return {
          number: n,
          kept,
          remove: kept && removed.has(n),
          title: { en: f.titleEn[i] ?? '', ko: f.titleKo[i] ?? '' },
          text: { en: f.textEn[i] ?? '', ko: f.textKo[i] ?? '' },
          reportable: !notReportable.has(n),
        };
      }),
    };
  });

/** The form as sent, or undefined when it is not this editor's form. */
export function parseEditorForm(body: unknown): PolicyEditorForm | undefined {
  return policyEditorBody.safeParse(body).data;
}

const blank = (row: PolicyEditorRow) =>
  [row.title.en, row.title.ko, row.text.en, row.text.ko].every((s) => s.trim() === '');

/**
 * The draft to publish: clauses not ticked for removal, and the new rows the admin filled in
 * (an untouched new row adds nothing; a kept clause emptied by mistake is refused, not removed).
 */
export function draftOf(form: PolicyEditorForm): PolicyDraft {
  const clauses: PolicyClause[] = form.rows
    .filter((row) => !row.remove && (row.kept || !blank(row)))
    .map((row) => ({
      number: row.number,
      title: row.title,
      text: row.text,
      reportable: row.reportable,
    }));
  return { intro: form.intro, note: form.note, clauses };
}
