import type { FastifyInstance } from 'fastify';
import { sendHtml, type Pages } from '../http/pages.js';
import { LANGUAGES, editionPrefix } from '../lib/language.js';
import { LoginPage } from './login-page.js';
import { safeReturnTo } from './return-to.js';

export function registerAccountRoutes(app: FastifyInstance, pages: Pages): void {
  for (const language of LANGUAGES) {
    const prefix = editionPrefix(language);
    app.get(`${prefix}/login`, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const returnTo = safeReturnTo(query.returnTo, prefix || '/');
      return sendHtml(reply, <LoginPage ctx={await pages.context(language)} returnTo={returnTo} />);
    });
  }
}
