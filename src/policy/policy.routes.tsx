import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import type { Pages } from '../http/pages.js';
import { requestLog } from '../http/request-log.js';
import { safeReturnTo } from '../http/return-to.js';
import { route } from '../http/route.js';
import { LANGUAGES, type Language } from '../lib/language.js';
import type { PolicyVersion } from './policy.js';
import { registerPolicyEditorRoutes } from './policy-editor.routes.js';
import { PolicyPage, policyPath, type PolicyAcceptance } from './policy-page.js';
import { acceptBody, policyQuery, versionParams } from './policy.schemas.js';
import {
  acceptPolicy,
  findPolicyVersion,
  getCurrentPolicy,
  hasAcceptedCurrentPolicy,
  listPolicyVersions,
} from './policy.service.js';

/**
 * The policy's pages: the version in force and every earlier one (public, kept by the page
 * cache for anonymous readers) and a reader's acceptance, here; the admin's editor in
 * policy-editor.routes.tsx.
 */

const tags = ['policy'];

export function registerPolicyRoutes(app: FastifyInstance, deps: AppDeps, pages: Pages): void {
  for (const language of LANGUAGES) {
    registerPolicyPages(app, deps, pages, language);
    registerAcceptance(app, deps, language);
    registerPolicyEditorRoutes(app, deps, pages, language);
  }
}

function registerPolicyPages(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
  language: Language,
): void {
  const path = policyPath(language);
  const show = showPolicy(deps, pages, language);
  route(
    app,
    {
      method: 'GET',
      url: path,
      access: 'public',
      schema: { querystring: policyQuery, summary: 'The policy in force', tags },
    },
    (request, reply) =>
      show(request, reply, {
        find: () => getCurrentPolicy(deps),
        atVersionPath: false,
        returnTo: request.query.returnTo,
      }),
  );
  route(
    app,
    {
      method: 'GET',
      url: `${path}/versions/:version`,
      access: 'public',
      schema: {
        params: versionParams,
        querystring: policyQuery,
        summary: 'One version of the policy, in force or earlier',
        tags,
      },
    },
    (request, reply) =>
      show(request, reply, {
        find: () => findPolicyVersion(deps, request.params.version),
        atVersionPath: true,
        returnTo: request.query.returnTo,
      }),
  );
}

type ShownPolicy = Readonly<{
  find: () => Promise<PolicyVersion | undefined>;
  /** At /policy/versions/<n> (true) or at /policy (false). */
  atVersionPath: boolean;
  /** Where the acceptance form sends the reader back, as the query asked. */
  returnTo: string;
}>;

function showPolicy(deps: AppDeps, pages: Pages, language: Language) {
  /** A logged-in reader's acceptance of the version in force; nothing for anyone else. */
  async function acceptanceFor(
    request: FastifyRequest,
    returnTo: string,
  ): Promise<PolicyAcceptance | null> {
    const viewer = request.viewer;
    if (!viewer) return null;
    const { accepted } = await hasAcceptedCurrentPolicy(deps, viewer.accountId);
    // A page rendered for one logged-in person alone, so it may follow their query.
    return { accepted, returnTo: safeReturnTo(returnTo, policyPath(language)) };
  }

  return (request: FastifyRequest, reply: FastifyReply, shown: ShownPolicy) =>
    pages.respond(request, reply, language, async (ctx) => {
      const policy = await shown.find();
      if (!policy) throw new AppError('NOT_FOUND', 'no such policy version');
      const current = shown.atVersionPath ? (await getCurrentPolicy(deps)).version : policy.version;
      const history = await listPolicyVersions(deps);
      const acceptance =
        policy.version === current ? await acceptanceFor(request, shown.returnTo) : null;
      return (
        <PolicyPage
          ctx={ctx}
          policy={policy}
          currentVersion={current}
          history={history}
          atVersionPath={shown.atVersionPath}
          acceptance={acceptance}
        />
      );
    });
}

function registerAcceptance(app: FastifyInstance, deps: AppDeps, language: Language): void {
  const path = policyPath(language);
  route(
    app,
    {
      method: 'POST',
      url: `${path}/accept`,
      access: 'reader',
      schema: { body: acceptBody, summary: 'A reader accepts the version in force', tags },
    },
    async (request, reply) => {
      const { accountId } = request.viewer;
      const { version, returnTo } = request.body;
      await acceptPolicy(deps, accountId, version);
      request.log.info({ ...requestLog(request), accountId, version }, 'policy accepted');
      return reply.redirect(safeReturnTo(returnTo, path), 303);
    },
  );
}
