import type { CommentSettings } from '../config.js';
import { editionPrefix } from '../lib/language.js';
import { CsrfField, FieldError, privatePageMeta } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import type { ThreadOverrides } from './comment.js';
import type { Thread } from './comments.service.js';

/** The editors' page of thread settings: every section's, and one article's found by address. */

/** A thread setting's three fields as strings: what a form sent, or a saved setting to show. */
export type OverrideFieldValues = Readonly<{
  state: string;
  closeAfterHours: string;
  premoderated: string;
}>;

function fieldValuesOf(overrides: ThreadOverrides): OverrideFieldValues {
  return {
    state: overrides.state ?? '',
    closeAfterHours: overrides.closeAfterHours === null ? '' : String(overrides.closeAfterHours),
    premoderated: overrides.premoderated === null ? '' : overrides.premoderated ? 'on' : 'off',
  };
}

/** A refused row: which form (`section-<id>` or `article`), what it sent, and why it was refused. */
export type RefusedSettingsRow = Readonly<{
  row: string;
  values: OverrideFieldValues;
  message: string;
}>;

function OverrideFields({
  ctx,
  id,
  overrides,
  refused,
}: {
  ctx: ViewContext;
  id: string;
  overrides: ThreadOverrides;
  refused: RefusedSettingsRow | undefined;
}) {
  const { t } = ctx;
  const kept = refused?.row === id ? refused : undefined;
  const values = kept?.values ?? fieldValuesOf(overrides);
  const errorId = `close-${id}-error`;
  return (
    <>
      <label for={`state-${id}`}>{t.commentSettingsState}</label>
      <select id={`state-${id}`} name="state">
        <option value="" selected={values.state === ''}>
          {t.commentSettingsInherit}
        </option>
        <option value="open" selected={values.state === 'open'}>
          {t.commentSettingsOpen}
        </option>
        <option value="closed" selected={values.state === 'closed'}>
          {t.commentSettingsClosed}
        </option>
      </select>
      <label for={`close-${id}`}>{t.commentSettingsCloseAfter}</label>
      {/* Text with a numeric keyboard, not type=number: a browser empties a number field whose
          value is not a number, so a refused "abc" or "1,5" would vanish instead of being shown
          back beside its error. */}
      <input
        id={`close-${id}`}
        name="closeAfterHours"
        type="text"
        inputMode="numeric"
        pattern="[0-9]{1,5}"
        value={values.closeAfterHours}
        aria-invalid={kept ? 'true' : undefined}
        aria-describedby={kept ? errorId : undefined}
      />
      <FieldError id={errorId} text={kept?.message} />
      <label for={`pre-${id}`}>{t.commentSettingsPremoderated}</label>
      <select id={`pre-${id}`} name="premoderated">
        <option value="" selected={values.premoderated === ''}>
          {t.commentSettingsInherit}
        </option>
        <option value="on" selected={values.premoderated === 'on'}>
          {t.commentSettingsOn}
        </option>
        <option value="off" selected={values.premoderated === 'off'}>
          {t.commentSettingsOff}
        </option>
      </select>
    </>
  );
}

export function CommentSettingsPage({
  ctx,
  site,
  sections,
  articlePath,
  article,
  refused,
  addressError,
}: {
  ctx: ViewContext & { csrfToken: string };
  site: CommentSettings;
  sections: { sectionId: string; nameEn: string; nameKo: string; overrides: ThreadOverrides }[];
  articlePath: string;
  article: { thread: Thread; overrides: ThreadOverrides } | null | undefined;
  /** A settings form sent back refused, its values as typed. */
  refused?: RefusedSettingsRow | undefined;
  /** Why the article address was refused, shown beside it. */
  addressError?: string | undefined;
}) {
  const { t, language } = ctx;
  const prefix = editionPrefix(language);
  const stateName = (state: 'open' | 'closed') =>
    state === 'open' ? t.commentSettingsOpen : t.commentSettingsClosed;
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, t.commentSettingsTitle, '/staff/comments')}>
      <h1>{t.commentSettingsTitle}</h1>
      <p>{t.commentSettingsIntro}</p>
      <p>
        {t.commentSettingsSite(
          stateName(site.threadDefault),
          site.closeAfterHours,
          site.premoderated,
        )}
      </p>
      <h2>{t.commentSettingsSections}</h2>
      {sections.map((section) => (
        <form
          method="post"
          action={`${prefix}/staff/comments/sections/${section.sectionId}`}
          class="settings-row"
          key={section.sectionId}
        >
          <CsrfField token={ctx.csrfToken} />
          <h3>{language === 'ko' ? section.nameKo : section.nameEn}</h3>
          <OverrideFields
            ctx={ctx}
            id={`section-${section.sectionId}`}
            overrides={section.overrides}
            refused={refused}
          />
          <button type="submit">{t.commentSettingsSave}</button>
        </form>
      ))}
      <h2>{t.commentSettingsArticle}</h2>
      <form method="get" action={`${prefix}/staff/comments`}>
        <label for="article-path">{t.commentSettingsArticlePath}</label>
        <input
          id="article-path"
          name="article"
          type="text"
          value={articlePath}
          aria-invalid={addressError ? 'true' : undefined}
          aria-describedby={addressError ? 'article-path-error' : undefined}
        />
        <FieldError id="article-path-error" text={addressError} />
        <button type="submit">{t.commentSettingsFind}</button>
      </form>
      {article === null ? <p role="alert">{t.commentSettingsNotFound}</p> : null}
      {article ? (
        <form
          method="post"
          action={`${prefix}/staff/comments/articles/${article.thread.article.id}`}
          class="settings-row"
        >
          <CsrfField token={ctx.csrfToken} />
          <h3>
            <a href={article.thread.article.path}>{article.thread.article.headline}</a>
          </h3>
          <p>
            {t.commentSettingsEffective(
              `${article.thread.open ? t.commentSettingsOpen : t.commentSettingsClosed}${
                article.thread.settings.premoderated ? `, ${t.commentSettingsPremoderated}` : ''
              }`,
            )}
          </p>
          <OverrideFields ctx={ctx} id="article" overrides={article.overrides} refused={refused} />
          <button type="submit">{t.commentSettingsSave}</button>
        </form>
      ) : null}
    </Layout>
  );
}
