import type { CommentSettings } from '../config.js';
import { editionPrefix } from '../lib/language.js';
import { CsrfField, privatePageMeta } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import type { ThreadOverrides } from './comment.js';
import type { Thread } from './comments.service.js';

/** The editors' page of thread settings: every section's, and one article's found by address. */

function OverrideFields({
  ctx,
  id,
  overrides,
}: {
  ctx: ViewContext;
  id: string;
  overrides: ThreadOverrides;
}) {
  const { t } = ctx;
  const flag = overrides.premoderated === null ? '' : overrides.premoderated ? 'on' : 'off';
  return (
    <>
      <label for={`state-${id}`}>{t.commentSettingsState}</label>
      <select id={`state-${id}`} name="state">
        <option value="" selected={overrides.state === null}>
          {t.commentSettingsInherit}
        </option>
        <option value="open" selected={overrides.state === 'open'}>
          {t.commentSettingsOpen}
        </option>
        <option value="closed" selected={overrides.state === 'closed'}>
          {t.commentSettingsClosed}
        </option>
      </select>
      <label for={`close-${id}`}>{t.commentSettingsCloseAfter}</label>
      <input
        id={`close-${id}`}
        name="closeAfterHours"
        type="number"
        min="0"
        max="87600"
        inputMode="numeric"
        value={overrides.closeAfterHours === null ? '' : String(overrides.closeAfterHours)}
      />
      <label for={`pre-${id}`}>{t.commentSettingsPremoderated}</label>
      <select id={`pre-${id}`} name="premoderated">
        <option value="" selected={flag === ''}>
          {t.commentSettingsInherit}
        </option>
        <option value="on" selected={flag === 'on'}>
          {t.commentSettingsOn}
        </option>
        <option value="off" selected={flag === 'off'}>
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
}: {
  ctx: ViewContext & { csrfToken: string };
  site: CommentSettings;
  sections: { sectionId: string; nameEn: string; nameKo: string; overrides: ThreadOverrides }[];
  articlePath: string;
  article: { thread: Thread; overrides: ThreadOverrides } | null | undefined;
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
          />
          <button type="submit">{t.commentSettingsSave}</button>
        </form>
      ))}
      <h2>{t.commentSettingsArticle}</h2>
      <form method="get" action={`${prefix}/staff/comments`}>
        <label for="article-path">{t.commentSettingsArticlePath}</label>
        <input id="article-path" name="article" type="text" value={articlePath} />
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
          <OverrideFields ctx={ctx} id="article" overrides={article.overrides} />
          <button type="submit">{t.commentSettingsSave}</button>
        </form>
      ) : null}
    </Layout>
  );
}
