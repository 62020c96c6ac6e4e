import { editionPrefix } from '../lib/language.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import { CsrfField, FieldError, privatePageMeta } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import type { AccountProfile } from './accounts.service.js';
import type { SessionSummary } from './sessions.js';
import { userAgentLabel } from './user-agent.js';

/** The reader's side of accounts: logging in, the first name, the account page. */

export type LoginOption = { id: string; label: string };

export function LoginPage({
  ctx,
  csrfToken,
  returnTo,
  providers,
  emailEnabled,
  reauth,
  emailError,
  email,
}: {
  ctx: ViewContext;
  csrfToken: string;
  returnTo: string;
  providers: readonly LoginOption[];
  emailEnabled: boolean;
  reauth: boolean;
  emailError?: string;
  email?: string;
}) {
  const { t, language } = ctx;
  const prefix = editionPrefix(language);
  const nothing = providers.length === 0 && !emailEnabled;
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, t.loginTitle, '/login')}>
      <h1>{t.loginTitle}</h1>
      {reauth ? <p class="notice">{t.loginReauth}</p> : null}
      {nothing ? <p class="login-not-configured">{t.loginNotConfigured}</p> : <p>{t.loginIntro}</p>}
      {providers.length > 0 ? (
        <ul class="login-providers">
          {providers.map((p) => (
            <li key={p.id}>
              <form method="post" action={`/auth/${p.id}/start`}>
                <CsrfField token={csrfToken} />
                <input type="hidden" name="returnTo" value={returnTo} />
                <button type="submit" class={`login-provider login-${p.id}`}>
                  {t.loginWith(p.label)}
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : null}
      {emailEnabled ? (
        <form method="post" action={`${prefix}/login/email`} class="login-email" novalidate>
          <h2>{t.loginEmailHeading}</h2>
          <p>{t.loginEmailHelp}</p>
          <CsrfField token={csrfToken} />
          <input type="hidden" name="returnTo" value={returnTo} />
          <label for="login-email">{t.loginEmailLabel}</label>
          <input
            id="login-email"
            type="email"
            name="email"
            autocomplete="email"
            required
            maxLength={254}
            value={email ?? ''}
            {...(emailError
              ? { 'aria-invalid': 'true', 'aria-describedby': 'login-email-error' }
              : {})}
          />
          <FieldError id="login-email-error" text={emailError} />
          <button type="submit">{t.loginEmailSend}</button>
        </form>
      ) : null}
      <p>
        <a href={returnTo}>{t.loginBack}</a>
      </p>
      <p class="staff-link">
        <a href="/staff/login">{t.loginStaff}</a>
      </p>
    </Layout>
  );
}

export function EmailCodePage({
  ctx,
  csrfToken,
  email,
  error,
}: {
  ctx: ViewContext;
  csrfToken: string;
  email: string | null;
  error?: string;
}) {
  const { t, language } = ctx;
  const prefix = editionPrefix(language);
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, t.emailCodeTitle, '/login/email/code')}>
      <h1>{t.emailCodeTitle}</h1>
      {email ? (
        <>
          <p>{t.emailCodeSent(email)}</p>
          <form method="post" action={`${prefix}/login/email/code`} class="login-code" novalidate>
            <CsrfField token={csrfToken} />
            <label for="login-code">{t.emailCodeLabel}</label>
            <input
              id="login-code"
              name="code"
              inputMode="numeric"
              autocomplete="one-time-code"
              required
              maxLength={12}
              {...(error ? { 'aria-invalid': 'true', 'aria-describedby': 'login-code-error' } : {})}
            />
            <FieldError id="login-code-error" text={error} />
            <button type="submit">{t.emailCodeSubmit}</button>
          </form>
        </>
      ) : (
        <p class="field-error" role="alert">
          {error ?? t.emailCodeExpired}
        </p>
      )}
      <p>
        <a href={`${prefix}/login`}>{t.emailCodeRestart}</a>
      </p>
    </Layout>
  );
}

export function NamePage({
  ctx,
  csrfToken,
  name,
  returnTo,
  welcome,
  error,
}: {
  ctx: ViewContext;
  csrfToken: string;
  name: string;
  returnTo: string;
  welcome: boolean;
  error?: string;
}) {
  const { t, language } = ctx;
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, t.nameTitle, '/account/name')}>
      <h1>{welcome ? t.nameWelcome : t.nameTitle}</h1>
      <p>{t.nameHelp}</p>
      <form method="post" action={`${editionPrefix(language)}/account/name`} novalidate>
        <CsrfField token={csrfToken} />
        <input type="hidden" name="returnTo" value={returnTo} />
        <label for="display-name">{t.nameLabel}</label>
        <input
          id="display-name"
          name="displayName"
          autocomplete="nickname"
          required
          value={name}
          {...(error ? { 'aria-invalid': 'true', 'aria-describedby': 'display-name-error' } : {})}
        />
        <FieldError id="display-name-error" text={error} />
        <button type="submit">{t.nameSave}</button>
      </form>
    </Layout>
  );
}

export function AccountPage({
  ctx,
  csrfToken,
  profile,
  sessions,
  currentSessionId,
  linkable,
  providerLabel,
  deleteError,
}: {
  ctx: ViewContext;
  csrfToken: string;
  profile: AccountProfile;
  sessions: readonly SessionSummary[];
  currentSessionId: string;
  linkable: readonly LoginOption[];
  providerLabel: (id: string) => string;
  /** Why a delete was refused (the box left unticked), shown beside the box. */
  deleteError?: string | undefined;
}) {
  const { t, language, site } = ctx;
  const prefix = editionPrefix(language);
  const when = (date: Date) => formatNewsroomDateTime(date, site.timeZone, language);
  return (
    <Layout ctx={ctx} meta={privatePageMeta(ctx, t.accountTitle, '/account')}>
      <h1>{t.accountTitle}</h1>
      <p class="account-comments-link">
        <a href={`${prefix}/account/comments`}>{t.accountMyComments}</a>
      </p>
      <section aria-labelledby="account-name">
        <h2 id="account-name">{t.nameLabel}</h2>
        {profile.avatarUrl ? (
          <img class="avatar" src={profile.avatarUrl} alt="" width={48} height={48} />
        ) : null}
        <p>
          {profile.displayName ?? t.accountNoName}{' '}
          <a href={`${prefix}/account/name`}>{t.accountChangeName}</a>
        </p>
      </section>
      <section aria-labelledby="account-identities">
        <h2 id="account-identities">{t.accountIdentities}</h2>
        <ul class="identities">
          {profile.identities.map((identity) => (
            <li key={`${identity.provider}:${identity.subject}`}>
              {providerLabel(identity.provider)}
              {identity.email ? ` (${identity.email})` : null}
              {profile.identities.length > 1 ? (
                <form method="post" action="/account/unlink" class="inline-form">
                  <CsrfField token={csrfToken} />
                  <input type="hidden" name="provider" value={identity.provider} />
                  <input type="hidden" name="subject" value={identity.subject} />
                  <button type="submit">{t.accountUnlink}</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
        {linkable.length > 0 ? (
          <>
            <h3>{t.accountLinkHeading}</h3>
            <p>{t.accountLinkHelp}</p>
            <ul class="login-providers">
              {linkable.map((p) => (
                <li key={p.id}>
                  <form method="post" action={`/auth/${p.id}/start`}>
                    <CsrfField token={csrfToken} />
                    <input type="hidden" name="returnTo" value={`${prefix}/account`} />
                    <input type="hidden" name="link" value="1" />
                    <button type="submit">{t.accountLinkWith(p.label)}</button>
                  </form>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <section aria-labelledby="account-sessions">
        <h2 id="account-sessions">{t.accountSessions}</h2>
        {/* A list of cards, not a table: four columns cannot fit a phone, and squeezed Korean
            columns broke one syllable per line. */}
        <ul class="session-list">
          {sessions.map((s) => (
            <li key={s.id} class="session-card">
              <p class="session-device">
                <strong>{userAgentLabel(t, s.userAgent)}</strong>
                {s.id === currentSessionId ? ` (${t.accountSessionThis})` : null}
              </p>
              <dl class="session-times">
                <dt>{t.accountSessionStarted}</dt>
                <dd>{when(s.createdAt)}</dd>
                <dt>{t.accountSessionLastSeen}</dt>
                <dd>{when(s.lastSeenAt)}</dd>
              </dl>
              <form method="post" action="/account/sessions/end" class="inline-form">
                <CsrfField token={csrfToken} />
                <input type="hidden" name="session" value={s.id} />
                <button type="submit">{t.accountSessionEnd}</button>
              </form>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="account-data">
        <h2 id="account-data">{t.accountData}</h2>
        <p>
          <a href="/account/data" download="byline-account.json">
            {t.accountDownload}
          </a>
        </p>
        <form method="post" action={`${prefix}/account/delete`} class="account-delete">
          <CsrfField token={csrfToken} />
          <p>{t.accountDeleteHelp}</p>
          <FieldError id="delete-confirm-error" text={deleteError} />
          <input
            id="delete-confirm"
            type="checkbox"
            name="confirm"
            value="yes"
            required
            {...(deleteError
              ? { 'aria-invalid': 'true', 'aria-describedby': 'delete-confirm-error' }
              : {})}
          />
          <label for="delete-confirm">{t.accountDeleteConfirm}</label>
          <button type="submit">{t.accountDelete}</button>
        </form>
      </section>
    </Layout>
  );
}
