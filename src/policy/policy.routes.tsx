import type { FastifyInstance } from 'fastify';
import type { Pages } from '../http/pages.js';
import { LANGUAGES, editionPrefix } from '../lib/language.js';
import { PolicyPage } from './policy-page.js';
import { currentPolicy } from './policy-text.js';
import { PUBLIC } from '../http/access.js';

export function registerPolicyRoutes(app: FastifyInstance, pages: Pages): void {
  for (const language of LANGUAGES) {
    app.get(`${editionPrefix(language)}/policy`, PUBLIC, (request, reply) =>
      pages.respond(request, reply, language, (ctx) =>
        Promise.resolve(<PolicyPage ctx={ctx} policy={currentPolicy(language)} />),
      ),
    );
  }
}
