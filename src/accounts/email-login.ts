import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/db-schema.js';
import { AppError } from '../http/app-error.js';
import { spendLimit } from '../http/rate-limit.js';
import type { Language } from '../lib/language.js';
import { randomToken, sameSecret, tokenDigest } from '../lib/tokens.js';
import { accountsStrings } from './accounts.strings.js';
import {
  countEmailAttempt,
  deleteFlow,
  findIdentityOwner,
  findLiveEmailFlow,
  insertFlow,
  isKnownDevice,
  rememberDevice,
  takeFlow,
} from './accounts.queries.js';
import type { Mailer } from './mail.js';

/**
 * The way in that needs no provider: a six-digit code e-mailed to the reader, typed back in the
 * same browser. The identity is ('email', the address), a provider like any other.
 *
 * A code lives 10 minutes, works once, and dies after 5 wrong tries; requests are limited per
 * address and per client address, checks per client address (ADR 8 lists the figures).
 *
 * The per-address limit bounds the guesses at one reader's codes (5 codes × 5 tries an hour), but
 * anyone can spend it by asking for codes to that address, which would lock the reader out. So, as
 * for staff (staff.service.ts), a browser that has logged in to the account before carries a
 * device cookie and asks within a budget of its own, which a stranger cannot spend.
 */

export const EMAIL_CODE_TTL_SECONDS = 600;
export const EMAIL_CODE_MAX_ATTEMPTS = 5;
export const EMAIL_CODE_LIMITS = {
  perAddress: { max: 5, windowSeconds: 3_600 },
  perClient: { max: 20, windowSeconds: 3_600 },
  checksPerClient: { max: 30, windowSeconds: 3_600 },
} as const;

type Deps = { db: Kysely<Database>; clock: () => Date };

const emailSchema = z.email().max(254);

/** The address as the identity's subject: NFC, trimmed, lower case. Null when not an address. */
export function normaliseEmail(raw: string): string | null {
  const email = raw.normalize('NFC').trim().toLowerCase();
  return emailSchema.safeParse(email).success ? email : null;
}

function codeDigest(flowId: string, code: string): string {
  return tokenDigest(`${flowId}:${code}`);
}

/** How long a browser stays known to an account after an e-mailed login. */
export const EMAIL_DEVICE_TTL_SECONDS = 180 * 86_400;

function plausibleDeviceToken(token: string | undefined): token is string {
  return token !== undefined && token.length >= 22 && token.length <= 100;
}

/** The per-address budget this browser asks in: its own if it logged in to the address before. */
async function addressBudgetKey(deps: Deps, email: string, deviceToken: string | undefined) {
  const shared = `email-code:address:${email}`;
  if (!plausibleDeviceToken(deviceToken)) return shared;
  const accountId = await findIdentityOwner(deps.db, 'email', email);
  if (accountId === undefined) return shared;
  const digest = tokenDigest(deviceToken);
  const known = await isKnownDevice(deps.db, accountId, digest, deps.clock());
  return known ? `${shared}:device:${digest.slice(0, 16)}` : shared;
}

/** Sends a code; returns the token the browser keeps (in a cookie) to type the code back. */
export async function requestEmailCode(
  deps: Deps & { mailer: Mailer; siteName: string },
  input: {
    email: string;
    language: Language;
    returnTo: string;
    clientIp: string;
    /** The browser's device cookie, if it has one. */
    deviceToken?: string | undefined;
  },
): Promise<{ flowToken: string }> {
  await spendLimit(deps, {
    key: `email-code:client:${input.clientIp}`,
    ...EMAIL_CODE_LIMITS.perClient,
  });
  await spendLimit(deps, {
    key: await addressBudgetKey(deps, input.email, input.deviceToken),
    ...EMAIL_CODE_LIMITS.perAddress,
  });
  const flowToken = randomToken();
  const flowId = tokenDigest(flowToken);
  const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
  await insertFlow(deps.db, {
    id: flowId,
    kind: 'email',
    provider: 'email',
    email: input.email,
    code_hash: codeDigest(flowId, code),
    language: input.language,
    return_to: input.returnTo,
    expires_at: new Date(deps.clock().getTime() + EMAIL_CODE_TTL_SECONDS * 1000),
  });
  const t = accountsStrings[input.language];
  await deps.mailer.send({
    to: input.email,
    subject: t.emailCodeSubject(code, deps.siteName),
    text: t.emailCodeText(code, deps.siteName, EMAIL_CODE_TTL_SECONDS / 60),
  });
  return { flowToken };
}

export type EmailFlow = { email: string; language: Language; returnTo: string };

/** The pending flow of this browser, to show which address the code went to. */
export async function pendingEmailFlow(deps: Deps, flowToken: string): Promise<EmailFlow | null> {
  const row = await findLiveEmailFlow(deps.db, tokenDigest(flowToken), deps.clock());
  return row?.email ? { email: row.email, language: row.language, returnTo: row.return_to } : null;
}

export type CodeCheck =
  | { ok: true; flow: EmailFlow }
  | { ok: false; reason: 'wrong_code'; attemptsLeft: number }
  | { ok: false; reason: 'expired' | 'too_many_attempts' };

/**
 * Checks a typed code. Each try is counted before it is compared, in one statement, so parallel
 * tries cannot exceed the limit; the right code deletes the flow, so it works once.
 */
export async function checkEmailCode(
  deps: Deps,
  input: { flowToken: string; code: string; clientIp: string },
): Promise<CodeCheck> {
  await spendLimit(deps, {
    key: `email-check:client:${input.clientIp}`,
    ...EMAIL_CODE_LIMITS.checksPerClient,
  });
  const flowId = tokenDigest(input.flowToken);
  const now = deps.clock();
  const row = await countEmailAttempt(deps.db, flowId);
  if (!row?.code_hash || !row.email) return { ok: false, reason: 'expired' };
  if (row.expires_at <= now) {
    await deleteFlow(deps.db, flowId);
    return { ok: false, reason: 'expired' };
  }
  if (row.attempts > EMAIL_CODE_MAX_ATTEMPTS) {
    await deleteFlow(deps.db, flowId);
    return { ok: false, reason: 'too_many_attempts' };
  }
  const code = input.code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(code) || !sameSecret(codeDigest(flowId, code), row.code_hash)) {
    const attemptsLeft = EMAIL_CODE_MAX_ATTEMPTS - row.attempts;
    if (attemptsLeft <= 0) {
      await deleteFlow(deps.db, flowId);
      return { ok: false, reason: 'too_many_attempts' };
    }
    return { ok: false, reason: 'wrong_code', attemptsLeft };
  }
  const used = await takeFlow(deps.db, flowId, 'email');
  // Two right answers at once: only the one whose delete found the row logs in.
  if (!used) throw new AppError('LOGIN_EXPIRED', 'code already used');
  return { ok: true, flow: { email: row.email, language: row.language, returnTo: row.return_to } };
}

/**
 * Remembers the browser that just logged in with a code, so its later code requests for the
 * account have their own budget; returns the device token for its cookie. A browser that already
 * has a device cookie keeps it (a staff member's, say): the row stays with the account it was
 * first remembered for (only its end date moves on), and this account does not know the browser.
 */
export async function rememberEmailDevice(
  deps: Deps,
  accountId: string,
  deviceToken: string | undefined,
): Promise<string> {
  const token = plausibleDeviceToken(deviceToken) ? deviceToken : randomToken();
  const expires = new Date(deps.clock().getTime() + EMAIL_DEVICE_TTL_SECONDS * 1000);
  await rememberDevice(deps.db, accountId, tokenDigest(token), expires);
  return token;
}
