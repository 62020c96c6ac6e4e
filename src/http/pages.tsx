import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { editionPrefix, type Language } from '../lib/language.js';
import type { Catalogue } from '../views/i18n.js';
import type { NavSection, Site, ViewContext } from '../views/site.js';
import type { ErrorTable } from './app-error.js';
import { etagMatches, pageKey, pageOf, type CachedPage, type PageCache } from './page-cache.js';

export type Redirect = { redirect: string };

export type Pages = {
  /** Every error code's status and text (src/features.ts composes it). */
  errors: ErrorTable;
  /**
   * The context for a page; given the request (and the reply, to set the CSRF cookie), it knows
   * the logged-in person.
   */
  context(language: Language, request?: FastifyRequest, reply?: FastifyReply): Promise<ViewContext>;
  /** A context that needs no database, for error pages when the database is the error. */
  bareContext(language: Language): ViewContext;
  /**
   * Answers with a page rendered by `render`, and keeps it for the next request to the same
   * address. `render` may throw an AppError (the error handler answers) or ask for a redirect;
   * neither is kept.
   */
  respond(
    request: FastifyRequest,
    reply: FastifyReply,
    language: Language,
    render: (ctx: ViewContext) => Promise<VNode | Redirect>,
  ): Promise<FastifyReply>;
  /**
   * Marks the page being rendered for this request with a tag (`articleTag(id)`), once per
   * article it shows, so the cache drops it when one of those changes and keeps it otherwise.
   * A page tagged so promises that no other article appears on it; an untagged page is dropped
   * by any change.
   */
  tag(request: FastifyRequest, tag: string): void;
  /** Answers from the cache if it holds the page asked for; says whether it did. */
  serveCached(request: FastifyRequest, reply: FastifyReply): boolean;
  /**
   * Answers with a page holding forms, for this browser alone (`no-store`): its context always
   * carries the CSRF token, logged in or not.
   */
  sendForm(
    request: FastifyRequest,
    reply: FastifyReply,
    language: Language,
    render: (ctx: ViewContext & { csrfToken: string }) => VNode,
  ): Promise<FastifyReply>;
};

function sendPage(request: FastifyRequest, reply: FastifyReply, page: CachedPage): FastifyReply {
  reply.headers(page.headers);
  if (etagMatches(request.headers['if-none-match'], page.etag)) return reply.code(304).send();
  return reply.send(page.body);
}

export function htmlDocument(vnode: VNode): string {
  return `<!doctype html>${renderToString(vnode)}`;
}

export function createPages(options: {
  site: Site;
  catalogue: Catalogue;
  errors: ErrorTable;
  cache: PageCache;
  nav: (language: Language) => Promise<NavSection[]>;
  /** The CSRF token for a logged-in person's forms (set as a cookie when new). */
  csrfToken: (request: FastifyRequest, reply: FastifyReply) => string;
  /** Whether a request carries a session cookie: such requests never use the shared cache. */
  hasSession: (request: FastifyRequest) => boolean;
}): Pages {
  const { site, cache, nav } = options;
  const tags = new WeakMap<FastifyRequest, string[]>();
  const bareContext = (language: Language): ViewContext => ({
    site,
    language,
    t: options.catalogue[language],
    nav: [],
    viewer: null,
    csrfToken: null,
    path: editionPrefix(language) || '/',
  });
  const context = async (
    language: Language,
    request?: FastifyRequest,
    reply?: FastifyReply,
  ): Promise<ViewContext> => {
    const ctx = {
      ...bareContext(language),
      nav: await cache.memo(`nav:${language}`, () => nav(language)),
    };
    if (!request) return ctx;
    // Without the query, as the cache keys pages: a kept page must not carry one reader's query.
    ctx.path = pageKey(request.url);
    const viewer = request.viewer;
    if (viewer && reply) {
      ctx.viewer = { displayName: viewer.displayName, staff: viewer.kind === 'staff' };
      ctx.csrfToken = options.csrfToken(request, reply);
    }
    return ctx;
  };

  return {
    errors: options.errors,
    context,
    bareContext,
    async respond(request, reply, language, render) {
      const generation = cache.currentGeneration();
      const ctx = await context(language, request, reply);
      const result = await render(ctx);
      if ('redirect' in result) return reply.redirect(result.redirect, 301);
      if (ctx.viewer) {
        // A logged-in person's page names them: rendered for them alone, kept by no cache.
        return reply
          .header('cache-control', 'private, no-store')
          .type('text/html; charset=utf-8')
          .send(htmlDocument(result));
      }
      const page = pageOf(htmlDocument(result));
      cache.set(pageKey(request.url), page, generation, tags.get(request));
      return sendPage(request, reply, page);
    },
    tag(request, tag) {
      const given = tags.get(request);
      if (given === undefined) tags.set(request, [tag]);
      else if (!given.includes(tag)) given.push(tag);
    },
    async sendForm(request, reply, language, render) {
      const ctx = await context(language, request, reply);
      return sendHtml(reply, render({ ...ctx, csrfToken: options.csrfToken(request, reply) }));
    },
    serveCached(request, reply) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      if (options.hasSession(request)) return false;
      const page = cache.get(pageKey(request.url));
      if (!page) return false;
      void sendPage(request, reply, page);
      return true;
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
