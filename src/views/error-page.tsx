import { editionPrefix } from '../lib/language.js';
import type { ErrorCode } from '../http/app-error.js';
import { Layout } from './layout.js';
import type { ViewContext } from './site.js';

/** Errors a person recovers from by logging in (again): the page offers the way. */
const LOGIN_CODES = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'LOGIN_FAILED',
  'LOGIN_EXPIRED',
  'REAUTHENTICATE',
]);

export function ErrorPage({
  ctx,
  code,
  path,
  message,
}: {
  ctx: ViewContext;
  code: ErrorCode;
  path: string;
  /** The message with its figures filled in; the code's plain message otherwise. */
  message?: string;
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
      <p>{message ?? t.errorMessage[code]}</p>
      {LOGIN_CODES.has(code) ? (
        <p>
          <a href={`${editionPrefix(language)}/login`}>{t.errorLoginAgain}</a>
        </p>
      ) : null}
      <p>
        <a href={home}>{t.errorHome}</a>
      </p>
    </Layout>
  );
}
