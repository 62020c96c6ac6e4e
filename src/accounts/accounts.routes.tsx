import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';
import { cookieNames, type Viewer } from '../http/access.js';
import type { Pages } from '../http/pages.js';
import { registerOwnAccountRoutes } from './accounts-account.routes.js';
import { registerLoginRoutes } from './accounts-login.routes.js';
import { registerProviderRoutes } from './accounts-providers.routes.js';
import type { ReaderRoutes } from './accounts.http.js';
import type { Mailer } from './mail.js';
import type { Provider } from './providers/providers.js';

/**
 * Readers' routes: login and logout (accounts-login.routes.tsx), providers' logins and links
 * (accounts-providers.routes.ts), and the reader's own account (accounts-account.routes.tsx).
 * Every POST carries the CSRF token (src/http/access.ts); every GET only reads.
 */

export type AccountServices = { providers: readonly Provider[]; mailer: Mailer | null };

/** Linking, unlinking and deleting need a login this recent (docs/SECURITY.md, item 7). */
export const REAUTH_SECONDS = 5 * 60;

export function registerAccountRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
  services: AccountServices,
): void {
  const routes: ReaderRoutes = {
    deps,
    pages,
    names: cookieNames(deps.config),
    providers: services.providers,
    mailer: services.mailer,
    freshLogin: (viewer: Viewer) =>
      deps.clock().getTime() - viewer.authenticatedAt.getTime() <= REAUTH_SECONDS * 1000,
  };
  registerLoginRoutes(app, routes);
  registerProviderRoutes(app, routes);
  registerOwnAccountRoutes(app, routes);
}
