import { z } from 'zod';
import {
  MAX_UNITS_PER_CHARACTER,
  drawsNothing,
  hasHiddenFormat,
  visibleLengthProblem,
} from '../../lib/visible-text.js';

/**
 * Login providers: domain types and the pure rules on what we accept from them. The flows that
 * talk to a provider live in providers.ts; this file never does I/O.
 */

export type ProviderId = 'kakao' | 'naver' | 'google' | 'apple' | 'facebook' | 'x' | 'oidc';

/** The order of the login buttons, and of `configuredProviders`' answer. */
export const PROVIDER_ORDER: readonly ProviderId[] = [
  'kakao',
  'naver',
  'google',
  'apple',
  'facebook',
  'x',
  'oidc',
];

/** What we keep of a person from a provider. Identity is (provider, subject), never e-mail. */
export type ProviderProfile = {
  subject: string;
  name?: string;
  email?: string;
  avatarUrl?: string;
};

/** Everything the browser-bound flow record must keep between start and callback (stored server-side by the caller). */
export type PendingFlow = {
  provider: ProviderId;
  state: string;
  nonce: string | null;
  codeVerifier: string;
};

export type Provider = {
  id: ProviderId;
  /** Button text; for 'oidc' it is the configured BYLINE_OIDC_LABEL in both languages. */
  label: { en: string; ko: string };
  /**
   * Where the login form's redirect takes the browser (the issuer's origin for OpenID Connect,
   * whose authorization endpoint lives there at every provider we know): the CSP's form-action
   * must allow it, since browsers apply form-action to the redirect that follows a form.
   */
  browserOrigin: string;
  /** Builds the authorization URL (code flow, PKCE S256, fresh random state, nonce for OIDC ones). */
  start(redirectUri: string): Promise<{ url: URL; flow: PendingFlow }>;
  /** Completes the flow from the full callback URL the browser arrived at; throws ProviderRefusal on anything wrong. */
  finish(callbackUrl: URL, flow: PendingFlow, redirectUri: string): Promise<ProviderProfile>;
};

/**
 * - `state_mismatch`: the callback does not belong to this flow (forged, replayed, other provider);
 * - `provider_error`: the provider answered with an OAuth error, `access_denied` when the person
 *   cancelled (see `oauthError`);
 * - `token_rejected`: the code exchange failed or its ID token did not verify;
 * - `profile_invalid`: the profile answer was malformed or had no subject;
 * - `unreachable`: the provider (its discovery document, token or profile endpoint) did not answer.
 */
export type RefusalReason =
  'state_mismatch' | 'provider_error' | 'token_rejected' | 'profile_invalid' | 'unreachable';

/** A login that must not go ahead. The reason is for the app; the message and cause for the log. */
export class ProviderRefusal extends Error {
  override name = 'ProviderRefusal';
  readonly reason: RefusalReason;
  /** The provider's `error` parameter when the reason is `provider_error`. */
  readonly oauthError: string | undefined;

  constructor(
    reason: RefusalReason,
    message: string,
    options?: { cause?: unknown; oauthError?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.oauthError = options?.oauthError;
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * TLS everywhere except on this machine: plain http is allowed only for loopback hosts, where
 * local identity providers and the test fakes run. Tokens and codes cross these URLs, so this
 * rule has no switch.
 */
export function isAllowedEndpoint(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/** Longest name we take over, in visible characters; a longer one is dropped and the app asks. */
export const NAME_MAX_CHARACTERS = 100;
const URL_MAX_LENGTH = 2048;
const SUBJECT_MAX_LENGTH = 255;
// C0/C1 controls and the bidirectional overrides that can make an identifier display as another.
const UNSAFE_CHARACTERS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
/**
 * Longer than this (in UTF-16 units) a provider's name cannot pass, whatever NFC and folding
 * whitespace take out; it is dropped before either runs. A provider is a server we do not run:
 * a 70,000-character name at the login callback must cost no more than a short one.
 */
const RAW_NAME_MAX_UNITS = 4 * NAME_MAX_CHARACTERS * MAX_UNITS_PER_CHARACTER;

/**
 * A display name, or nothing. Whitespace is trimmed and runs of it folded to one space; a name
 * that is then empty or invisible, over the limit, or holding controls, direction marks or other
 * hidden characters (hasHiddenFormat) is dropped, never cut short or cleaned: the reader is asked
 * for a name instead, and sees what they choose.
 */
export function cleanName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > RAW_NAME_MAX_UNITS) return undefined;
  const name = value.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (drawsNothing(name) || hasHiddenFormat(name)) return undefined;
  return visibleLengthProblem(name, NAME_MAX_CHARACTERS) === null ? name : undefined;
}

/** An avatar is only ever an https address (http on loopback for tests); anything else is dropped. */
export function cleanAvatarUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > URL_MAX_LENGTH || !URL.canParse(value)) {
    return undefined;
  }
  const url = new URL(value);
  return isAllowedEndpoint(url) ? url.href : undefined;
}

const EMAIL_MAX_LENGTH = 254;
const emailSchema = z.email().max(EMAIL_MAX_LENGTH);

/** An address as the provider gave it, when it looks like one; whether it is verified is the caller's question. */
export function cleanEmail(value: unknown): string | undefined {
  // The length first: the address pattern need never run over a provider's megabyte.
  if (typeof value !== 'string' || value.length > EMAIL_MAX_LENGTH) return undefined;
  const parsed = emailSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The identity half that is ours to check: a non-empty, bounded string with no control characters. */
export const subjectSchema = z
  .string()
  .min(1)
  .max(SUBJECT_MAX_LENGTH)
  .refine((value) => !UNSAFE_CHARACTERS.test(value), { message: 'control characters' });

/** Drops the fields that came out empty, so `exactOptionalPropertyTypes` holds. */
export function profileOf(
  subject: string,
  fields: { name: string | undefined; email: string | undefined; avatarUrl: string | undefined },
): ProviderProfile {
  const profile: ProviderProfile = { subject };
  if (fields.name !== undefined) profile.name = fields.name;
  if (fields.email !== undefined) profile.email = fields.email;
  if (fields.avatarUrl !== undefined) profile.avatarUrl = fields.avatarUrl;
  return profile;
}
