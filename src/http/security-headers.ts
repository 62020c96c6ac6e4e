import type { Config } from '../config.js';

/**
 * Headers on every response (docs/SECURITY.md, item 24), computed once. We set them ourselves
 * rather than through a plugin so that the answers Fastify gives before routing (a URL that cannot
 * be decoded) carry exactly the same set.
 *
 * The Content Security Policy allows scripts and styles only from our own origin, never inline;
 * nothing may frame us; no plugins; forms post only to us (and, for login, on to a provider). Images may come from any https origin,
 * since feature images often live on a CDN.
 */
export function contentSecurityPolicy(config: Config, formTargets: readonly string[] = []): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    ['img-src', "'self'", 'https:', 'data:'],
    ['font-src', "'self'"],
    ['connect-src', "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['frame-ancestors', "'none'"],
    ['form-action', "'self'", ...formTargets],
  ];
  if (config.publicUrl.startsWith('https:')) directives.push(['upgrade-insecure-requests']);
  return directives.map((d) => d.join(' ')).join('; ');
}

/**
 * `formTargets`: the login providers' origins. A login button is a form posted to us, answered
 * with a redirect to the provider, and browsers hold that redirect to form-action too.
 */
export function securityHeaders(
  config: Config,
  formTargets: readonly string[] = [],
): Readonly<Record<string, string>> {
  return Object.freeze({
    'content-security-policy': contentSecurityPolicy(config, formTargets),
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'x-permitted-cross-domain-policies': 'none',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  });
}
