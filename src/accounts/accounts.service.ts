import type { Kysely } from 'kysely';
import type { Database, RoleColumn } from '../db/db-schema.js';
import { AppError } from '../http/app-error.js';
import { spendLimit } from '../http/rate-limit.js';
import {
  deleteAccountIdentities,
  deleteAccountRow,
  deleteAccountSessions,
  deleteIdentity,
  deleteStaffExtras,
  findAccount,
  findIdentityOwner,
  insertAccount,
  insertIdentity,
  listAccountsNewestFirst,
  listIdentities,
  tombstoneAccount,
  touchIdentity,
  updateLiveAccount,
  type Db,
} from './accounts.queries.js';
import { listSessions, type SessionSummary } from './sessions.js';
import {
  MAX_UNITS_PER_CHARACTER,
  drawsNothing,
  hasHiddenFormat,
  visibleLengthProblem,
} from '../lib/visible-text.js';
import {
  exportReaderComments,
  exportReaderReports,
  exportReaderVotes,
} from '../comments/comments.service.js';
import { listAcceptedVersions } from '../policy/policy.service.js';

/**
 * Readers' accounts. A person is one account with one or more identities, each keyed by
 * (provider, subject) (docs/SECURITY.md, item 14): two providers that report the same e-mail are
 * two accounts until the person links them while logged in.
 */

type Deps = { db: Kysely<Database>; clock: () => Date };

export type IdentityInput = {
  provider: string;
  subject: string;
  email?: string | undefined;
  name?: string | undefined;
  avatarUrl?: string | undefined;
};

export type AccountRow = {
  id: string;
  displayName: string | null;
  role: RoleColumn;
  status: 'active' | 'suspended' | 'deleted';
};

/** New accounts per client address per hour (docs/SECURITY.md, item 25). */
export const SIGNUP_LIMIT = { max: 10, windowSeconds: 3_600 } as const;

const DISPLAY_NAME_MAX = 40;
const RAW_NAME_MAX_UNITS = 4 * DISPLAY_NAME_MAX * MAX_UNITS_PER_CHARACTER;

export type DisplayNameProblem = 'empty' | 'too_long' | 'character_too_long' | 'control';

/**
 * A display name as shown beside comments: NFC, trimmed, 1–40 visible characters (grapheme
 * clusters) of at most MAX_UNITS_PER_CHARACTER units each, nothing invisible that could disguise
 * it (hasHiddenFormat). Longer names are refused, never cut. Input too long to pass is refused
 * before it is normalised or counted, so a name of any size costs the same little work.
 */
export function displayNameProblem(raw: string): DisplayNameProblem | null {
  // NFC and trimming can shorten a name (three conjoining jamo compose to one syllable), so the
  // bound taken before them leaves room; visibleLengthProblem bounds the result exactly.
  if (raw.length > RAW_NAME_MAX_UNITS) return 'too_long';
  const name = raw.normalize('NFC').trim();
  if (drawsNothing(name)) return 'empty';
  // Refused, not stripped: the form shows the name again with the error, and the reader decides.
  if (hasHiddenFormat(name)) return 'control';
  return visibleLengthProblem(name, DISPLAY_NAME_MAX);
}

export function normaliseDisplayName(raw: string): string {
  return raw.normalize('NFC').trim();
}

/** A provider's name is a suggestion: kept only if it would pass as a display name. */
function suggestedName(name: string | undefined): string | null {
  return name !== undefined && displayNameProblem(name) === null
    ? normaliseDisplayName(name)
    : null;
}

async function accountOf(db: Db, id: string): Promise<AccountRow> {
  const row = await findAccount(db, id);
  return { id: row.id, displayName: row.display_name, role: row.role, status: row.status };
}

/**
 * The account an identity logs into, created with it on first login. A suspended account is
 * refused; a new one counts against the sign-up limit of the client's address.
 */
export async function accountForIdentity(
  deps: Deps,
  identity: IdentityInput,
  clientIp: string,
): Promise<{ account: AccountRow; created: boolean }> {
  const now = deps.clock();
  const key = { provider: identity.provider, subject: identity.subject };
  const known = await touchIdentity(deps.db, { ...key, email: identity.email ?? null }, now);
  if (known !== undefined) {
    const account = await accountOf(deps.db, known);
    if (account.status !== 'active') throw new AppError('ACCOUNT_SUSPENDED', 'account not active');
    return { account, created: false };
  }
  await spendLimit(deps, { key: `signup:ip:${clientIp}`, ...SIGNUP_LIMIT });
  return deps.db.transaction().execute(async (trx) => {
    const accountId = await insertAccount(trx, {
      display_name: suggestedName(identity.name),
      avatar_url: identity.avatarUrl ?? null,
      created_at: now,
    });
    const inserted = await insertIdentity(trx, {
      ...key,
      account_id: accountId,
      email: identity.email ?? null,
      created_at: now,
      last_login_at: now,
    });
    if (!inserted) {
      // Another request created this identity a moment ago: use its account, keep no orphan.
      await deleteAccountRow(trx, accountId);
      const owner = await findIdentityOwner(trx, key.provider, key.subject);
      if (owner === undefined)
        throw new Error(`identity ${key.provider} vanished after a conflict`);
      return { account: await accountOf(trx, owner), created: false };
    }
    return { account: await accountOf(trx, accountId), created: true };
  });
}

/** Links another identity to a logged-in account; one that belongs to someone else is refused. */
export async function linkIdentity(
  deps: Deps,
  accountId: string,
  identity: IdentityInput,
): Promise<void> {
  const now = deps.clock();
  const inserted = await insertIdentity(deps.db, {
    provider: identity.provider,
    subject: identity.subject,
    account_id: accountId,
    email: identity.email ?? null,
    created_at: now,
    last_login_at: now,
  });
  if (inserted) return;
  const owner = await findIdentityOwner(deps.db, identity.provider, identity.subject);
  if (owner !== accountId)
    throw new AppError(
      'IDENTITY_TAKEN',
      `${identity.provider} identity belongs to another account`,
    );
}

/** Unlinks one of the account's identities, never the last way in. */
export async function unlinkIdentity(
  deps: Deps,
  accountId: string,
  provider: string,
  subject: string,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const identities = await listIdentities(trx, accountId, { forUpdate: true });
    const mine = identities.some((i) => i.provider === provider && i.subject === subject);
    if (!mine) throw new AppError('NOT_FOUND', 'no such identity on this account');
    if (identities.length < 2) throw new AppError('BAD_REQUEST', 'the last identity stays');
    await deleteIdentity(trx, accountId, provider, subject);
  });
}

export async function setDisplayName(deps: Deps, accountId: string, raw: string): Promise<void> {
  if (displayNameProblem(raw) !== null) throw new AppError('BAD_REQUEST', 'display name');
  const changed = await updateLiveAccount(deps.db, accountId, {
    display_name: normaliseDisplayName(raw),
  });
  if (!changed) throw new AppError('NOT_FOUND', 'no such account');
}

export type AccountProfile = {
  id: string;
  displayName: string | null;
  avatarUrl: string | null;
  role: RoleColumn;
  createdAt: Date;
  identities: { provider: string; subject: string; email: string | null; createdAt: Date }[];
};

export async function accountProfile(deps: Deps, accountId: string): Promise<AccountProfile> {
  const account = await findAccount(deps.db, accountId);
  const identities = await listIdentities(deps.db, accountId);
  return {
    id: account.id,
    displayName: account.display_name,
    avatarUrl: account.avatar_url,
    role: account.role,
    createdAt: account.created_at,
    identities: identities.map((i) => ({
      provider: i.provider,
      subject: i.subject,
      email: i.email,
      createdAt: i.created_at,
    })),
  };
}

/**
 * Everything the site keeps about a reader, as they may download it (privacy); what the download
 * file says is its wire format (accountDataWire, accounts.wire.ts). Comments, votes and reports
 * come already in the comments feature's export format.
 */
export type AccountData = Readonly<{
  exportedAt: Date;
  profile: AccountProfile;
  comments: Awaited<ReturnType<typeof exportReaderComments>>;
  votes: Awaited<ReturnType<typeof exportReaderVotes>>;
  reports: Awaited<ReturnType<typeof exportReaderReports>>;
  policyAcceptances: readonly { version: number; acceptedAt: Date }[];
  sessions: readonly SessionSummary[];
}>;

export async function exportAccountData(deps: Deps, accountId: string): Promise<AccountData> {
  return {
    exportedAt: deps.clock(),
    profile: await accountProfile(deps, accountId),
    comments: await exportReaderComments(deps, accountId),
    votes: await exportReaderVotes(deps, accountId),
    reports: await exportReaderReports(deps, accountId),
    policyAcceptances: await listAcceptedVersions(deps, accountId),
    sessions: await listSessions(deps, accountId),
  };
}

/**
 * Deletes a reader's account: identities, sessions and personal fields go; the row stays as a
 * tombstone so that their comments can show "deleted account" rather than vanish.
 */
export async function deleteAccount(deps: Deps, accountId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await deleteAccountIdentities(trx, accountId);
    await deleteAccountSessions(trx, accountId);
    await deleteStaffExtras(trx, accountId);
    await tombstoneAccount(trx, accountId, deps.clock());
  });
}

/** Changes an account that is not deleted; ends its sessions when asked, in the same transaction. */
async function changeAccount(
  deps: Deps,
  accountId: string,
  change: { status: 'active' | 'suspended' } | { role: RoleColumn } | { on_board: boolean },
  endSessions: boolean,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await updateLiveAccount(trx, accountId, change)))
      throw new AppError('NOT_FOUND', 'no such account');
    if (endSessions) await deleteAccountSessions(trx, accountId);
  });
}

/** Suspends or restores an account; suspension ends every session at once (item 5). */
export function setAccountStatus(
  deps: Deps,
  accountId: string,
  status: 'active' | 'suspended',
): Promise<void> {
  return changeAccount(deps, accountId, { status }, status === 'suspended');
}

/** Changes a role; the account's sessions end, so no session carries powers it no longer has. */
export function setRole(deps: Deps, accountId: string, role: RoleColumn): Promise<void> {
  return changeAccount(deps, accountId, { role }, true);
}

/**
 * Seats a member of staff on the standards board, or unseats them (an editor who also
 * moderates); sessions end as with a role change.
 */
export function setOnBoard(deps: Deps, accountId: string, onBoard: boolean): Promise<void> {
  return changeAccount(deps, accountId, { on_board: onBoard }, true);
}

export type AccountListItem = {
  id: string;
  displayName: string | null;
  staffEmail: string | null;
  role: RoleColumn;
  onBoard: boolean;
  status: 'active' | 'suspended' | 'deleted';
  createdAt: Date;
};

/** Accounts for the admin page, newest first, a page at a time. */
export async function listAccounts(deps: Deps, limit = 200): Promise<AccountListItem[]> {
  const rows = await listAccountsNewestFirst(deps.db, limit);
  return rows.map((r) => ({
    id: r.id,
    displayName: r.display_name,
    staffEmail: r.staff_email,
    role: r.role,
    onBoard: r.on_board,
    status: r.status,
    createdAt: r.created_at,
  }));
}
