import type { ComponentChildren } from 'preact';
import { editionPrefix } from '../lib/language.js';
import { absoluteUrl, type PageMeta, type Site, type ViewContext } from './site.js';

/**
 * JSON-LD is a data block, never executed, so the CSP's script-src does not apply; it is still
 * escaped so no string in it can close the element early.
 */
function jsonLdText(value: Record<string, unknown>): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function OpenGraph({ tags }: { tags: Record<string, string | readonly string[]> }) {
  return (
    <>
      {Object.entries(tags).flatMap(([property, value]) =>
        (typeof value === 'string' ? [value] : value).map((content) => (
          <meta property={property} content={content} key={`${property}:${content}`} />
        )),
      )}
    </>
  );
}

/** The header's corner: "Log in", or the person's name and a logout button (a form: POST). */
function AccountLinks({ ctx }: { ctx: ViewContext }) {
  const { t, language, viewer, csrfToken } = ctx;
  const prefix = editionPrefix(language);
  if (!viewer || !csrfToken) {
    return (
      <p class="account-links">
        <a href={`${prefix}/login?returnTo=${encodeURIComponent(ctx.path)}`}>{t.headerLogin}</a>
      </p>
    );
  }
  return (
    <div class="account-links">
      <a href={`${prefix}/account`} class="account-name">
        {viewer.displayName ?? t.accountNoName}
      </a>
      <a href={`${prefix}/account/comments`}>{t.accountMyComments}</a>
      {viewer.staff ? <a href="/staff">{t.headerStaff}</a> : null}
      <form method="post" action="/logout" class="logout-form">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="returnTo" value={ctx.path} />
        <button type="submit">{t.headerLogout}</button>
      </form>
    </div>
  );
}

export function Layout({
  ctx,
  meta,
  children,
}: {
  ctx: ViewContext;
  meta: PageMeta;
  children: ComponentChildren;
}) {
  const { site, language, t } = ctx;
  const prefix = editionPrefix(language);
  const siteName = site.name[language];
  const other = language === 'en' ? 'ko' : 'en';
  const canonical = absoluteUrl(site, meta.canonicalPath);
  return (
    <html lang={language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{meta.title === siteName ? siteName : `${meta.title} | ${siteName}`}</title>
        {meta.description ? <meta name="description" content={meta.description} /> : null}
        {meta.noindex ? <meta name="robots" content="noindex" /> : null}
        <link rel="canonical" href={canonical} />
        {meta.alternate ? (
          <>
            <link rel="alternate" hrefLang={language} href={canonical} />
            <link
              rel="alternate"
              hrefLang={meta.alternate.language}
              href={absoluteUrl(site, meta.alternate.path)}
            />
          </>
        ) : null}
        <link rel="stylesheet" href={site.stylesheet} />
        {(meta.bundles ?? []).map((name) => (
          <script src={bundlePath(site, name)} defer></script>
        ))}
        <link rel="icon" href="/favicon.ico" sizes="32x32" />
        <link rel="icon" href={site.icon} type="image/svg+xml" />
        {meta.openGraph ? <OpenGraph tags={meta.openGraph} /> : null}
        {meta.jsonLd ? (
          <script
            type="application/ld+json"
            dangerouslySetInnerHTML={{ __html: jsonLdText(meta.jsonLd) }}
          />
        ) : null}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t.skipToContent}
        </a>
        <header class="masthead">
          <p class="masthead-name">
            <a href={prefix || '/'}>{siteName}</a>
          </p>
          <nav aria-label={t.mainNavigation}>
            <ul class="nav-sections">
              {ctx.nav.map((section) => (
                <li key={section.slug}>
                  <a href={`${prefix}/section/${section.slug}`}>{section.name}</a>
                </li>
              ))}
            </ul>
          </nav>
          <AccountLinks ctx={ctx} />
          <p class="edition-switch">
            <a
              href={meta.alternate?.path ?? meta.switchPath}
              hrefLang={other}
              lang={other}
              aria-label={t.languageSwitchLabel}
            >
              {t.languageSwitch}
            </a>
          </p>
        </header>
        <main id="main">{children}</main>
        <footer class="site-footer">
          <nav aria-label={t.footerSiteNavigation}>
            <ul class="footer-links">
              <li>
                <a href={`${prefix}/about`}>{t.sitePageTitle.about}</a>
              </li>
              <li>
                <a href={`${prefix}/policy`}>{t.footerPolicy}</a>
              </li>
              <li>
                <a href={`${prefix}/corrections`}>{t.correctionsTitle}</a>
              </li>
              <li>
                <a href={`${prefix}/terms`}>{t.sitePageTitle.terms}</a>
              </li>
              <li>
                <a href={`${prefix}/privacy`} class="footer-privacy">
                  {t.sitePageTitle.privacy}
                </a>
              </li>
            </ul>
          </nav>
          <p>{t.footerAbout}</p>
        </footer>
      </body>
    </html>
  );
}

/** A bundle's address; a name no feature declared is a programming error, found on first render. */
function bundlePath(site: Site, name: string): string {
  const path = site.scripts[name];
  if (path === undefined) throw new Error(`no browser bundle is named ${name}`);
  return path;
}
