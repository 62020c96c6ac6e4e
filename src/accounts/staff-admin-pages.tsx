import type { RoleColumn } from '../db/db-schema.js';
import { editionPrefix } from '../lib/language.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import { CsrfField, FieldError, privatePageMeta } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import type { Delivery, StaffMember } from './staff-admin.service.js';
import { STAFF_ROLE_NAMES } from './staff-commands.js';
import { SETUP_LINK_TTL_SECONDS, type StaffRoleName } from './staff.service.js';

/** The admin's staff page: who is on the staff, the invitation form, and a link not mailed. */

export type StaffNotice = 'invited' | 'resent' | 'role';

/** The invitation form's values, kept when it is refused. */
export type InviteValues = Readonly<{ email: string; name: string; role: string }>;

function isStaffRole(role: RoleColumn): role is StaffRoleName {
  return (STAFF_ROLE_NAMES as readonly string[]).includes(role);
}

export const EMPTY_INVITE: InviteValues = { email: '', name: '', role: 'reporter' };

export type StaffAdminProps = Readonly<{
  ctx: ViewContext;
  csrfToken: string;
  staff: readonly StaffMember[];
  selfId: string;
  notice?: StaffNotice | undefined;
  /** A set-up link that was not mailed, shown to the admin this once. */
  handOver?: { email: string; link: string; delivery: Exclude<Delivery, 'mailed'> } | undefined;
  invite?: InviteValues | undefined;
  /** The invitation refused, its reason shown above the form. */
  inviteError?: string | undefined;
  /** A change refused for one person, its reason shown in their row. */
  refused?: { accountId: string; message: string } | undefined;
}>;

export function StaffAdminPage(props: StaffAdminProps) {
  const { ctx, notice, handOver } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, t.newsroomStaffTitle, '/newsroom/staff')}>
      <h1>{t.newsroomStaffTitle}</h1>
      <p>{t.newsroomStaffIntro}</p>
      {notice ? (
        <p class="notice" role="status">
          {t.staffNotice[notice]}
        </p>
      ) : null}
      {handOver ? (
        <div class="notice staff-hand-over" role="status">
          <p>{t.staffLinkNotMailed[handOver.delivery]}</p>
          <p>{t.staffLinkHandOver(handOver.email, SETUP_LINK_TTL_SECONDS / 3_600)}</p>
          <p>
            <code class="setup-link">{handOver.link}</code>
          </p>
        </div>
      ) : null}
      <StaffTable {...props} />
      <InviteForm {...props} />
    </Layout>
  );
}

function StaffTable({ ctx, csrfToken, staff, selfId, refused }: StaffAdminProps) {
  const { t, language, site } = ctx;
  const prefix = editionPrefix(language);
  return (
    <table class="staff-list">
      <thead>
        <tr>
          <th scope="col">{t.nameLabel}</th>
          <th scope="col">{t.staffEmail}</th>
          <th scope="col">{t.adminRole}</th>
          <th scope="col">{t.adminStatus}</th>
          <th scope="col">{t.staffSignInColumn}</th>
        </tr>
      </thead>
      <tbody>
        {staff.map((member) => (
          <tr key={member.id} id={`staff-${member.id}`}>
            <td>
              {member.displayName ?? t.accountNoName}
              {member.id === selfId ? ` ${t.staffYou}` : null}
            </td>
            <td>{member.email}</td>
            <td>
              {refused?.accountId === member.id ? (
                <FieldError id={`staff-${member.id}-error`} text={refused.message} />
              ) : null}
              {member.id === selfId ? (
                t.roleName[member.role]
              ) : (
                <form
                  method="post"
                  action={`${prefix}/newsroom/staff/${member.id}/role`}
                  class="inline-form"
                >
                  <CsrfField token={csrfToken} />
                  <label for={`staff-role-${member.id}`} class="visually-hidden">
                    {t.adminRole}
                  </label>
                  <select id={`staff-role-${member.id}`} name="role">
                    {isStaffRole(member.role) ? null : (
                      // Made a reader on the accounts page: shown as is, and no choice to send.
                      <option value="" selected disabled>
                        {t.roleName[member.role]}
                      </option>
                    )}
                    {STAFF_ROLE_NAMES.map((role) => (
                      <option key={role} value={role} selected={role === member.role}>
                        {t.roleName[role]}
                      </option>
                    ))}
                  </select>
                  <button type="submit">{t.adminSetRole}</button>
                </form>
              )}
              {member.onBoard && member.role !== 'moderator' && member.role !== 'admin'
                ? ` · ${t.adminOnBoard}`
                : null}
            </td>
            <td>{t.accountStatus[member.status]}</td>
            <td>
              {member.setUp ? (
                t.staffSetUp
              ) : (
                <>
                  {member.setupLinkEndsAt !== null
                    ? t.staffWaiting(
                        formatNewsroomDateTime(member.setupLinkEndsAt, site.timeZone, language),
                      )
                    : t.staffLinkExpired}
                  {/* A suspended account's link would not open (findLiveSetupToken). */}
                  {member.status === 'active' ? (
                    <form
                      method="post"
                      action={`${prefix}/newsroom/staff/${member.id}/setup-link`}
                      class="inline-form"
                    >
                      <CsrfField token={csrfToken} />
                      <button type="submit">{t.staffResend}</button>
                    </form>
                  ) : null}
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function InviteForm({ ctx, csrfToken, invite = EMPTY_INVITE, inviteError }: StaffAdminProps) {
  const { t, language } = ctx;
  return (
    <section aria-labelledby="staff-invite-heading">
      <h2 id="staff-invite-heading">{t.staffInviteHeading}</h2>
      <form
        method="post"
        action={`${editionPrefix(language)}/newsroom/staff/invite`}
        class="staff-invite"
        novalidate
      >
        <CsrfField token={csrfToken} />
        <FieldError id="staff-invite-error" text={inviteError} />
        <label for="invite-email">{t.staffEmail}</label>
        <input
          id="invite-email"
          type="email"
          name="email"
          autocomplete="off"
          required
          value={invite.email}
          {...(inviteError ? { 'aria-describedby': 'staff-invite-error' } : {})}
        />
        <label for="invite-name">{t.staffInviteName}</label>
        <input
          id="invite-name"
          name="name"
          autocomplete="off"
          required
          maxLength={200}
          value={invite.name}
        />
        <label for="invite-role">{t.staffInviteRole}</label>
        <select id="invite-role" name="role">
          {STAFF_ROLE_NAMES.map((role) => (
            <option key={role} value={role} selected={role === invite.role}>
              {t.roleName[role]}
            </option>
          ))}
        </select>
        <button type="submit">{t.staffInviteSubmit}</button>
      </form>
    </section>
  );
}
