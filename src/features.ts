import type { FastifyInstance } from 'fastify';
import { accountsFeature } from './accounts/accounts.feature.js';
import { registerAccountRoutes } from './accounts/accounts.routes.js';
import type { Mailer } from './accounts/mail.js';
import type { Provider } from './accounts/providers/providers.js';
import { registerStaffAdminRoutes } from './accounts/staff-admin.routes.js';
import { registerStaffRoutes } from './accounts/staff.routes.js';
import { articlesFeature } from './articles/articles.feature.js';
import { registerArticleRoutes } from './articles/articles.routes.js';
import { registerCorrectionRoutes } from './articles/corrections.routes.js';
import { commentsFeature } from './comments/comments.feature.js';
import { registerCommentRoutes } from './comments/comments.routes.js';
import { registerCommentSettingsRoutes } from './comments/comments.settings.routes.js';
import type { DatabaseHandle } from './db/db.js';
import type { AppDeps } from './deps.js';
import { PLATFORM_ERRORS, composeErrorTable, type ErrorTable } from './http/app-error.js';
import type { Bundle, Feature } from './http/feature.js';
import type { Pages } from './http/pages.js';
import { registerTransparencyRoutes } from './moderation/moderation-transparency.routes.js';
import { registerModerationWordRoutes } from './moderation/moderation-words.routes.js';
import { moderationFeature } from './moderation/moderation.feature.js';
import { registerModerationRoutes } from './moderation/moderation.routes.js';
import { newsroomFeature } from './newsroom/newsroom.feature.js';
import { registerNewsroomRoutes } from './newsroom/newsroom.routes.js';
import { registerSitePageRoutes } from './pages/site-pages.routes.js';
import { sitePagesFeature } from './pages/site-pages.feature.js';
import { policyFeature } from './policy/policy.feature.js';
import { registerPolicyRoutes } from './policy/policy.routes.js';
import type { Language } from './lib/language.js';
import { composeCatalogue, type Catalogue, type Messages } from './views/i18n.js';

/**
 * The one place that knows every feature (docs/ARCHITECTURE.md, Dependency rules): what each
 * brings (error codes, strings, browser bundles) is composed here once, and their routes are
 * registered here, with the links between features (the comments under an article) passed as
 * functions so no feature imports another's routes.
 */

export const FEATURES: readonly Feature[] = [
  accountsFeature,
  articlesFeature,
  commentsFeature,
  moderationFeature,
  newsroomFeature,
  policyFeature,
  sitePagesFeature,
];

export const ERROR_TABLE: ErrorTable = composeErrorTable([
  PLATFORM_ERRORS,
  ...FEATURES.flatMap((f) => (f.errors ? [f.errors] : [])),
]);

export const CATALOGUE: Catalogue = composeCatalogue(
  FEATURES.flatMap((f) => (f.strings ? [f.strings] : [])),
  ERROR_TABLE,
);

/** One edition's strings, for code outside a request (tests, the command line). */
export function messages(language: Language): Messages {
  return CATALOGUE[language];
}

export const BUNDLES: readonly Bundle[] = FEATURES.flatMap((f) => f.bundles ?? []);

/** What features' routes are given beyond the app's dependencies and pages. */
export type FeatureRouteOptions = Readonly<{
  providers: readonly Provider[];
  mailer: Mailer | null;
  listen?: DatabaseHandle['listen'] | undefined;
  /** Drops one article's cached pages (a comment under it changed). */
  articleChanged: (articleId: string) => void;
}>;

export async function registerFeatureRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
  options: FeatureRouteOptions,
): Promise<void> {
  const comments = await registerCommentRoutes(app, deps, pages, {
    loginOptions: [...options.providers.map((p) => ({ id: p.id, label: p.label }))],
    ...(options.listen ? { listen: options.listen } : {}),
    articleChanged: options.articleChanged,
  });
  registerArticleRoutes(app, deps, pages, { comments: comments.articleComments });
  registerCorrectionRoutes(app, deps, pages);
  registerCommentSettingsRoutes(app, deps, pages);
  registerPolicyRoutes(app, deps, pages);
  registerSitePageRoutes(app, deps, pages);
  registerTransparencyRoutes(app, deps, pages);
  registerModerationWordRoutes(app, deps, pages);
  registerModerationRoutes(app, deps, pages);
  registerAccountRoutes(app, deps, pages, { providers: options.providers, mailer: options.mailer });
  registerStaffRoutes(app, deps, pages);
  registerNewsroomRoutes(app, deps, pages);
  registerStaffAdminRoutes(app, deps, pages, { mailer: options.mailer });
}
