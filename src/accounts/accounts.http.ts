import type { FastifyReply } from 'fastify';
import type { AppDeps } from '../deps.js';
import type { CookieNames, Viewer } from '../http/access.js';
import type { Pages } from '../http/pages.js';
import { editionPrefix, type Language } from '../lib/language.js';
import type { LoginOption } from './account-pages.js';
import type { Mailer } from './mail.js';
import type { Provider } from './providers/providers.js';

/**
 * What the readers' routes files of this feature share (accounts-login, accounts-providers,
 * accounts-account): one object built once by `registerAccountRoutes` (accounts.routes.tsx), and
 * the steps more than one of them takes.
 */

export type ReaderRoutes = Readonly<{
  deps: AppDeps;
  pages: Pages;
  names: CookieNames;
  providers: readonly Provider[];
  /** Null when e-mail login is not configured: its routes then answer 404. */
  mailer: Mailer | null;
  /** Whether the viewer logged in recently enough to link, unlink or delete (REAUTH_SECONDS). */
  freshLogin: (viewer: Viewer) => boolean;
}>;

/** The providers as the login and account pages offer them, labelled in the page's language. */
export function loginOptions(providers: readonly Provider[], language: Language): LoginOption[] {
  return providers.map((p) => ({ id: p.id, label: p.label[language] }));
}

/** Where a new login goes: the name page first if the account has no name yet. */
export function afterLogin(
  language: Language,
  displayName: string | null,
  returnTo: string,
): string {
  if (displayName !== null) return returnTo;
  return `${editionPrefix(language)}/account/name?welcome=1&returnTo=${encodeURIComponent(returnTo)}`;
}

/** Sends a person whose login is not fresh to log in again, then back to `returnTo`. */
export function reauthRedirect(
  reply: FastifyReply,
  language: Language,
  returnTo: string,
): FastifyReply {
  return reply.redirect(
    `${editionPrefix(language)}/login?reauth=1&returnTo=${encodeURIComponent(returnTo)}`,
    303,
  );
}
