import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Random secrets and their digests, one way for the whole app. */

/** 32 bytes from the CSPRNG as base64url: 256 bits, 43 characters (docs/SECURITY.md, item 1). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** What the database keeps of a token: its SHA-256, so a leaked table opens no session. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares two secrets in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
