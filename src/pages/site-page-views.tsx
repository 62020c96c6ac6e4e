import { Blocks } from '../articles/articles.service.js';
import { editionPrefix, type Language } from '../lib/language.js';
import { formatNewsroomDate } from '../views/dates.js';
import { CsrfField, FieldError, privatePageMeta } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import { assertUnreachable } from '../lib/assert.js';
import type { Messages } from '../views/i18n.js';
import { SITE_PAGE_KEYS, type SitePageKey, type SitePageProblem } from './site-page.js';
import type { SitePage } from './site-pages.service.js';

/** The site's own pages as readers see them, and the admin's list and editor. */

export function sitePagePath(language: Language, key: SitePageKey): string {
  return `${editionPrefix(language)}/${key}`;
}

export function SitePageView({ ctx, page }: { ctx: ViewContext; page: SitePage }) {
  const { t, language, site } = ctx;
  const other: Language = language === 'en' ? 'ko' : 'en';
  const title = t.sitePageTitle[page.key];
  return (
    <Layout
      ctx={ctx}
      meta={{
        title,
        canonicalPath: sitePagePath(language, page.key),
        switchPath: sitePagePath(other, page.key),
        alternate: { language: other, path: sitePagePath(other, page.key) },
      }}
    >
      <article class="site-page">
        <h1>{title}</h1>
        <Blocks blocks={page.blocks} />
        {/* Readers are told where to download or delete their data whatever the text says:
            Markdown links must be absolute, and the site's own address differs per install. */}
        {page.key === 'privacy' ? (
          <p class="site-page-account">
            <a href={`${editionPrefix(language)}/account`}>{t.sitePageYourData}</a>
          </p>
        ) : null}
        <p class="site-page-updated">
          {t.sitePageUpdated(formatNewsroomDate(page.updatedAt, site.timeZone, language))}
        </p>
      </article>
    </Layout>
  );
}

export function adminPagesPath(language: Language, key?: SitePageKey): string {
  const base = `${editionPrefix(language)}/admin/pages`;
  return key === undefined ? base : `${base}/${key}`;
}

export function SitePagesAdmin({ ctx, saved }: { ctx: ViewContext; saved: boolean }) {
  const { t, language } = ctx;
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, t.sitePagesTitle, '/admin/pages')}>
      <h1>{t.sitePagesTitle}</h1>
      {saved ? (
        <p class="notice" role="status">
          {t.sitePageSaved}
        </p>
      ) : null}
      <p>{t.sitePagesIntro}</p>
      <ul class="site-pages-list">
        {SITE_PAGE_KEYS.map((key) => (
          <li key={key}>
            <a href={adminPagesPath(language, key)}>{t.sitePagesEdit(t.sitePageTitle[key])}</a>
            {' · '}
            <a href={sitePagePath(language, key)}>{t.sitePagesView}</a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export type SitePageForm = Record<Language, string>;
export type SitePageFormErrors = Partial<Record<Language, string>>;

/** What is wrong with a text, for the admin to read beside it. */
export function sitePageProblemMessage(t: Messages, problem: SitePageProblem): string {
  switch (problem.kind) {
    case 'empty':
      return t.sitePageProblem.empty;
    case 'too_long':
      return t.sitePageProblem.too_long(problem.limit);
    case 'control':
      return t.sitePageProblem.control;
    case 'markdown':
      return t.sitePageProblem.markdown(problem.line);
    default:
      return assertUnreachable(problem);
  }
}

export function SitePageEdit({
  ctx,
  csrfToken,
  pageKey,
  form,
  errors,
}: {
  ctx: ViewContext;
  csrfToken: string;
  pageKey: SitePageKey;
  form: SitePageForm;
  errors: SitePageFormErrors;
}) {
  const { t, language } = ctx;
  const title = t.sitePagesEdit(t.sitePageTitle[pageKey]);
  const textField = (lang: Language, label: string) => {
    const id = `site-page-${lang}`;
    const error = errors[lang];
    return (
      <>
        <label for={id}>{label}</label>
        <textarea
          id={id}
          name={lang === 'en' ? 'bodyEn' : 'bodyKo'}
          lang={lang}
          rows={20}
          required
          {...(error ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {})}
        >
          {form[lang]}
        </textarea>
        <FieldError id={`${id}-error`} text={error} />
      </>
    );
  };
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, title, `/admin/pages/${pageKey}`)}>
      <h1>{title}</h1>
      <p>{t.sitePagesIntro}</p>
      <form method="post" action={adminPagesPath(language, pageKey)} class="site-page-form">
        <CsrfField token={csrfToken} />
        {textField('en', t.sitePageBodyEn)}
        {textField('ko', t.sitePageBodyKo)}
        <button type="submit">{t.sitePageSave}</button>
      </form>
      <p>
        <a href={adminPagesPath(language)}>{t.sitePagesTitle}</a>
      </p>
    </Layout>
  );
}
