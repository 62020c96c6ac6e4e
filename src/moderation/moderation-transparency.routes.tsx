import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';
import { htmlDocument, type Pages } from '../http/pages.js';
import { route } from '../http/route.js';
import { LANGUAGES } from '../lib/language.js';
import { TRANSPARENCY_MONTHS, transparencyReport } from './moderation-transparency.service.js';
import { TransparencyPage, transparencyPath } from './transparency-page.js';
import { MODERATION_TAGS } from './moderation.schemas.js';

/**
 * The public transparency report, /transparency and /ko/transparency.
 *
 * Not served through `pages.respond`, deliberately: that keeps the page in the shared page
 * cache, which is emptied only when content readers see changes (`contentChanged`), and most
 * moderation decisions (a held comment, a report, a warning) change none. A cached report would
 * go on showing old figures until some unrelated article was edited. Instead the report is
 * rendered on every request that reaches us (two grouped queries, whatever the months) and
 * browsers and a CDN may keep it for five minutes, which bounds how stale it can be.
 */

/** How long browsers and a CDN may keep the report: figures five minutes old are fine. */
const REPORT_CACHE_CONTROL = 'public, max-age=300';

export function registerTransparencyRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
): void {
  for (const language of LANGUAGES) {
    route(
      app,
      {
        method: 'GET',
        url: transparencyPath(language),
        access: 'public',
        schema: {
          summary: "The board's decisions counted by month, with the clauses cited",
          tags: MODERATION_TAGS,
        },
      },
      async (request, reply) => {
        const report = await transparencyReport(deps, { months: TRANSPARENCY_MONTHS });
        const ctx = await pages.context(language, request, reply);
        const html = htmlDocument(
          <TransparencyPage ctx={ctx} report={report} monthsShown={TRANSPARENCY_MONTHS} />,
        );
        return (
          reply
            // A logged-in person's page names them in its header: for them alone, as pages.tsx
            // answers such pages. Anyone else's is the same for everyone and may be shared.
            .header('cache-control', ctx.viewer ? 'private, no-store' : REPORT_CACHE_CONTROL)
            // A browser that logs in (or out) must not reuse the copy kept under the other cookie.
            .header('vary', 'Cookie')
            .type('text/html; charset=utf-8')
            .send(html)
        );
      },
    );
  }
}
