import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Language } from '../lib/language.js';
import { messages } from '../views/i18n.js';
import type { NavSection, Site, ViewContext } from '../views/site.js';
import { etagMatches, pageOf, type PageCache } from './page-cache.js';

/** Public pages may be kept briefly by browsers and a CDN, and served stale while refreshed. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=600';

export type Redirect = { redirect: string };

export type Pages = {
  context(language: Language): Promise<ViewContext>;
  /** A context that needs no database, for error pages when the database is the error. */
  bareContext(language: Language): ViewContext;
  /**
   * Answers with a page: from the cache when it holds one for `key`, else rendered by `render`
   * and kept. `render` may throw an AppError (the error handler answers) or ask for a redirect.
   */
  respond(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { language: Language; key: string },
    render: (ctx: ViewContext) => Promise<VNode | Redirect>,
  ): Promise<FastifyReply>;
};

export function htmlDocument(vnode: VNode): string {
  return `<!doctype html>${renderToString(vnode)}`;
}

export function createPages(options: {
  site: Site;
  cache: PageCache;
  nav: (language: Language) => Promise<NavSection[]>;
}): Pages {
  const { site, cache, nav } = options;
  const bareContext = (language: Language): ViewContext => ({
    site,
    language,
    t: messages(language),
    nav: [],
  });
  const context = async (language: Language): Promise<ViewContext> => ({
    ...bareContext(language),
    nav: await cache.memo(`nav:${language}`, () => nav(language)),
  });

  return {
    context,
    bareContext,
    async respond(request, reply, { language, key }, render) {
      let page = cache.get(key);
      if (!page) {
        const generation = cache.currentGeneration();
        const result = await render(await context(language));
        if ('redirect' in result) return reply.redirect(result.redirect, 301);
        page = pageOf(htmlDocument(result));
        cache.set(key, page, generation);
      }
      reply.header('cache-control', PUBLIC_CACHE_CONTROL).header('etag', page.etag);
      if (etagMatches(request.headers['if-none-match'], page.etag)) return reply.code(304).send();
      return reply.type('text/html; charset=utf-8').send(page.body);
    },
  };
}

/** A page that depends on the request (its query), rendered each time and kept by no one. */
export function sendHtml(reply: FastifyReply, vnode: VNode): FastifyReply {
  return reply
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(htmlDocument(vnode));
}
