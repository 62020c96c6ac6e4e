import { getRandomValues } from 'node:crypto';
import { generateHOTP, verifyHOTP } from '@oslojs/otp';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';

// Time-based one-time passwords (RFC 6238), the second factor staff with moderation, editing or
// admin rights must have (docs/SECURITY.md, item 12). Parameters are the ones every authenticator
// app assumes when a QR code says nothing else: HMAC-SHA-1, 30-second steps, 6 digits.
//
// The clock is always passed in (`now`), never read here, so tests and the CLI say which instant
// they mean. A step is the number of whole 30-second periods since the Unix epoch; it is what
// `verifyTotp` reports back for the caller to store as the last used step.

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
// RFC 4226 asks for at least 128 bits and recommends 160, the length of an SHA-1 HMAC key.
export const TOTP_SECRET_BYTES = 20;
// One step either side (RFC 6238 section 5.2's recommendation) absorbs a phone clock up to about
// 30 seconds off plus the time taken to type the code, and keeps the guessing odds at 3 in 10^6
// per attempt; the sign-in rate limit is what bounds the number of attempts.
const TOTP_DRIFT_STEPS = 1;

export type TotpCheck = { ok: true; step: number } | { ok: false };

export function newTotpSecret(): Uint8Array {
  return getRandomValues(new Uint8Array(TOTP_SECRET_BYTES));
}

/** The secret as authenticator apps take it when typed in: base32, upper case, no '=' padding. */
export function totpSecretText(secret: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(secret);
}

/** The same text in groups of four for reading off a screen: `GEZD GNBV GY3T …`. */
export function totpSecretDisplayText(secret: Uint8Array): string {
  return (totpSecretText(secret).match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * The otpauth:// URI a QR code carries (Google Authenticator's Key URI format). Written here
 * rather than with createTOTPKeyURI from @oslojs/otp, which builds the query with
 * URLSearchParams and so turns a space in the issuer into '+', which Google Authenticator and
 * others show literally ("Byline+Daily"); the format asks for percent-encoding throughout.
 */
export function totpKeyUri(input: {
  issuer: string;
  accountName: string;
  secret: Uint8Array;
}): string {
  const issuer = encodeURIComponent(input.issuer);
  const label = `${issuer}:${encodeURIComponent(input.accountName)}`;
  const query = [
    `secret=${totpSecretText(input.secret)}`,
    `issuer=${issuer}`,
    'algorithm=SHA1',
    `digits=${TOTP_DIGITS}`,
    `period=${TOTP_PERIOD_SECONDS}`,
  ].join('&');
  return `otpauth://totp/${label}?${query}`;
}

/** The code an authenticator shows at `now`: for tests, and for the CLI's set-up check. */
export function totpCodeAt(secret: Uint8Array, now: Date): string {
  return generateHOTP(secret, BigInt(stepAt(now)), TOTP_DIGITS);
}

/**
 * Checks a code typed by a staff member. Accepts the step of `now` and one either side, but
 * never a step at or before `lastUsedStep`, so a code that has worked once (seen over a
 * shoulder, or replayed from a logged request) cannot work again, even within its 90 seconds.
 * On success the caller must store the returned step as the account's new last used step in
 * the same transaction that completes the sign-in.
 */
export function verifyTotp(
  secret: Uint8Array,
  code: string,
  now: Date,
  lastUsedStep: number | null,
): TotpCheck {
  // Apps show the code as "287 082" and people paste it with spaces around: spaces go, and
  // anything else that is not exactly six ASCII digits (full-width or Arabic-Indic digits, a
  // seventh digit, a letter) is refused before any HMAC is computed.
  const digits = code.replaceAll(' ', '');
  if (!/^[0-9]{6}$/.test(digits)) return { ok: false };
  const current = stepAt(now);
  for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step++) {
    // The replay check comes first and depends only on the stored step, not on the secret.
    if (lastUsedStep !== null && step <= lastUsedStep) continue;
    // verifyHOTP compares the two codes with a constant-time equality, so the time taken does
    // not tell how many leading digits of a guess were right.
    if (verifyHOTP(secret, BigInt(step), TOTP_DIGITS, digits)) return { ok: true, step };
  }
  return { ok: false };
}

function stepAt(now: Date): number {
  return Math.floor(now.getTime() / (TOTP_PERIOD_SECONDS * 1000));
}
