import type { AccountListItem } from './accounts.service.js';
import type { RoleColumn } from '../db/db-schema.js';
import { editionPrefix } from '../lib/language.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import { CsrfField, FieldError, privatePageMeta } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import { QrCode } from './staff-qr.js';
import type { ViewContext } from '../views/site.js';

/** Staff sign-in, the one-time set-up page, the staff home and the admin's account list. */

const ROLES: readonly RoleColumn[] = ['reader', 'moderator', 'reporter', 'editor', 'admin'];

/** The six digits from an authenticator app; phones offer them from the clipboard or SMS. */
function TotpCodeInput({ id, label }: { id: string; label: string }) {
  return (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        name="code"
        inputMode="numeric"
        autocomplete="one-time-code"
        required
        maxLength={12}
      />
    </>
  );
}

export function StaffLoginPage({
  ctx,
  csrfToken,
  returnTo,
  email,
  error,
  setupDone = false,
}: {
  ctx: ViewContext;
  csrfToken: string;
  returnTo: string;
  email: string;
  error?: string;
  /** Arriving from a completed set-up: say so, and that its code will not work again. */
  setupDone?: boolean;
}) {
  const { t, language } = ctx;
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, t.staffLoginTitle, '/staff/login')}>
      <h1>{t.staffLoginTitle}</h1>
      {setupDone ? (
        <p class="notice" role="status">
          {t.staffSetupDone}
        </p>
      ) : null}
      <p>{t.staffLoginHelp}</p>
      <form
        method="post"
        action={`${editionPrefix(language)}/staff/login`}
        class="staff-login"
        novalidate
      >
        <CsrfField token={csrfToken} />
        <input type="hidden" name="returnTo" value={returnTo} />
        <FieldError id="staff-login-error" text={error} />
        <label for="staff-email">{t.staffEmail}</label>
        <input
          id="staff-email"
          type="email"
          name="email"
          autocomplete="username"
          required
          value={email}
        />
        <label for="staff-password">{t.staffPassword}</label>
        <input
          id="staff-password"
          type="password"
          name="password"
          autocomplete="current-password"
          required
        />
        <TotpCodeInput id="staff-code" label={t.staffCode} />
        <button type="submit">{t.staffSignIn}</button>
      </form>
    </Layout>
  );
}

export function SetupPage({
  ctx,
  csrfToken,
  token,
  setup,
  error,
}: {
  ctx: ViewContext;
  csrfToken: string;
  token: string;
  setup: { email: string; secretText: string; keyUri: string } | null;
  error?: string;
}) {
  const { t, language } = ctx;
  const prefix = editionPrefix(language);
  if (!setup) {
    return (
      <Layout ctx={ctx} meta={privatePageMeta(ctx, t.setupTitle, '/staff/setup')}>
        <h1>{t.setupTitle}</h1>
        <p class="field-error" role="alert">
          {t.setupExpired}
        </p>
      </Layout>
    );
  }
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, t.setupTitle, '/staff/setup')}>
      <h1>{t.setupTitle}</h1>
      <p>{t.setupIntro(setup.email)}</p>
      <form method="post" action={`${prefix}/staff/setup/${token}`} class="staff-setup" novalidate>
        <CsrfField token={csrfToken} />
        <FieldError id="setup-error" text={error} />
        <input type="hidden" name="email" autocomplete="username" value={setup.email} />
        <label for="setup-password">{t.setupPassword}</label>
        <input
          id="setup-password"
          type="password"
          name="password"
          autocomplete="new-password"
          required
          aria-describedby="setup-password-help"
        />
        <p id="setup-password-help" class="help">
          {t.setupPasswordHelp}
        </p>
        <label for="setup-password-again">{t.setupPasswordAgain}</label>
        <input
          id="setup-password-again"
          type="password"
          name="passwordAgain"
          autocomplete="new-password"
          required
        />
        <h2>{t.setupAuthenticator}</h2>
        <p>{t.setupAuthenticatorHelp}</p>
        <p>{t.setupScan}</p>
        <p class="setup-qr">
          <QrCode text={setup.keyUri} label={t.setupQrLabel} />
        </p>
        <p>
          <code class="totp-secret">{setup.secretText}</code>
        </p>
        <p>
          <a href={setup.keyUri}>{t.setupOpenApp}</a>
        </p>
        <TotpCodeInput id="setup-code" label={t.staffCode} />
        <button type="submit">{t.setupSave}</button>
      </form>
    </Layout>
  );
}

export function StaffHomePage({
  ctx,
  role,
  board,
}: {
  ctx: ViewContext;
  role: RoleColumn;
  /** Whether the person sits on the standards board (moderator, admin, or seated). */
  board: boolean;
}) {
  const { t, language } = ctx;
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, t.staffHomeTitle, '/staff')}>
      <h1>{t.staffHomeTitle}</h1>
      <p>{t.staffSignedInAs(t.roleName[role])}</p>
      <ul>
        {role === 'admin' ? (
          <li>
            <a href={`${editionPrefix(language)}/newsroom/staff`}>{t.newsroomStaffTitle}</a>
          </li>
        ) : null}
        {role === 'admin' ? (
          <li>
            <a href={`${editionPrefix(language)}/admin/accounts`}>{t.adminAccountsTitle}</a>
          </li>
        ) : null}
        {role === 'admin' ? (
          <li>
            <a href={`${editionPrefix(language)}/admin/policy`}>{t.policyTitle}</a>
          </li>
        ) : null}
        {role === 'admin' ? (
          <li>
            <a href={`${editionPrefix(language)}/admin/pages`}>{t.sitePagesTitle}</a>
          </li>
        ) : null}
        {role === 'editor' || role === 'admin' ? (
          <li>
            <a href={`${editionPrefix(language)}/staff/comments`}>{t.commentSettingsTitle}</a>
          </li>
        ) : null}
        {board ? (
          <li>
            <a href={`${editionPrefix(language)}/moderation`}>{t.desk.title}</a>
          </li>
        ) : null}
        {role === 'admin' ? (
          <li>
            <a href={`${editionPrefix(language)}/admin/moderation/words`}>{t.desk.wordLists}</a>
          </li>
        ) : null}
        <li>
          <a href={`${editionPrefix(language)}/account`}>{t.accountTitle}</a>
        </li>
      </ul>
    </Layout>
  );
}

export function AdminAccountsPage({
  ctx,
  csrfToken,
  accounts,
  selfId,
  refused,
}: {
  ctx: ViewContext;
  csrfToken: string;
  accounts: readonly AccountListItem[];
  selfId: string;
  /** A change refused for one account, its reason shown in that account's row. */
  refused?: { accountId: string; message: string } | undefined;
}) {
  const { t, language, site } = ctx;
  const prefix = editionPrefix(language);
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, t.adminAccountsTitle, '/admin/accounts')}>
      <h1>{t.adminAccountsTitle}</h1>
      <table class="admin-accounts">
        <thead>
          <tr>
            <th scope="col">{t.nameLabel}</th>
            <th scope="col">{t.staffEmail}</th>
            <th scope="col">{t.adminRole}</th>
            <th scope="col">{t.adminStatus}</th>
            <th scope="col">{t.adminCreated}</th>
            <th scope="col">{t.adminActions}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.id}>
              <td>
                {a.displayName ?? (a.status === 'deleted' ? t.deletedAccount : t.accountNoName)}
              </td>
              <td>{a.staffEmail ?? ''}</td>
              <td>
                {t.roleName[a.role]}
                {a.onBoard && a.role !== 'moderator' && a.role !== 'admin'
                  ? ` · ${t.adminOnBoard}`
                  : null}
              </td>
              <td>{t.accountStatus[a.status]}</td>
              <td>{formatNewsroomDateTime(a.createdAt, site.timeZone, language)}</td>
              <td>
                {refused?.accountId === a.id ? (
                  <FieldError id={`account-${a.id}-error`} text={refused.message} />
                ) : null}
                {a.status === 'deleted' || a.id === selfId ? null : (
                  <>
                    <form
                      method="post"
                      action={`${prefix}/admin/accounts/${a.id}/role`}
                      class="inline-form"
                    >
                      <CsrfField token={csrfToken} />
                      <label for={`role-${a.id}`} class="visually-hidden">
                        {t.adminRole}
                      </label>
                      <select id={`role-${a.id}`} name="role">
                        {ROLES.map((role) => (
                          <option key={role} value={role} selected={role === a.role}>
                            {t.roleName[role]}
                          </option>
                        ))}
                      </select>
                      <button type="submit">{t.adminSetRole}</button>
                    </form>
                    <form
                      method="post"
                      action={`${prefix}/admin/accounts/${a.id}/status`}
                      class="inline-form"
                    >
                      <CsrfField token={csrfToken} />
                      <input
                        type="hidden"
                        name="status"
                        value={a.status === 'active' ? 'suspended' : 'active'}
                      />
                      <button type="submit">
                        {a.status === 'active' ? t.adminSuspend : t.adminRestore}
                      </button>
                    </form>
                    {a.role === 'reporter' || a.role === 'editor' ? (
                      <form
                        method="post"
                        action={`${prefix}/admin/accounts/${a.id}/board`}
                        class="inline-form"
                      >
                        <CsrfField token={csrfToken} />
                        <input type="hidden" name="board" value={a.onBoard ? 'off' : 'on'} />
                        <button type="submit">
                          {a.onBoard ? t.adminBoardOff : t.adminBoardOn}
                        </button>
                      </form>
                    ) : null}
                    <form
                      method="post"
                      action={`${prefix}/admin/accounts/${a.id}/sessions/end`}
                      class="inline-form"
                    >
                      <CsrfField token={csrfToken} />
                      <button type="submit">{t.adminEndSessions}</button>
                    </form>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
