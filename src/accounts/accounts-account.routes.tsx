import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { clearCookie, type Viewer } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import { sendRefusedForm, type FormContext } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { safeReturnTo } from '../http/return-to.js';
import { route } from '../http/route.js';
import { formText, rowId } from '../http/schemas.js';
import { LANGUAGES, editionPrefix, type Language } from '../lib/language.js';
import { AccountPage, NamePage } from './account-pages.js';
import { loginOptions, reauthRedirect, type ReaderRoutes } from './accounts.http.js';
import {
  accountProfile,
  deleteAccount,
  displayNameProblem,
  exportAccountData,
  setDisplayName,
  unlinkIdentity,
} from './accounts.service.js';
import { accountDataWire } from './accounts.wire.js';
import { endOwnSession, listSessions } from './sessions.js';

/**
 * A reader's own account: the account page, their display name, their sessions, the ways in they
 * have linked, the download of their data, and deleting it all. Every route acts on the viewer's
 * own account, named by the session and never by the form (docs/SECURITY.md, item 16).
 */

const tags = ['accounts'];

const nameQuery = z.object({ returnTo: formText, welcome: formText });
const nameForm = z.object({ displayName: formText, returnTo: formText });
/** The box's value: anything but `yes` is the box left unticked, answered on the page. */
const deleteForm = z.object({ confirm: formText });
const endSessionForm = z.object({ session: rowId });
/** An identity of the viewer's, by its key; one they do not have (or '') is answered 404. */
const unlinkForm = z.object({ provider: formText, subject: formText });

export function registerOwnAccountRoutes(app: FastifyInstance, r: ReaderRoutes): void {
  for (const language of LANGUAGES) {
    registerAccountPage(app, r, language);
    registerNameRoutes(app, r, language);
  }
  registerSessionEnd(app, r);
  registerUnlink(app, r);
  registerDataDownload(app, r);
}

/** The account page; with `refused`, a delete sent back with its reason beside the box. */
async function sendAccountPage(
  r: ReaderRoutes,
  target: Readonly<{ request: FastifyRequest; reply: FastifyReply; language: Language }>,
  viewer: Viewer,
  refused?: AppError,
): Promise<FastifyReply> {
  const { request, reply, language } = target;
  const profile = await accountProfile(r.deps, viewer.accountId);
  const linked = new Set(profile.identities.map((i) => i.provider));
  const sessions = await listSessions(r.deps, viewer.accountId);
  const t = r.pages.bareContext(language).t;
  const labels = new Map<string, string>(r.providers.map((p) => [p.id, p.label[language]]));
  const page = (ctx: FormContext, deleteError?: string) => (
    <AccountPage
      ctx={ctx}
      csrfToken={ctx.csrfToken}
      profile={profile}
      sessions={sessions}
      currentSessionId={viewer.sessionId}
      linkable={loginOptions(r.providers, language).filter((p) => !linked.has(p.id))}
      providerLabel={(id) => (id === 'email' ? t.providerEmail : (labels.get(id) ?? id))}
      deleteError={deleteError}
    />
  );
  if (!refused) return r.pages.sendForm(request, reply, language, (ctx) => page(ctx));
  return sendRefusedForm(
    { pages: r.pages, request, reply, language, error: refused },
    (ctx, refusal) => page(ctx, refusal.message),
  );
}

function registerAccountPage(app: FastifyInstance, r: ReaderRoutes, language: Language): void {
  const prefix = editionPrefix(language);
  route(
    app,
    {
      method: 'GET',
      url: `${prefix}/account`,
      access: 'reader',
      schema: { summary: 'The reader’s account page', tags },
    },
    (request, reply) => sendAccountPage(r, { request, reply, language }, request.viewer),
  );

  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/account/delete`,
      access: 'reader',
      schema: { body: deleteForm, summary: 'Deletes the reader’s account', tags },
    },
    async (request, reply) => {
      const { viewer } = request;
      // The box is `required`, but a browser without that check (or a script) can send the
      // form unticked: the page comes back with the reason beside the box, nothing deleted.
      if (request.body.confirm !== 'yes')
        return sendAccountPage(
          r,
          { request, reply, language },
          viewer,
          new AppError('ACCOUNT_DELETE_UNCONFIRMED'),
        );
      if (!r.freshLogin(viewer)) return reauthRedirect(reply, language, `${prefix}/account`);
      await deleteAccount(r.deps, viewer.accountId);
      request.log.info({ ...requestLog(request), accountId: viewer.accountId }, 'account deleted');
      clearCookie(r.deps.config, reply, r.names.session);
      return reply.redirect(prefix || '/', 303);
    },
  );
}

/** The display-name form, as asked for or as sent back with `error`. */
function namePage(form: Readonly<{ name: string; returnTo: string; welcome: boolean }>) {
  return (ctx: FormContext, error?: string) => (
    <NamePage
      ctx={ctx}
      csrfToken={ctx.csrfToken}
      name={form.name}
      returnTo={form.returnTo}
      welcome={form.welcome}
      {...(error === undefined ? {} : { error })}
    />
  );
}

function registerNameRoutes(app: FastifyInstance, r: ReaderRoutes, language: Language): void {
  const prefix = editionPrefix(language);
  route(
    app,
    {
      method: 'GET',
      url: `${prefix}/account/name`,
      access: 'reader',
      schema: { querystring: nameQuery, summary: 'The form for the reader’s display name', tags },
    },
    (request, reply) => {
      const form = {
        name: request.viewer.displayName ?? '',
        returnTo: safeReturnTo(request.query.returnTo, `${prefix}/account`),
        welcome: request.query.welcome === '1',
      };
      return r.pages.sendForm(request, reply, language, namePage(form));
    },
  );

  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/account/name`,
      access: 'reader',
      schema: { body: nameForm, summary: 'Sets the reader’s display name', tags },
    },
    async (request, reply) => {
      const name = request.body.displayName;
      const returnTo = safeReturnTo(request.body.returnTo, `${prefix}/account`);
      const problem = displayNameProblem(name);
      if (problem) {
        const form = { name, returnTo, welcome: false };
        return sendRefusedForm(
          {
            pages: r.pages,
            request,
            reply,
            language,
            error: new AppError('DISPLAY_NAME_INVALID', problem),
            message: r.pages.bareContext(language).t.nameProblem[problem],
          },
          (ctx, refusal) => namePage(form)(ctx, refusal.message),
        );
      }
      await setDisplayName(r.deps, request.viewer.accountId, name);
      return reply.redirect(returnTo, 303);
    },
  );
}

function registerSessionEnd(app: FastifyInstance, r: ReaderRoutes): void {
  route(
    app,
    {
      method: 'POST',
      url: '/account/sessions/end',
      access: 'reader',
      schema: { body: endSessionForm, summary: 'Ends one of the reader’s own sessions', tags },
    },
    async (request, reply) => {
      const { viewer } = request;
      const id = request.body.session;
      // Another account's session id ends nothing, and is answered as one already ended.
      await endOwnSession(r.deps, viewer.accountId, id);
      if (id === viewer.sessionId) {
        clearCookie(r.deps.config, reply, r.names.session);
        return reply.redirect('/', 303);
      }
      return reply.redirect('/account', 303);
    },
  );
}

function registerUnlink(app: FastifyInstance, r: ReaderRoutes): void {
  route(
    app,
    {
      method: 'POST',
      url: '/account/unlink',
      access: 'reader',
      schema: { body: unlinkForm, summary: 'Removes one way in from the reader’s account', tags },
    },
    async (request, reply) => {
      const { viewer } = request;
      if (!r.freshLogin(viewer)) return reauthRedirect(reply, 'en', '/account');
      await unlinkIdentity(r.deps, viewer.accountId, request.body.provider, request.body.subject);
      return reply.redirect('/account', 303);
    },
  );
}

function registerDataDownload(app: FastifyInstance, r: ReaderRoutes): void {
  route(
    app,
    {
      method: 'GET',
      url: '/account/data',
      access: 'reader',
      schema: { summary: 'Everything the site keeps about the reader, as a JSON file', tags },
    },
    async (request, reply) => {
      const data = await exportAccountData(r.deps, request.viewer.accountId);
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="byline-account.json"')
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(accountDataWire(data), null, 2));
    },
  );
}
