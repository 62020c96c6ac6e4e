import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';
import type { Pages } from '../http/pages.js';
import { route } from '../http/route.js';
import { LANGUAGES } from '../lib/language.js';
import { SITE_PAGE_KEYS } from './site-page.js';
import { SitePageView, sitePagePath } from './site-page-views.js';
import { registerSitePagesAdminRoutes } from './site-pages-admin.routes.js';
import { getSitePage } from './site-pages.service.js';

/**
 * The site's own pages: /privacy, /terms, /about in each edition (public, kept by the page cache
 * for anonymous readers and dropped when an admin saves), here; the admin's list and editor
 * under /admin/pages in site-pages-admin.routes.tsx.
 */

export function registerSitePageRoutes(app: FastifyInstance, deps: AppDeps, pages: Pages): void {
  for (const language of LANGUAGES) {
    for (const key of SITE_PAGE_KEYS)
      route(
        app,
        {
          method: 'GET',
          url: sitePagePath(language, key),
          access: 'public',
          schema: { summary: `The site's ${key} page`, tags: ['pages'] },
        },
        (request, reply) =>
          pages.respond(request, reply, language, async (ctx) => (
            <SitePageView ctx={ctx} page={await getSitePage(deps, key, language)} />
          )),
      );
    registerSitePagesAdminRoutes(app, deps, pages, language);
  }
}
