import { editionPrefix } from '../lib/language.js';
import type { ErrorCode } from '../http/app-error.js';
import { Layout } from './layout.js';
import type { ViewContext } from './site.js';

export function ErrorPage({
  ctx,
  code,
  path,
}: {
  ctx: ViewContext;
  code: ErrorCode;
  path: string;
}) {
  const { t, language } = ctx;
  const home = editionPrefix(language) || '/';
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: t.errorTitle[code],
        canonicalPath: path,
        switchPath: editionPrefix(language === 'en' ? 'ko' : 'en') || '/',
        noindex: true,
      }}
    >
      <h1>{t.errorTitle[code]}</h1>
      <p>{t.errorMessage[code]}</p>
      <p>
        <a href={home}>{t.errorHome}</a>
      </p>
    </Layout>
  );
}
