import { editionPrefix } from '../lib/language.js';
import type { Messages } from '../views/i18n.js';
import { CsrfField, FieldError, privatePageMeta } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import { WORD_MAX, type WordListsProblem } from './moderation-words.js';

/** The admin's word lists: two textareas, one entry a line, and the rule that matches them. */

export const WORD_LISTS_PATH = '/admin/moderation/words';

export function wordListsProblemMessage(t: Messages, problem: WordListsProblem): string {
  const w = t.wordLists;
  if (problem.kind === 'both_lists') return w.problemBothLists(problem.word);
  const list = w.listName[problem.list];
  return problem.reason === 'too_long'
    ? w.problemTooLong(list, problem.line, WORD_MAX)
    : w.problemControl(list, problem.line);
}

export type WordListsForm = Readonly<{ banned: string; suspect: string }>;

/** Why the lists were refused, and the list it concerns when it is one of them. */
export type WordListsRefusal = Readonly<{
  list: 'banned' | 'suspect' | undefined;
  message: string;
}>;

/** The list a problem concerns: a word in both lists is reported beside the suspect list. */
export function wordListsProblemList(problem: WordListsProblem): 'banned' | 'suspect' {
  return problem.kind === 'both_lists' ? 'suspect' : problem.list;
}

function ListField({
  id,
  label,
  help,
  value,
  error,
}: {
  id: 'banned' | 'suspect';
  label: string;
  help: string;
  value: string;
  error: string | undefined;
}) {
  const errorId = `words-${id}-error`;
  return (
    <p class="word-list-field">
      <label for={`words-${id}`}>{label}</label>
      <span id={`words-${id}-help`} class="help">
        {help}
      </span>
      <textarea
        id={`words-${id}`}
        name={id}
        rows={12}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={`words-${id}-help words-format${error ? ` ${errorId}` : ''}`}
        spellcheck={false}
      >
        {value}
      </textarea>
      <FieldError id={errorId} text={error} />
    </p>
  );
}

export function WordListsPage({
  ctx,
  form,
  counts,
  saved,
  error,
}: {
  ctx: ViewContext & { csrfToken: string };
  /** What the textareas hold: the stored lists, or the admin's refused text. */
  form: WordListsForm;
  /** The sizes of the lists as stored, not as typed. */
  counts: Readonly<{ banned: number; suspect: number }>;
  saved: boolean;
  error?: WordListsRefusal | undefined;
}) {
  const { t, language } = ctx;
  const w = t.wordLists;
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, w.title, WORD_LISTS_PATH)}>
      <h1>{w.title}</h1>
      <p>{w.intro}</p>
      <p id="word-counts">{w.counts(counts.banned, counts.suspect)}</p>
      {saved ? (
        <p id="word-lists-saved" class="notice" role="status">
          {w.saved}
        </p>
      ) : null}
      {error && error.list === undefined ? (
        <p id="word-lists-error" class="field-error" role="alert">
          {error.message}
        </p>
      ) : null}
      <h2>{w.rulesTitle}</h2>
      <ul>
        <li>{w.ruleCase}</li>
        <li>{w.ruleHangul}</li>
        <li>{w.ruleWhole}</li>
      </ul>
      <form method="post" action={`${editionPrefix(language)}${WORD_LISTS_PATH}`}>
        <CsrfField token={ctx.csrfToken} />
        <p id="words-format" class="help">
          {w.onePerLine(WORD_MAX)}
        </p>
        <ListField
          id="banned"
          label={w.bannedLabel}
          help={w.bannedHelp}
          value={form.banned}
          error={error?.list === 'banned' ? error.message : undefined}
        />
        <ListField
          id="suspect"
          label={w.suspectLabel}
          help={w.suspectHelp}
          value={form.suspect}
          error={error?.list === 'suspect' ? error.message : undefined}
        />
        <button type="submit">{w.save}</button>
      </form>
    </Layout>
  );
}
