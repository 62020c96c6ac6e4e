import { z } from 'zod';
import { formText } from '../http/schemas.js';

/**
 * What the policy's routes read (src/http/route.ts): a malformed version in an address is a page
 * we do not have (404), in a form a bad request (400).
 */

/** A version number as addresses and forms write it: digits, no leading zero, nine at most. */
export const policyVersion = z
  .string()
  .regex(/^[1-9]\d{0,8}$/)
  .transform(Number);

export const versionParams = z.object({ version: policyVersion });

/**
 * Where a reader goes once they accept: any text, judged by `safeReturnTo`, which falls back to
 * the policy page for anything that is not a path on this site.
 */
const returnTo = formText;

/** The policy page's query: read only for a logged-in reader's acceptance form. */
export const policyQuery = z.object({ returnTo });

export const acceptBody = z.object({ version: policyVersion, returnTo });
