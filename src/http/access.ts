import type {} from '@fastify/cookie';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RouteOptions,
  onRequestAsyncHookHandler,
} from 'fastify';
import type { Config } from '../config.js';
import type { RoleColumn } from '../db/db-schema.js';
import { editionPrefix } from '../lib/language.js';
import { randomToken, sameSecret } from '../lib/tokens.js';
import { AppError } from './app-error.js';
import { languageOfUrl } from './errors.js';
import { requestLog } from './request-log.js';

/**
 * Who may use what (docs/SECURITY.md, items 6, 15, 23). Every route declares `config.access`; a route
 * without one cannot be registered, and the guard below denies anything it does not recognise.
 *
 * - `public`: anyone.
 * - `reader`: anyone logged in (staff included).
 * - `board`: the standards board: a staff session of a moderator, an admin, or another member of
 *   staff the admins seated on the board (`accounts.on_board`). An editor alone does not moderate.
 * - a list of staff roles: a staff session (password + TOTP) of an account with one of them.
 *
 * State changes only through POST, each checked twice for cross-site forgery: the browser's own
 * word (`Sec-Fetch-Site`, else `Origin`) before the body is read, and a token from a cookie that
 * the form must echo (double submit; the cookie is `__Host-` prefixed on HTTPS so no other
 * origin can set it).
 */

export type StaffRole = Exclude<RoleColumn, 'reader'>;

/** The person behind a request's session, as the accounts feature finds them. */
export type Viewer = Readonly<{
  sessionId: string;
  kind: 'reader' | 'staff';
  /** How this session was authenticated: `email`, `oauth:<provider>`, `password+totp`. */
  method: string;
  /** When the person last proved who they are (the session's start). */
  authenticatedAt: Date;
  accountId: string;
  displayName: string | null;
  avatarUrl: string | null;
  role: RoleColumn;
  /** Seated on the standards board besides their role (an editor who also moderates). */
  onBoard: boolean;
}>;
export type Access = 'public' | 'reader' | 'board' | readonly StaffRole[];

export const STAFF_ROLES: readonly StaffRole[] = ['moderator', 'reporter', 'editor', 'admin'];

/** The route option of a page anyone may see: the common case. */
export const PUBLIC = { config: { access: 'public' } } as const;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    viewer: Viewer | null;
  }
}

export type CookieNames = Readonly<{ session: string; csrf: string; flow: string; device: string }>;

export function cookieNames(config: Config): CookieNames {
  // __Host- cookies must be Secure, which browsers refuse over plain http (localhost development).
  const prefix = secureCookies(config) ? '__Host-' : '';
  return {
    session: `${prefix}byline_session`,
    csrf: `${prefix}byline_csrf`,
    flow: `${prefix}byline_flow`,
    device: `${prefix}byline_device`,
  };
}

function secureCookies(config: Config): boolean {
  return config.publicUrl.startsWith('https:');
}

type CookieOptions = {
  path: '/';
  httpOnly: true;
  secure: boolean;
  sameSite: 'lax' | 'strict';
  maxAge?: number;
};

export function cookieOptions(
  config: Config,
  sameSite: 'lax' | 'strict' = 'lax',
  maxAgeSeconds?: number,
): CookieOptions {
  return {
    path: '/',
    httpOnly: true,
    secure: secureCookies(config),
    sameSite,
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

/**
 * Clears a cookie with the attributes it was set with: browsers ignore a Set-Cookie for a
 * `__Host-` cookie without Secure, so a bare clear would leave the old cookie in place.
 */
export function clearCookie(config: Config, reply: FastifyReply, name: string): void {
  reply.clearCookie(name, cookieOptions(config));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF token for forms on this response: the browser's cookie, or a new one set now. */
export function csrfToken(config: Config, request: FastifyRequest, reply: FastifyReply): string {
  const names = cookieNames(config);
  const existing = request.cookies[names.csrf];
  if (existing && existing.length >= 32 && existing.length <= 64) return existing;
  const token = randomToken();
  reply.setCookie(names.csrf, token, cookieOptions(config));
  // A reply.setCookie made twice in one response would send two cookies; remember this one.
  request.cookies[names.csrf] = token;
  return token;
}

function sameOriginRequest(config: Config, request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none';
  const origin = request.headers.origin;
  if (typeof origin !== 'string') return true; // Not a browser's cross-site form: the token decides.
  if (origin === new URL(config.publicUrl).origin) return true;
  // The host asked for, under the public URL's scheme: a site on https never accepts an http origin.
  const host = request.headers.host;
  return typeof host === 'string' && origin === `${new URL(config.publicUrl).protocol}//${host}`;
}

function submittedCsrfToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body;
  if (body && typeof body === 'object' && '_csrf' in body) {
    const value = body._csrf;
    if (typeof value === 'string') return value;
  }
  return undefined;
}

function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

function loginPathFor(access: Access, language: 'en' | 'ko'): string {
  return `${editionPrefix(language)}${access === 'reader' ? '' : '/staff'}/login`;
}

/** Whether a person may decide on comments and readers: only on a staff session. */
export function sitsOnBoard(viewer: Viewer | null): boolean {
  if (!viewer || viewer.kind !== 'staff') return false;
  return viewer.role === 'moderator' || viewer.role === 'admin' || viewer.onBoard;
}

/** Whether the person could use the route after signing in as staff (their account may). */
function mayUseAsStaff(access: Access, viewer: Viewer): boolean {
  if (access === 'board')
    return viewer.role === 'moderator' || viewer.role === 'admin' || viewer.onBoard;
  return typeof access !== 'string' && access.includes(viewer.role as StaffRole);
}

function mayUse(access: Access, viewer: Viewer | null): boolean {
  if (access === 'public') return true;
  if (!viewer) return false;
  if (access === 'reader') return true;
  if (access === 'board') return sitsOnBoard(viewer);
  return viewer.kind === 'staff' && access.includes(viewer.role as StaffRole);
}

/**
 * Registers the guard; must run before any route is added. `identify` turns a session cookie's
 * token into the person (accounts/sessions.ts), or null when the session is no more.
 */
export function registerAccess(
  app: FastifyInstance,
  config: Config,
  identify: (token: string) => Promise<Viewer | null>,
): void {
  const names = cookieNames(config);
  app.decorateRequest('viewer', null);

  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.access === undefined)
      throw new Error(`${route.method.toString()} ${route.url} declares no access (access.ts)`);
  });

  const identifyRequest: onRequestAsyncHookHandler = async (request, reply) => {
    if (!SAFE_METHODS.has(request.method) && !sameOriginRequest(config, request)) {
      request.log.warn({ ...requestLog(request) }, 'cross-site request refused');
      throw new AppError('CSRF_REJECTED', 'cross-site request');
    }
    const token = request.cookies[names.session];
    if (token === undefined) return;
    request.viewer = await identify(token);
    if (!request.viewer) clearCookie(config, reply, names.session);
  };
  app.addHook('onRequest', identifyRequest);

  // Before validation: a person the route does not admit, or a forged form, is refused as such,
  // never told what the route's schema expects.
  app.addHook('preValidation', async (request, reply) => {
    // No route matched: the not-found handler answers (404, or 405 for TRACE), nothing to guard.
    if (request.is404) return undefined;
    const access = request.routeOptions.config.access;
    if (access === undefined) throw new AppError('NOT_FOUND', 'route without access');
    if (!mayUse(access, request.viewer)) {
      const language = languageOfUrl(request.url);
      if (request.viewer) {
        request.log.warn(
          {
            ...requestLog(request),
            accountId: request.viewer.accountId,
            role: request.viewer.role,
          },
          'access denied',
        );
        // A member of staff on a reader session is asked to sign in as staff.
        if (request.method === 'GET' && !wantsJson(request) && access !== 'reader') {
          if (mayUseAsStaff(access, request.viewer))
            return reply.redirect(staffLoginPath(language, request.url), 303);
        }
        throw new AppError('FORBIDDEN', 'role not allowed');
      }
      if (request.method === 'GET' && !wantsJson(request)) {
        const login = loginPathFor(access, language);
        return reply.redirect(`${login}?returnTo=${encodeURIComponent(request.url)}`, 303);
      }
      throw new AppError('UNAUTHENTICATED', 'no session');
    }
    if (!SAFE_METHODS.has(request.method)) {
      const cookie = request.cookies[names.csrf];
      const submitted = submittedCsrfToken(request);
      if (!cookie || !submitted || !sameSecret(cookie, submitted)) {
        request.log.warn({ ...requestLog(request) }, 'CSRF token missing or wrong');
        throw new AppError('CSRF_REJECTED', 'csrf token');
      }
    }
    return undefined;
  });
}

function staffLoginPath(language: 'en' | 'ko', returnTo: string): string {
  return `${editionPrefix(language)}/staff/login?returnTo=${encodeURIComponent(returnTo)}`;
}
