import { editionPrefix } from '../lib/language.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';

/** The login page until readers' accounts arrive: it says so, and leads back. */
export function LoginPage({ ctx, returnTo }: { ctx: ViewContext; returnTo: string }) {
  const { t, language } = ctx;
  const other = language === 'en' ? 'ko' : 'en';
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: t.loginTitle,
        canonicalPath: `${editionPrefix(language)}/login`,
        switchPath: `${editionPrefix(other)}/login`,
        noindex: true,
      }}
    >
      <h1>{t.loginTitle}</h1>
      <p class="login-not-configured">{t.loginNotConfigured}</p>
      <p>
        <a href={returnTo}>{t.loginBack}</a>
      </p>
    </Layout>
  );
}
