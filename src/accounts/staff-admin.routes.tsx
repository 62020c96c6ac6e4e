import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import type { Pages } from '../http/pages.js';
import { sendRefusedForm, type FormContext } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { route } from '../http/route.js';
import { formText, nothing, rowId } from '../http/schemas.js';
import { LANGUAGES, editionPrefix, type Language } from '../lib/language.js';
import type { Mailer } from './mail.js';
import { StaffAdminPage, type InviteValues, type StaffAdminProps } from './staff-admin-pages.js';
import {
  changeStaffRole,
  inviteStaff,
  listStaff,
  resendSetupLink,
  type MailDeps,
  type SentLink,
} from './staff-admin.service.js';
import { STAFF_ROLE_NAMES } from './staff-commands.js';

/**
 * The admin's staff page in the newsroom (`[/ko]/newsroom/staff`): the staff list, inviting a
 * colleague by e-mail, a new set-up link for someone not set up yet, and role changes. Admins
 * only (src/http/access.ts); every POST carries the CSRF token, and a change that succeeds comes
 * back to the list (303) with a notice saying what was done. Each change is logged at info with
 * the admin who made it (`actor`): accounts keep no audit table, the log is their trail.
 */

const tags = ['accounts'];
const ADMIN = ['admin'] as const;

const listQuery = z.object({
  done: z.enum(['invited', 'resent', 'role']).optional().catch(undefined),
});
/** The e-mail and name are what a person typed, judged by the use case; the role is a choice. */
const inviteForm = z.object({ email: formText, name: formText, role: z.enum(STAFF_ROLE_NAMES) });
const roleForm = z.object({ role: z.enum(STAFF_ROLE_NAMES) }).transform((form) => form.role);
/** The person changed: an id that is not a row id is no one, answered 404. */
const memberParams = z.object({ id: rowId });

export type StaffAdminServices = Readonly<{ mailer: Mailer | null }>;

export function registerStaffAdminRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
  services: StaffAdminServices,
): void {
  const mail: MailDeps = {
    db: deps.db,
    clock: deps.clock,
    log: deps.log,
    mailer: services.mailer,
    publicUrl: deps.config.publicUrl,
    siteName: deps.config.siteName,
  };
  for (const language of LANGUAGES) {
    const list = `${editionPrefix(language)}/newsroom/staff`;
    route(
      app,
      {
        method: 'GET',
        url: list,
        access: ADMIN,
        schema: { querystring: listQuery, summary: 'The staff, with the admin’s forms', tags },
      },
      (request, reply) =>
        sendStaffPage(deps, pages, { request, reply, language }, { notice: request.query.done }),
    );

    route(
      app,
      {
        method: 'POST',
        url: `${list}/invite`,
        access: ADMIN,
        schema: { body: inviteForm, summary: 'Invites a colleague to the staff by e-mail', tags },
      },
      async (request, reply) => {
        const invite: InviteValues = request.body;
        const target = { request, reply, language };
        try {
          const sent = await inviteStaff(mail, {
            ...request.body,
            language,
            invitedBy: request.viewer.displayName,
          });
          logSent(request, 'staff invited', sent, { role: request.body.role });
          return await afterSending(deps, pages, target, sent, 'invited');
        } catch (error) {
          if (!isInviteRefusal(error)) throw error;
          return sendStaffPage(deps, pages, target, { invite, error });
        }
      },
    );

    route(
      app,
      {
        method: 'POST',
        url: `${list}/:id/setup-link`,
        access: ADMIN,
        schema: {
          params: memberParams,
          body: nothing,
          summary: 'Sends a new set-up link to a colleague not set up yet',
          tags,
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const target = { request, reply, language };
        try {
          const sent = await resendSetupLink(mail, {
            accountId: id,
            language,
            invitedBy: request.viewer.displayName,
          });
          logSent(request, 'staff set-up link sent', sent);
          return await afterSending(deps, pages, target, sent, 'resent');
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'STAFF_ALREADY_SET_UP')) throw error;
          return sendStaffPage(deps, pages, target, { refused: { accountId: id, error } });
        }
      },
    );

    route(
      app,
      {
        method: 'POST',
        url: `${list}/:id/role`,
        access: ADMIN,
        schema: {
          params: memberParams,
          body: roleForm,
          summary: 'Changes a colleague’s role',
          tags,
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const role = request.body;
        try {
          await changeStaffRole(deps, { actorId: request.viewer.accountId, accountId: id, role });
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'ACCOUNT_OWN_CHANGE')) throw error;
          return sendStaffPage(
            deps,
            pages,
            { request, reply, language },
            { refused: { accountId: id, error } },
          );
        }
        request.log.info(
          { ...requestLog(request), actor: request.viewer.accountId, target: id, role },
          'staff role changed',
        );
        return reply.redirect(`${list}?done=role`, 303);
      },
    );
  }
}

/** The refusals the invitation form shows beside its fields; anything else is the error page. */
function isInviteRefusal(error: unknown): error is AppError {
  return (
    error instanceof AppError &&
    (error.code === 'STAFF_EMAIL_INVALID' ||
      error.code === 'STAFF_EMAIL_TAKEN' ||
      error.code === 'DISPLAY_NAME_INVALID')
  );
}

/**
 * Logs who sent a set-up link to whom, and how it went; never the link, which is as good as a
 * password until used.
 */
function logSent(
  request: FastifyRequest,
  message: string,
  sent: SentLink,
  extra: Record<string, string> = {},
): void {
  request.log.info(
    {
      ...requestLog(request),
      actor: request.viewer?.accountId,
      target: sent.accountId,
      delivery: sent.delivery,
      ...extra,
    },
    message,
  );
}

type Target = Readonly<{ request: FastifyRequest; reply: FastifyReply; language: Language }>;

/**
 * A mailed link: back to the list with a notice. A link not mailed is shown to the admin in the
 * answer to their POST, once: it is in no address, so no history, log or reload repeats it.
 */
async function afterSending(
  deps: AppDeps,
  pages: Pages,
  target: Target,
  sent: SentLink,
  notice: 'invited' | 'resent',
): Promise<FastifyReply> {
  const { language, reply } = target;
  if (sent.delivery === 'mailed')
    return reply.redirect(`${editionPrefix(language)}/newsroom/staff?done=${notice}`, 303);
  return sendStaffPage(deps, pages, target, {
    handOver: { email: sent.email, link: sent.link, delivery: sent.delivery },
  });
}

type PageState = Readonly<{
  notice?: StaffAdminProps['notice'];
  handOver?: StaffAdminProps['handOver'];
  invite?: InviteValues;
  /** The invitation refused: the form comes back with what was typed. */
  error?: AppError;
  /** A change refused for one person, shown in their row. */
  refused?: { accountId: string; error: AppError };
}>;

/** The staff page; a refused form or change answers with its error's status (sendRefusedForm). */
async function sendStaffPage(
  deps: AppDeps,
  pages: Pages,
  target: Target,
  state: PageState,
): Promise<FastifyReply> {
  const { request, reply, language } = target;
  const staff = await listStaff(deps);
  const selfId = request.viewer?.accountId ?? '';
  const page = (ctx: FormContext, extra: Partial<StaffAdminProps> = {}) => (
    <StaffAdminPage
      ctx={ctx}
      csrfToken={ctx.csrfToken}
      staff={staff}
      selfId={selfId}
      notice={state.notice}
      handOver={state.handOver}
      invite={state.invite}
      {...extra}
    />
  );
  const error = state.error ?? state.refused?.error;
  if (error === undefined) return pages.sendForm(request, reply, language, (ctx) => page(ctx));
  const accountId = state.refused?.accountId;
  return sendRefusedForm({ pages, request, reply, language, error }, (ctx, refusal) =>
    page(
      ctx,
      accountId === undefined
        ? { inviteError: refusal.message }
        : { refused: { accountId, message: refusal.message } },
    ),
  );
}
