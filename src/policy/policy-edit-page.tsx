import { assertUnreachable } from '../lib/assert.js';
import { editionPrefix } from '../lib/language.js';
import type { Messages } from '../views/i18n.js';
import { CsrfField, FieldError, privatePageMeta } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import { POLICY_NOTE_MAX, POLICY_TEXT_MAX, type Bilingual, type PolicyProblem } from './policy.js';
import type { PolicyEditorForm, PolicyEditorRow } from './policy-editor-form.js';

/** The admin's editor: the version in force, ready to be changed and published as the next. */

export function policyProblemMessage(t: Messages, problem: PolicyProblem): string {
  const p = t.policyProblem;
  switch (problem.kind) {
    case 'no_clauses':
    case 'intro_empty':
    case 'note_one_language':
      return p[problem.kind];
    case 'intro_too_long':
      return p.intro_too_long(POLICY_TEXT_MAX);
    case 'note_too_long':
      return p.note_too_long(POLICY_NOTE_MAX);
    case 'clause_too_long':
      return p.clause_too_long(String(problem.clause), POLICY_TEXT_MAX);
    case 'clause_empty':
    case 'bad_number':
    case 'duplicate_number':
    case 'reused_number':
      return p[problem.kind](String(problem.clause));
    default:
      return assertUnreachable(problem);
  }
}

/** Where a refusal shows: beside the intro, the note, one clause, or above the form. */
export type PolicyRefusalPlace = 'intro' | 'note' | { clause: number } | undefined;

export type PolicyRefusal = Readonly<{ message: string; place: PolicyRefusalPlace }>;

export function policyProblemPlace(problem: PolicyProblem): PolicyRefusalPlace {
  switch (problem.kind) {
    case 'no_clauses':
      return undefined;
    case 'intro_empty':
    case 'intro_too_long':
      return 'intro';
    case 'note_one_language':
    case 'note_too_long':
      return 'note';
    case 'clause_empty':
    case 'clause_too_long':
    case 'bad_number':
    case 'duplicate_number':
    case 'reused_number':
      return { clause: problem.clause };
    default:
      return assertUnreachable(problem);
  }
}

/** A pair of fields, one per language, for one bilingual text. */
function BilingualFields({
  ctx,
  id,
  names,
  label,
  value,
  rows,
  maxLength,
}: {
  ctx: ViewContext;
  id: string;
  names: { en: string; ko: string };
  label: string;
  value: Bilingual;
  rows: number;
  maxLength: number;
}) {
  const { t } = ctx;
  return (
    <>
      {(['en', 'ko'] as const).map((language) => (
        <p key={language} class="policy-field">
          <label for={`${id}-${language}`}>
            {label} ({language === 'en' ? t.policyInEnglish : t.policyInKorean})
          </label>
          <textarea
            id={`${id}-${language}`}
            name={names[language]}
            lang={language}
            rows={rows}
            maxLength={maxLength}
          >
            {value[language]}
          </textarea>
        </p>
      ))}
    </>
  );
}

function ClauseFields({
  ctx,
  row,
  index,
  error,
}: {
  ctx: ViewContext;
  row: PolicyEditorRow;
  index: number;
  error: string | undefined;
}) {
  const { t } = ctx;
  const n = String(row.number);
  // Not `clause-<n>`: that is the public page's anchor for a clause.
  const id = `row-${String(index)}`;
  return (
    <fieldset class={row.kept ? 'policy-clause' : 'policy-clause policy-clause-new'}>
      <legend>{row.kept ? t.policyClauseNumber(n) : t.policyNewClause(n)}</legend>
      <FieldError id={`${id}-error`} text={error} />
      {row.kept ? null : <p class="help">{t.policyNewClauseHelp}</p>}
      <input type="hidden" name="clauseNumber" value={n} />
      <input type="hidden" name="clauseKept" value={row.kept ? '1' : '0'} />
      <BilingualFields
        ctx={ctx}
        id={`${id}-title`}
        names={{ en: 'titleEn', ko: 'titleKo' }}
        label={t.policyClauseTitleLabel}
        value={row.title}
        rows={1}
        maxLength={POLICY_TEXT_MAX}
      />
      <BilingualFields
        ctx={ctx}
        id={`${id}-text`}
        names={{ en: 'textEn', ko: 'textKo' }}
        label={t.policyClauseTextLabel}
        value={row.text}
        rows={4}
        maxLength={POLICY_TEXT_MAX}
      />
      <p>
        <input
          type="checkbox"
          id={`${id}-not-reportable`}
          name="notReportable"
          value={n}
          checked={!row.reportable}
        />{' '}
        <label for={`${id}-not-reportable`}>{t.policyClauseNotReportable}</label>
      </p>
      {row.kept ? (
        <p>
          <input type="checkbox" id={`${id}-remove`} name="remove" value={n} checked={row.remove} />{' '}
          <label for={`${id}-remove`}>{t.policyRemoveClause}</label>
        </p>
      ) : null}
    </fieldset>
  );
}

export function PolicyEditPage({
  ctx,
  csrfToken,
  form,
  error,
}: {
  ctx: ViewContext;
  csrfToken: string;
  form: PolicyEditorForm;
  error?: PolicyRefusal | undefined;
}) {
  const { t, language } = ctx;
  const place = error?.place;
  const at = (where: 'intro' | 'note') => (place === where ? error?.message : undefined);
  const atClause = (n: number) =>
    typeof place === 'object' && place.clause === n ? error?.message : undefined;
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, t.policyEditTitle, '/admin/policy')}>
      <h1>{t.policyEditTitle}</h1>
      <p>{t.policyEditHelp}</p>
      <p>{t.policyEditBasedOn(String(form.basedOn))}</p>
      <FieldError id="policy-error" text={place === undefined ? error?.message : undefined} />
      <form method="post" action={`${editionPrefix(language)}/admin/policy`} class="policy-edit">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="basedOn" value={String(form.basedOn)} />
        <BilingualFields
          ctx={ctx}
          id="policy-intro"
          names={{ en: 'introEn', ko: 'introKo' }}
          label={t.policyIntroLabel}
          value={form.intro}
          rows={4}
          maxLength={POLICY_TEXT_MAX}
        />
        <FieldError id="policy-intro-error" text={at('intro')} />
        {form.rows.map((row, index) => (
          <ClauseFields
            key={index}
            ctx={ctx}
            row={row}
            index={index}
            error={atClause(row.number)}
          />
        ))}
        <fieldset class="policy-note">
          <legend>{t.policyNoteLabel}</legend>
          <FieldError id="policy-note-error" text={at('note')} />
          <p class="help">{t.policyNoteHelp}</p>
          <BilingualFields
            ctx={ctx}
            id="policy-note"
            names={{ en: 'noteEn', ko: 'noteKo' }}
            label={t.policyNoteLabel}
            value={form.note}
            rows={2}
            maxLength={POLICY_NOTE_MAX}
          />
        </fieldset>
        <button type="submit">{t.policyPublish}</button>
      </form>
    </Layout>
  );
}
