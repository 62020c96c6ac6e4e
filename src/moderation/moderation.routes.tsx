import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';
import type { Pages } from '../http/pages.js';
import { LANGUAGES, editionPrefix, type Language } from '../lib/language.js';
import type { ViewContext } from '../views/site.js';
import { registerAppealRoutes } from './moderation-appeals.routes.js';
import { registerCaseRoutes } from './moderation-case.routes.js';
import { registerQueueRoutes } from './moderation-queue.routes.js';
import { registerReaderRoutes } from './moderation-readers.routes.js';

/**
 * The standards board's desk (access `board`: moderators, admins, and staff seated on the
 * board) and a reader's appeal, in both editions. Each resource's routes have a file of their
 * own: the queues (`moderation-queue.routes.tsx`), a comment's case
 * (`moderation-case.routes.tsx`), a reader's sanction (`moderation-readers.routes.tsx`) and
 * appeals, filed and heard (`moderation-appeals.routes.tsx`). Handlers take their input parsed
 * by the route's schemas (`moderation.schemas.ts`), call one use case, and answer 303 to the
 * page that shows the result; a refused form comes back as its page, as it was sent.
 */

/** What a desk route is registered with: the app, its dependencies and one edition. */
export type Edition = Readonly<{
  app: FastifyInstance;
  deps: AppDeps;
  pages: Pages;
  language: Language;
  /** The edition's address prefix: '' or '/ko'. */
  prefix: string;
  /** The edition's strings, for notices chosen before a page is rendered. */
  t: ViewContext['t'];
}>;

export function registerModerationRoutes(app: FastifyInstance, deps: AppDeps, pages: Pages): void {
  for (const language of LANGUAGES) {
    const edition: Edition = {
      app,
      deps,
      pages,
      language,
      prefix: editionPrefix(language),
      t: pages.bareContext(language).t,
    };
    registerQueueRoutes(edition);
    registerCaseRoutes(edition);
    registerReaderRoutes(edition);
    registerAppealRoutes(edition);
  }
}
