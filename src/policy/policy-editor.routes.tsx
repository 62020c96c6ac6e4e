import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import type { Pages } from '../http/pages.js';
import { isRefusal, sendRefusedForm, type FormContext } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { route } from '../http/route.js';
import { editionPrefix, type Language } from '../lib/language.js';
import { normalisePolicyDraft, policyDraftProblem } from './policy.js';
import {
  PolicyEditPage,
  policyProblemMessage,
  policyProblemPlace,
  type PolicyRefusal,
} from './policy-edit-page.js';
import {
  draftOf,
  editorFormOf,
  policyEditorBody,
  type PolicyEditorForm,
} from './policy-editor-form.js';
import { policyPath } from './policy-page.js';
import { getCurrentPolicy, nextClauseNumber, publishPolicyVersion } from './policy.service.js';

/** The admin's policy editor: the version in force as a form, published as the next version. */

/**
 * The editor's form carries every clause in both languages; in Korean, URL-encoded, each
 * character takes nine bytes, so a full policy outgrows the app's 64 KiB limit for other forms.
 */
const EDITOR_BODY_LIMIT_BYTES = 1024 * 1024;

const tags = ['policy'];

function editor(form: PolicyEditorForm, error?: PolicyRefusal) {
  return (ctx: FormContext) => (
    <PolicyEditPage ctx={ctx} csrfToken={ctx.csrfToken} form={form} error={error} />
  );
}

const editorUrl = (language: Language) => `${editionPrefix(language)}/admin/policy`;

export function registerPolicyEditorRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
  language: Language,
): void {
  registerEditor(app, deps, pages, language);
  registerPublish(app, deps, pages, language);
}

function registerEditor(app: FastifyInstance, deps: AppDeps, pages: Pages, language: Language) {
  route(
    app,
    {
      method: 'GET',
      url: editorUrl(language),
      access: ['admin'],
      schema: { summary: 'The policy editor, filled in from the version in force', tags },
    },
    async (request, reply) => {
      const current = await getCurrentPolicy(deps);
      const form = editorFormOf(current, await nextClauseNumber(deps));
      return pages.sendForm(request, reply, language, editor(form));
    },
  );
}

function registerPublish(app: FastifyInstance, deps: AppDeps, pages: Pages, language: Language) {
  route(
    app,
    {
      method: 'POST',
      url: editorUrl(language),
      access: ['admin'],
      bodyLimit: EDITOR_BODY_LIMIT_BYTES,
      schema: { body: policyEditorBody, summary: 'An admin publishes the next version', tags },
    },
    async (request, reply) => {
      const form = request.body;
      const draft = draftOf(form);
      const refused = { pages, request, reply, language };
      // Checked here first so the admin reads which rule, in their language, was broken, beside
      // the part of the form it concerns.
      const problem = policyDraftProblem(normalisePolicyDraft(draft));
      if (problem)
        return sendRefusedForm(
          { ...refused, error: new AppError('POLICY_INVALID', problem.kind) },
          (ctx) =>
            editor(form, {
              message: policyProblemMessage(ctx.t, problem),
              place: policyProblemPlace(problem),
            })(ctx),
        );
      try {
        const { accountId } = request.viewer;
        const published = await publishPolicyVersion(deps, {
          adminId: accountId,
          basedOn: form.basedOn,
          ...draft,
        });
        request.log.info(
          { ...requestLog(request), accountId, version: published.version },
          'policy version published',
        );
        return await reply.redirect(policyPath(language), 303);
      } catch (error) {
        if (!isRefusal(pages, error)) throw error;
        return sendRefusedForm({ ...refused, error }, (ctx, refusal) =>
          editor(form, {
            message:
              error.code === 'POLICY_CHANGED' ? ctx.t.policyChangedWhileEditing : refusal.message,
            place: undefined,
          })(ctx),
        );
      }
    },
  );
}
