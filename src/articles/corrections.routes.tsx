import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import type { Pages } from '../http/pages.js';
import { route } from '../http/route.js';
import { pageNumber } from '../http/schemas.js';
import { LANGUAGES } from '../lib/language.js';
import { correctionsPath } from './article-corrections.js';
import { listCorrections } from './articles.corrections.js';
import { CorrectionsPageView } from './corrections-page.js';

/** Each edition's public corrections page, `[/ko]/corrections`, paged with `?page=`. */

const correctionsQuery = z.object({ page: pageNumber });

export function registerCorrectionRoutes(app: FastifyInstance, deps: AppDeps, pages: Pages): void {
  for (const language of LANGUAGES) {
    route(
      app,
      {
        method: 'GET',
        url: correctionsPath(language),
        access: 'public',
        schema: {
          querystring: correctionsQuery,
          summary: "A page of the edition's corrections and clarifications, newest first",
          tags: ['articles'],
        },
      },
      (request, reply) =>
        pages.respond(request, reply, language, async (ctx) => {
          const { page } = request.query;
          const listing = await listCorrections(deps, { language, page });
          // Page 1 always answers (with its empty state); a page past the last is not a page.
          if (page > 1 && listing.entries.length === 0) {
            throw new AppError('NOT_FOUND', `corrections page ${page}`);
          }
          // Untagged on purpose: it lists any article's note, so any article change drops it.
          return <CorrectionsPageView ctx={ctx} listing={listing} />;
        }),
    );
  }
}
