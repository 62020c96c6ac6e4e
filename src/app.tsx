import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createMailer, type Mailer } from './accounts/mail.js';
import { configuredProviders, type Provider } from './accounts/providers/providers.js';
import { validateSession } from './accounts/sessions.js';
import { listNavSections } from './articles/articles.listing.js';
import type { DatabaseHandle } from './db/db.js';
import { BUNDLES, CATALOGUE, ERROR_TABLE, registerFeatureRoutes } from './features.js';
import type { AppDeps } from './deps.js';
import { frameworkErrorHandler, registerErrorHandling } from './http/errors.js';
import { registerHealthRoutes } from './http/health.routes.js';
import { registerInputGuard } from './http/input-guard.js';
import { registerOpenApiRoute, registerSchemas } from './http/openapi.js';
import { route } from './http/route.js';
import { articleTag, type PageCache } from './http/page-cache.js';
import { createPages } from './http/pages.js';
import { RequestLogController, sharedLogger } from './http/request-log.js';
import { securityHeaders } from './http/security-headers.js';
import { cookieNames, csrfToken, registerAccess } from './http/access.js';
import { loadAssets } from './views/assets.js';
import type { Site } from './views/site.js';

/** Builds the HTTP app: the platform's hooks and routes, then every feature's (src/features.ts). */

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

/** Requests larger than this are refused with 413 (docs/SECURITY.md, item 27). */
const BODY_LIMIT_BYTES = 64 * 1024;

export async function buildApp(deps: AppDeps, options: AppOptions): Promise<FastifyInstance> {
  const { config } = deps;
  const assets = loadAssets(BUNDLES);
  const providers = options.providers ?? configuredProviders(config.providers);
  const headers = securityHeaders(config, [...new Set(providers.map((p) => p.browserOrigin))]);
  const site: Site = {
    name: config.siteName,
    publicUrl: config.publicUrl,
    timeZone: config.timeZone,
    commentMaxLength: config.commentMaxLength,
    stylesheet: assets.stylesheet.path,
    icon: assets.icon.path,
    scripts: Object.fromEntries([...assets.scripts].map(([name, asset]) => [name, asset.path])),
  };
  const sessionCookie = `${cookieNames(config).session}=`;
  const pages = createPages({
    site,
    catalogue: CATALOGUE,
    errors: ERROR_TABLE,
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
  await registerSchemas(app, { title: `${config.siteName.en} (Byline)`, version: '0.1.0' });
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
  await app.register(cookie);

  registerErrorHandling(app, pages);
  // The NUL guard's preValidation hook runs before the access rule's, as registered.
  registerInputGuard(app);
  registerAccess(app, config, (token) => validateSession(deps, token));

  const assetSchema = { tags: ['platform'] };
  for (const asset of [assets.stylesheet, ...assets.scripts.values(), assets.icon]) {
    route(
      app,
      { method: 'GET', url: asset.path, access: 'public', schema: assetSchema },
      (_request, reply) =>
        reply
          .header('cache-control', 'public, max-age=31536000, immutable')
          .type(asset.contentType)
          .send(asset.body),
    );
  }
  route(
    app,
    { method: 'GET', url: assets.legacyIcon.path, access: 'public', schema: assetSchema },
    (_request, reply) =>
      reply
        .header('cache-control', `public, max-age=${String(LEGACY_ICON_MAX_AGE_SECONDS)}`)
        .type(assets.legacyIcon.contentType)
        .send(assets.legacyIcon.body),
  );
  registerHealthRoutes(app, deps);
  registerOpenApiRoute(app);
  await registerFeatureRoutes(app, deps, pages, {
    providers,
    mailer: options.mailer === undefined ? createMailer(config, deps.log) : options.mailer,
    listen: options.listen,
    articleChanged: (articleId) => options.cache.dropTag(articleTag(articleId)),
  });
  return app;
}
