import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database, RoleColumn } from '../db/db-schema.js';
import { AppError } from '../http/app-error.js';
import type { Language } from '../lib/language.js';
import {
  deleteAccountSessions,
  findStaffById,
  listStaffAccounts,
  lockAccounts,
  updateLiveAccount,
} from './accounts.queries.js';
import { accountsStrings } from './accounts.strings.js';
import { displayNameProblem, normaliseDisplayName } from './accounts.service.js';
import type { Mailer } from './mail.js';
import {
  SETUP_LINK_TTL_SECONDS,
  addStaffAccount,
  issueSetupLink,
  type StaffRoleName,
} from './staff.service.js';

/**
 * The admin's staff page in the browser: the list of staff, inviting a colleague by e-mail (the
 * account and its one-time set-up link, as `byline user add` makes them), sending a new link to
 * someone who has not set up yet, and changing a role. Nobody needs a shell to add a colleague.
 */

type Deps = { db: Kysely<Database>; clock: () => Date };

/** What sending a set-up link needs besides the database: the outside world, and where it lives. */
export type MailDeps = Deps & {
  /** Null when this site sends no mail (production without SMTP). */
  mailer: Mailer | null;
  log: Logger;
  publicUrl: string;
  siteName: Readonly<Record<Language, string>>;
};

export type StaffMember = Readonly<{
  id: string;
  displayName: string | null;
  email: string;
  role: RoleColumn;
  onBoard: boolean;
  status: 'active' | 'suspended';
  /** Password and authenticator both chosen through a set-up link. */
  setUp: boolean;
  /** When the newest set-up link ends; null when none is live. */
  setupLinkEndsAt: Date | null;
}>;

export async function listStaff(deps: Deps): Promise<StaffMember[]> {
  const rows = await listStaffAccounts(deps.db);
  const now = deps.clock().getTime();
  return rows.flatMap((r) => {
    if (r.staff_email === null || r.status === 'deleted') return [];
    // A max() over timestamptz comes back as a Date from PostgreSQL, and as text from drivers
    // that do not know the aggregate's type: both are read the same way.
    const ends = r.setup_expires_at === null ? null : new Date(r.setup_expires_at);
    return [
      {
        id: r.id,
        displayName: r.display_name,
        email: r.staff_email,
        role: r.role,
        onBoard: r.on_board,
        status: r.status,
        setUp: Boolean(r.set_up),
        setupLinkEndsAt: ends !== null && ends.getTime() > now ? ends : null,
      },
    ];
  });
}

/**
 * How a set-up link reached its person: `mailed` by SMTP; `outbox`, written to the development
 * outbox (nobody receives it); `none`, this site sends no mail; `failed`, the SMTP server refused
 * it. In all but `mailed` the admin is shown the link, once, to pass on themselves.
 */
export type Delivery = 'mailed' | 'outbox' | 'none' | 'failed';

export type SentLink = Readonly<{
  accountId: string;
  email: string;
  link: string;
  delivery: Delivery;
}>;

export type Invitation = Readonly<{
  email: string;
  name: string;
  role: StaffRoleName;
  /** The edition the admin used: the mail and the link are in its language. */
  language: Language;
  /** The admin's display name, said in the mail; null when they have none. */
  invitedBy: string | null;
}>;

/**
 * Creates a staff account and mails it a set-up link (24 hours). The address must be new among
 * staff (STAFF_EMAIL_TAKEN), the name one that could be shown (DISPLAY_NAME_INVALID).
 */
export async function inviteStaff(deps: MailDeps, input: Invitation): Promise<SentLink> {
  if (displayNameProblem(input.name) !== null)
    throw new AppError('DISPLAY_NAME_INVALID', 'invited colleague’s name');
  const { accountId, email } = await addStaffAccount(deps, {
    email: input.email,
    role: input.role,
    displayName: normaliseDisplayName(input.name),
  });
  return sendSetupLink(deps, { ...input, accountId, email, kind: 'invite' });
}

/**
 * A new set-up link for a member of staff who has not finished set-up; the earlier link stops
 * working. Someone already set up is refused (STAFF_ALREADY_SET_UP): resetting a working sign-in
 * stays a deliberate act at the command line (`byline user setup-link`).
 */
export async function resendSetupLink(
  deps: MailDeps,
  input: { accountId: string; language: Language; invitedBy: string | null },
): Promise<SentLink> {
  const row = await findStaffById(deps.db, input.accountId);
  if (!row?.staff_email) throw new AppError('NOT_FOUND', 'no such member of staff');
  if (row.password_hash !== null && row.totp_secret !== null)
    throw new AppError('STAFF_ALREADY_SET_UP', 'set up already');
  return sendSetupLink(deps, {
    accountId: row.id,
    email: row.staff_email,
    kind: 'resend',
    role: row.role,
    language: input.language,
    invitedBy: input.invitedBy,
  });
}

/** Issues the link and mails it; a mail that fails is logged, and the link goes to the admin. */
async function sendSetupLink(
  deps: MailDeps,
  input: {
    accountId: string;
    email: string;
    kind: 'invite' | 'resend';
    role: RoleColumn;
    language: Language;
    invitedBy: string | null;
  },
): Promise<SentLink> {
  const { accountId, email, language } = input;
  const link = await issueSetupLink(deps, accountId, deps.publicUrl, language);
  const sent = { accountId, email, link };
  if (deps.mailer === null) return { ...sent, delivery: 'none' };
  const t = accountsStrings[language];
  const site = deps.siteName[language];
  const hours = SETUP_LINK_TTL_SECONDS / 3_600;
  try {
    await deps.mailer.send({
      to: email,
      subject: t.staffInviteSubject(site),
      text: t.staffInviteText({
        site,
        link,
        hours,
        role: t.roleName[input.role],
        invitedBy: input.invitedBy,
        again: input.kind === 'resend',
      }),
    });
  } catch (error) {
    // The account and its link exist; only the mail is missing, and the admin can hand the link
    // over instead. Logged, as every caught error, without the link (it is a password).
    deps.log.error({ err: error, accountId }, 'set-up link mail failed');
    return { ...sent, delivery: 'failed' };
  }
  return { ...sent, delivery: deps.mailer.kind === 'smtp' ? 'mailed' : 'outbox' };
}

/**
 * An admin changes another member of staff's role. Nobody changes their own
 * (ACCOUNT_OWN_CHANGE), so the last admin cannot demote themselves away. Two admins demoting each
 * other at once could still leave none: both rows are locked, and the actor must still be an
 * active admin when the change is made, so the second of the two is refused (FORBIDDEN). The
 * account's sessions end with the change, as with setRole.
 */
export async function changeStaffRole(
  deps: Deps,
  input: { actorId: string; accountId: string; role: StaffRoleName },
): Promise<void> {
  if (input.actorId === input.accountId) throw new AppError('ACCOUNT_OWN_CHANGE', 'own role');
  await deps.db.transaction().execute(async (trx) => {
    const rows = await lockAccounts(trx, [input.actorId, input.accountId]);
    const actor = rows.find((r) => r.id === input.actorId);
    const target = rows.find((r) => r.id === input.accountId);
    if (actor?.role !== 'admin' || actor.status !== 'active')
      throw new AppError('FORBIDDEN', 'no longer an active admin');
    if (!target?.staff_email || target.status === 'deleted')
      throw new AppError('NOT_FOUND', 'no such member of staff');
    await updateLiveAccount(trx, input.accountId, { role: input.role });
    // No session keeps powers its account no longer has.
    await deleteAccountSessions(trx, input.accountId);
  });
}
