import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import type { Kysely } from 'kysely';
import type { Database, RoleColumn } from '../db/db-schema.js';
import { AppError } from '../http/app-error.js';
import { spendLimit } from '../http/rate-limit.js';
import { editionPrefix, type Language } from '../lib/language.js';
import { randomToken, tokenDigest } from '../lib/tokens.js';
import {
  anyStaffAccount,
  claimTotpStep,
  deleteAccountSessions,
  findLiveSetupToken,
  findStaffByEmail,
  insertStaffAccount,
  isKnownDevice,
  rememberDevice,
  replaceSetupToken,
  setPasswordHash,
  setStaffCredentials,
  takeSetupToken,
} from './accounts.queries.js';
import { normaliseEmail } from './email-login.js';
import {
  dummyVerify,
  hashPassword,
  needsRehash,
  passwordProblem,
  verifyPassword,
  type PasswordProblem,
} from './credentials/password.js';
import {
  newTotpSecret,
  totpKeyUri,
  totpSecretDisplayText,
  totpSecretText,
  verifyTotp,
} from './credentials/totp.js';

/**
 * Staff accounts: an address, a password (argon2id) and an authenticator (TOTP), both set by the
 * person through a one-time link; there is no default account and no shared password
 * (docs/SECURITY.md, items 8–12). A staff session records that it was made with both factors, and
 * staff pages accept nothing else.
 */

export type StaffRoleName = Exclude<RoleColumn, 'reader'>;

export const SETUP_LINK_TTL_SECONDS = 24 * 3_600;

/**
 * Sign-in limits (docs/SECURITY.md, item 10): per account 10 attempts in 15 minutes (fixed windows:
 * 40 in a clock hour, at most 50 in any 60 minutes that straddle five windows, under ASVS's 100;
 * brute-force.test.ts counts it), per client address 30 an hour. Every attempt counts, and is counted
 * before the password is checked, so no burst of parallel guesses gets past the limit.
 *
 * A browser that has signed in to the account before carries a device cookie, and its attempts
 * are counted in a budget of their own: someone guessing at a staff address from elsewhere uses
 * up only the budget of unknown browsers, and cannot lock the owner out (OWASP's device cookies).
 */
export const STAFF_SIGNIN_LIMITS = {
  perAccount: { max: 10, windowSeconds: 15 * 60 },
  perClient: { max: 30, windowSeconds: 3_600 },
} as const;

/** How long a browser stays known after a sign-in. */
export const STAFF_DEVICE_TTL_SECONDS = 180 * 86_400;

type Deps = { db: Kysely<Database>; clock: () => Date };

export async function addStaffAccount(
  deps: Deps,
  input: { email: string; role: StaffRoleName; displayName?: string | undefined },
): Promise<{ accountId: string; email: string }> {
  const email = normaliseEmail(input.email);
  if (!email) throw new AppError('STAFF_EMAIL_INVALID', `not an e-mail address: ${input.email}`);
  const accountId = await insertStaffAccount(deps.db, {
    display_name: input.displayName ?? null,
    avatar_url: null,
    role: input.role,
    staff_email: email,
    created_at: deps.clock(),
  });
  if (accountId === undefined)
    throw new AppError('STAFF_EMAIL_TAKEN', `a staff account for ${email} exists already`);
  return { accountId, email };
}

export async function findStaffAccount(
  deps: Deps,
  email: string,
): Promise<{ id: string; role: RoleColumn; ready: boolean } | undefined> {
  const normalised = normaliseEmail(email);
  if (!normalised) return undefined;
  const row = await findStaffByEmail(deps.db, normalised, { activeOnly: false });
  return row
    ? { id: row.id, role: row.role, ready: row.password_hash !== null && row.totp_secret !== null }
    : undefined;
}

/**
 * A one-time link to set (or reset) the account's password and authenticator. Earlier links of
 * the account stop working; the secret of the authenticator to be is kept with the link.
 */
export async function issueSetupLink(
  deps: Deps,
  accountId: string,
  publicUrl: string,
  /** The edition the link opens in: the invitation's language. */
  language: Language = 'en',
): Promise<string> {
  const token = randomToken();
  await deps.db.transaction().execute((trx) =>
    replaceSetupToken(trx, {
      token_hash: tokenDigest(token),
      account_id: accountId,
      totp_secret: totpSecretText(newTotpSecret()),
      expires_at: new Date(deps.clock().getTime() + SETUP_LINK_TTL_SECONDS * 1000),
    }),
  );
  return `${publicUrl}${editionPrefix(language)}/staff/setup/${token}`;
}

export type SetupView = { email: string; secretText: string; keyUri: string };

async function setupRow(deps: Deps, token: string) {
  if (token.length < 22 || token.length > 100) return undefined;
  return findLiveSetupToken(deps.db, tokenDigest(token), deps.clock());
}

export async function setupView(
  deps: Deps,
  token: string,
  issuer: string,
): Promise<SetupView | null> {
  const row = await setupRow(deps, token);
  if (!row?.staff_email) return null;
  const secret = decodeBase32IgnorePadding(row.totp_secret);
  return {
    email: row.staff_email,
    secretText: totpSecretDisplayText(secret),
    keyUri: totpKeyUri({ issuer, accountName: row.staff_email, secret }),
  };
}

export type SetupOutcome =
  | { ok: true; accountId: string }
  | { ok: false; reason: 'expired' | 'mismatch' | 'code_wrong' }
  | { ok: false; reason: 'password'; problem: PasswordProblem };

/** Sets the password and authenticator from a setup link; the link then stops working. */
export async function completeSetup(
  deps: Deps,
  input: { token: string; password: string; passwordAgain: string; code: string },
): Promise<SetupOutcome> {
  const row = await setupRow(deps, input.token);
  if (!row?.staff_email) return { ok: false, reason: 'expired' };
  if (input.password !== input.passwordAgain) return { ok: false, reason: 'mismatch' };
  const problem = passwordProblem(input.password, {
    email: row.staff_email,
    name: row.display_name ?? undefined,
  });
  if (problem) return { ok: false, reason: 'password', problem };
  const check = verifyTotp(
    decodeBase32IgnorePadding(row.totp_secret),
    input.code,
    deps.clock(),
    null,
  );
  if (!check.ok) return { ok: false, reason: 'code_wrong' };
  const hash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (trx) => {
    const accountId = await takeSetupToken(trx, tokenDigest(input.token));
    if (accountId === undefined) return { ok: false as const, reason: 'expired' as const };
    await setStaffCredentials(trx, accountId, {
      passwordHash: hash,
      totpSecret: row.totp_secret,
      totpStep: check.step,
    });
    // New credentials: whatever sessions the account had were made with the old ones.
    await deleteAccountSessions(trx, accountId);
    return { ok: true as const, accountId };
  });
}

/**
 * `code_used`: the password is right and the code is a real one, already spent (the set-up just
 * used it, or a sign-in moments ago): the person must wait for the next code, and is told so.
 * It is said only to someone with the right password and a code of the last minute and a half,
 * that is with both factors; the sign-in limits above bound what anyone can try meanwhile.
 */
export type SignInOutcome =
  | { ok: true; accountId: string; deviceToken: string }
  | { ok: false; reason: 'wrong' | 'code_used' };

/** The device cookie's id if it is a live one of this account, else null. */
async function knownDevice(
  deps: Deps,
  accountId: string,
  deviceToken: string | undefined,
): Promise<string | null> {
  if (!deviceToken || deviceToken.length < 22 || deviceToken.length > 100) return null;
  const digest = tokenDigest(deviceToken);
  return (await isKnownDevice(deps.db, accountId, digest, deps.clock()))
    ? digest.slice(0, 16)
    : null;
}

/**
 * Checks an address, password and current TOTP code together and answers only "yes" or "no", so
 * a failure does not tell which part was wrong or whether the address exists.
 */
export async function staffSignIn(
  deps: Deps,
  input: {
    email: string;
    password: string;
    code: string;
    clientIp: string;
    /** The browser's device cookie, if it has one. */
    deviceToken?: string | undefined;
  },
): Promise<SignInOutcome> {
  await spendLimit(deps, {
    key: `staff-signin:client:${input.clientIp}`,
    ...STAFF_SIGNIN_LIMITS.perClient,
  });
  const email = normaliseEmail(input.email);
  const row = email ? await findStaffByEmail(deps.db, email, { activeOnly: true }) : undefined;
  if (!row?.password_hash || !row.totp_secret || row.role === 'reader') {
    await dummyVerify(input.password);
    return { ok: false, reason: 'wrong' };
  }
  const device = await knownDevice(deps, row.id, input.deviceToken);
  await spendLimit(deps, {
    key: `staff-signin:account:${row.id}:${device === null ? 'unknown' : `device:${device}`}`,
    ...STAFF_SIGNIN_LIMITS.perAccount,
  });
  const passwordOk = await verifyPassword(row.password_hash, input.password);
  const lastStep = row.totp_last_step === null ? null : Number(row.totp_last_step);
  const secret = decodeBase32IgnorePadding(row.totp_secret);
  const totp = verifyTotp(secret, input.code, deps.clock(), lastStep);
  if (!passwordOk) return { ok: false, reason: 'wrong' };
  if (!totp.ok) {
    const spent = verifyTotp(secret, input.code, deps.clock(), null).ok;
    return { ok: false, reason: spent ? 'code_used' : 'wrong' };
  }
  // The step is claimed atomically: the same code sent twice at once signs in once.
  if (!(await claimTotpStep(deps.db, row.id, totp.step))) return { ok: false, reason: 'code_used' };
  if (needsRehash(row.password_hash))
    await setPasswordHash(deps.db, row.id, await hashPassword(input.password));
  // This browser is known from now on; a known one keeps its cookie and gets a fresh end date.
  const deviceToken = device === null || !input.deviceToken ? randomToken() : input.deviceToken;
  const expires = new Date(deps.clock().getTime() + STAFF_DEVICE_TTL_SECONDS * 1000);
  await rememberDevice(deps.db, row.id, tokenDigest(deviceToken), expires);
  return { ok: true, accountId: row.id, deviceToken };
}

/** Whether any member of staff exists; an empty database gets the demo admin. */
export function staffExists(deps: Deps): Promise<boolean> {
  return anyStaffAccount(deps.db);
}
