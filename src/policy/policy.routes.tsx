import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { PUBLIC } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import { field } from '../http/form.js';
import type { Pages } from '../http/pages.js';
import { isRefusal, sendRefusedForm, type FormContext } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { safeReturnTo } from '../http/return-to.js';
import { LANGUAGES, type Language } from '../lib/language.js';
import { normalisePolicyDraft, policyDraftProblem, type PolicyVersion } from './policy.js';
import {
  PolicyEditPage,
  policyProblemMessage,
  policyProblemPlace,
  type PolicyRefusal,
} from './policy-edit-page.js';
import {
  draftOf,
  editorFormOf,
  parseEditorForm,
  type PolicyEditorForm,
} from './policy-editor-form.js';
import { PolicyPage, policyPath, type PolicyAcceptance } from './policy-page.js';
import {
  acceptPolicy,
  findPolicyVersion,
  getCurrentPolicy,
  hasAcceptedCurrentPolicy,
  listPolicyVersions,
  nextClauseNumber,
  publishPolicyVersion,
} from './policy.service.js';

/**
 * The policy's pages: the version in force and every earlier one (public, kept by the page
 * cache for anonymous readers), a reader's acceptance, and the admin's editor.
 */

/**
 * The editor's form carries every clause in both languages; in Korean, URL-encoded, each
 * character takes nine bytes, so a full policy outgrows the app's 64 KiB limit for other forms.
 */
const EDITOR_BODY_LIMIT_BYTES = 1024 * 1024;

const versionParam = /^[1-9]\d{0,8}$/;

export function registerPolicyRoutes(app: FastifyInstance, deps: AppDeps, pages: Pages): void {
  /** A logged-in reader's acceptance of the version in force; nothing for anyone else. */
  async function acceptanceFor(
    request: FastifyRequest,
    language: Language,
  ): Promise<PolicyAcceptance | null> {
    const viewer = request.viewer;
    if (!viewer) return null;
    const { accepted } = await hasAcceptedCurrentPolicy(deps, viewer.accountId);
    // A page rendered for one logged-in person alone, so it may follow their query.
    const returnTo = safeReturnTo(field(request.query, 'returnTo'), policyPath(language));
    return { accepted, returnTo };
  }

  function showPolicy(
    request: FastifyRequest,
    reply: FastifyReply,
    language: Language,
    find: () => Promise<PolicyVersion | undefined>,
    atVersionPath: boolean,
  ) {
    return pages.respond(request, reply, language, async (ctx) => {
      const policy = await find();
      if (!policy) throw new AppError('NOT_FOUND', 'no such policy version');
      const current = atVersionPath ? (await getCurrentPolicy(deps)).version : policy.version;
      const history = await listPolicyVersions(deps);
      const acceptance = policy.version === current ? await acceptanceFor(request, language) : null;
      return (
        <PolicyPage
          ctx={ctx}
          policy={policy}
          currentVersion={current}
          history={history}
          atVersionPath={atVersionPath}
          acceptance={acceptance}
        />
      );
    });
  }

  function editor(form: PolicyEditorForm, error?: PolicyRefusal) {
    return (ctx: FormContext) => (
      <PolicyEditPage ctx={ctx} csrfToken={ctx.csrfToken} form={form} error={error} />
    );
  }

  for (const language of LANGUAGES) {
    const t = pages.bareContext(language).t;
    const path = policyPath(language);
    const editorPath = `${language === 'en' ? '' : '/ko'}/admin/policy`;

    app.get(path, PUBLIC, (request, reply) =>
      showPolicy(request, reply, language, () => getCurrentPolicy(deps), false),
    );

    app.get(`${path}/versions/:version`, PUBLIC, (request, reply) => {
      const raw = (request.params as { version: string }).version;
      return showPolicy(
        request,
        reply,
        language,
        () =>
          versionParam.test(raw)
            ? findPolicyVersion(deps, Number(raw))
            : Promise.resolve(undefined),
        true,
      );
    });

    app.post(`${path}/accept`, { config: { access: 'reader' } }, async (request, reply) => {
      const viewer = request.viewer;
      if (!viewer) throw new AppError('UNAUTHENTICATED');
      const version = field(request.body, 'version');
      if (!versionParam.test(version)) throw new AppError('BAD_REQUEST', 'policy version');
      await acceptPolicy(deps, viewer.accountId, Number(version));
      request.log.info(
        { ...requestLog(request), accountId: viewer.accountId, version: Number(version) },
        'policy accepted',
      );
      return reply.redirect(safeReturnTo(field(request.body, 'returnTo'), path), 303);
    });

    app.get(editorPath, { config: { access: ['admin'] } }, async (request, reply) => {
      const current = await getCurrentPolicy(deps);
      const form = editorFormOf(current, await nextClauseNumber(deps));
      return pages.sendForm(request, reply, language, editor(form));
    });

    app.post(
      editorPath,
      { bodyLimit: EDITOR_BODY_LIMIT_BYTES, config: { access: ['admin'] } },
      async (request, reply) => {
        const viewer = request.viewer;
        if (!viewer) throw new AppError('UNAUTHENTICATED');
        const form = parseEditorForm(request.body);
        if (!form) throw new AppError('BAD_REQUEST', 'policy editor form');
        const draft = draftOf(form);
        // Checked here first so the admin reads which rule, in their language, was broken.
        const problem = policyDraftProblem(normalisePolicyDraft(draft));
        const refused = { pages, request, reply, language };
        if (problem) {
          const message = policyProblemMessage(t, problem);
          return sendRefusedForm(
            { ...refused, error: new AppError('POLICY_INVALID', problem.kind), message },
            (ctx) => editor(form, { message, place: policyProblemPlace(problem) })(ctx),
          );
        }
        try {
          const published = await publishPolicyVersion(deps, {
            adminId: viewer.accountId,
            basedOn: form.basedOn,
            ...draft,
          });
          request.log.info(
            { ...requestLog(request), accountId: viewer.accountId, version: published.version },
            'policy version published',
          );
          return await reply.redirect(path, 303);
        } catch (error) {
          if (!isRefusal(pages, error)) throw error;
          const message = error.code === 'POLICY_CHANGED' ? t.policyChangedWhileEditing : undefined;
          return sendRefusedForm({ ...refused, error, message }, (ctx, refusal) =>
            editor(form, { message: refusal.message, place: undefined })(ctx),
          );
        }
      },
    );
  }
}
