import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { registerAccountRoutes } from './accounts/accounts.routes.js';
import { createMailer, type Mailer } from './accounts/mail.js';
import { configuredProviders, type Provider } from './accounts/providers/providers.js';
import { validateSession } from './accounts/sessions.js';
import { listNavSections } from './articles/articles.listing.js';
import { registerArticleRoutes } from './articles/articles.routes.js';
import { registerCommentRoutes } from './comments/comments.routes.js';
import { registerCommentSettingsRoutes } from './comments/comments.settings.routes.js';
import type { DatabaseHandle } from './db/db.js';
import type { AppDeps } from './deps.js';
import { frameworkErrorHandler, registerErrorHandling } from './http/errors.js';
import { registerHealthRoutes } from './http/health.routes.js';
import { registerInputGuard } from './http/input-guard.js';
import type { PageCache } from './http/page-cache.js';
import { createPages } from './http/pages.js';
import { RequestLogController, sharedLogger } from './http/request-log.js';
import { securityHeaders } from './http/security-headers.js';
import { PUBLIC, cookieNames, csrfToken, registerAccess } from './http/access.js';
import { registerTransparencyRoutes } from './moderation/moderation-transparency.routes.js';
import { registerModerationWordRoutes } from './moderation/moderation-words.routes.js';
import { registerModerationRoutes } from './moderation/moderation.routes.js';
import { registerSitePageRoutes } from './pages/site-pages.routes.js';
import { registerPolicyRoutes } from './policy/policy.routes.js';
import { registerStaffRoutes } from './accounts/staff.routes.js';
import { loadAssets } from './views/assets.js';
import type { Site } from './views/site.js';

/** Builds the HTTP app: every feature registered here, and nowhere else (STYLE.md, layout). */

export type AppOptions = {
  cache: PageCache;
  /** Request logging through the app's own logger; tests that do not read logs leave it out. */
  log?: Logger;
  /** Login providers; by default those configured. Tests point them at servers on loopback. */
  providers?: readonly Provider[];
  /** Outgoing mail; by default from the configuration (null: no e-mailed codes). */
  mailer?: Mailer | null;
  /** LISTEN on the database (main.ts passes the handle's); live comments need it. */
  listen?: DatabaseHandle['listen'];
};

/**
 * /favicon.ico keeps its name when the icon changes, so browsers may keep it for 30 days rather
 * than for ever; pages name the SVG by its hash, which is kept for ever.
 */
const LEGACY_ICON_MAX_AGE_SECONDS = 30 * 86_400;

/** Requests larger than this are refused with 413 (SECURITY.md item 27). */
const BODY_LIMIT_BYTES = 64 * 1024;

export async function buildApp(deps: AppDeps, options: AppOptions): Promise<FastifyInstance> {
  const { config } = deps;
  const assets = loadAssets();
  const providers = options.providers ?? configuredProviders(config.providers);
  const headers = securityHeaders(config, [...new Set(providers.map((p) => p.browserOrigin))]);
  const site: Site = {
    name: config.siteName,
    publicUrl: config.publicUrl,
    timeZone: config.timeZone,
    commentMaxLength: config.commentMaxLength,
    stylesheet: assets.stylesheet.path,
    icon: assets.icon.path,
    script: assets.script.path,
  };
  const sessionCookie = `${cookieNames(config).session}=`;
  const pages = createPages({
    site,
    cache: options.cache,
    nav: (language) => listNavSections(deps, language),
    csrfToken: (request, reply) => csrfToken(config, request, reply),
    hasSession: (request) => request.headers.cookie?.includes(sessionCookie) ?? false,
  });
  // Fastify types its instance by the logger's type; it only needs the base logger's methods.
  const loggerInstance: FastifyBaseLogger | undefined = options.log;
  const app = Fastify({
    ...(loggerInstance && options.log
      ? {
          loggerInstance,
          logController: new RequestLogController(options.log),
          childLoggerFactory: sharedLogger,
        }
      : { logger: false }),
    genReqId: () => randomUUID(),
    // The client's address comes from X-Forwarded-For only when a configured proxy sent it.
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    bodyLimit: BODY_LIMIT_BYTES,
    // A stop (main.ts) drains: requests in progress get their whole answers, one that arrives
    // on an open connection after the stop began is answered 503 with `Connection: close` (a
    // load balancer sends it elsewhere), and only idle connections are closed. `true` here
    // destroyed connections with requests in flight (R9); main.ts cuts what outlives the grace
    // period.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1_000 },
    frameworkErrors: frameworkErrorHandler(pages, headers),
  });

  // An answer to a request that came in before the stop began would leave its connection open
  // for another request, which a stopping server must not wait for: it closes after this one.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    // A page kept in the cache is answered here, before any parsing, validation or query.
    if (!pages.serveCached(request, reply)) done();
  });
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
  await app.register(cookie);

  registerErrorHandling(app, pages);
  registerAccess(app, config, (token) => validateSession(deps, token));
  registerInputGuard(app);

  for (const asset of [assets.stylesheet, assets.script, assets.icon]) {
    app.get(asset.path, PUBLIC, (_request, reply) =>
      reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .type(asset.contentType)
        .send(asset.body),
    );
  }
  app.get(assets.legacyIcon.path, PUBLIC, (_request, reply) =>
    reply
      .header('cache-control', `public, max-age=${String(LEGACY_ICON_MAX_AGE_SECONDS)}`)
      .type(assets.legacyIcon.contentType)
      .send(assets.legacyIcon.body),
  );
  registerHealthRoutes(app, deps);
  const comments = await registerCommentRoutes(app, deps, pages, {
    loginOptions: [...providers.map((p) => ({ id: p.id, label: p.label }))],
    ...(options.listen ? { listen: options.listen } : {}),
    articleChanged: (articleId) => options.cache.dropTag(`article:${articleId}`),
  });
  registerArticleRoutes(app, deps, pages, { comments: comments.articleComments });
  registerCommentSettingsRoutes(app, deps, pages);
  registerPolicyRoutes(app, deps, pages);
  registerSitePageRoutes(app, deps, pages);
  registerTransparencyRoutes(app, deps, pages);
  registerModerationWordRoutes(app, deps, pages);
  registerModerationRoutes(app, deps, pages);
  registerAccountRoutes(app, deps, pages, {
    providers,
    mailer: options.mailer === undefined ? createMailer(config, deps.log) : options.mailer,
  });
  registerStaffRoutes(app, deps, pages);
  return app;
}
