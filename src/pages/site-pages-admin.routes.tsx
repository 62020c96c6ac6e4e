import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import type { Pages } from '../http/pages.js';
import { sendRefusedForm, type FormContext } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { route } from '../http/route.js';
import { formText } from '../http/schemas.js';
import { LANGUAGES, type Language } from '../lib/language.js';
import {
  SITE_PAGE_KEYS,
  normaliseSitePageText,
  readSitePage,
  type SitePageKey,
  type SitePageProblem,
} from './site-page.js';
import {
  SitePageEdit,
  SitePagesAdmin,
  adminPagesPath,
  sitePageProblemMessage,
  type SitePageForm,
  type SitePageFormErrors,
} from './site-page-views.js';
import { getSitePage, saveSitePage } from './site-pages.service.js';

/** The admin's list of the site's pages and the editor of each, both texts in one form. */

/**
 * Two texts of up to 40,000 characters each; Korean takes nine bytes a character URL-encoded,
 * so the editor's form outgrows the app's 64 KiB limit for other forms.
 */
const EDITOR_BODY_LIMIT_BYTES = 1024 * 1024;

/** A key that is not one of the three names no page: 404. */
const keyParams = z.object({ key: z.enum(SITE_PAGE_KEYS) });

/** Set by the redirect after a save, so the list says the page was saved. */
const listQuery = z.object({ saved: formText });

/** The texts as typed: judged by `readSitePage`, and given back as typed when refused. */
const editorBody = z.object({ bodyEn: formText, bodyKo: formText });

const tags = ['pages'];

type SitePageProblems = Partial<Record<Language, SitePageProblem>>;

function editor(key: SitePageKey, form: SitePageForm, problems: SitePageProblems = {}) {
  return (ctx: FormContext) => {
    const errors: SitePageFormErrors = {};
    for (const lang of LANGUAGES) {
      const problem = problems[lang];
      if (problem) errors[lang] = sitePageProblemMessage(ctx.t, problem);
    }
    return (
      <SitePageEdit ctx={ctx} csrfToken={ctx.csrfToken} pageKey={key} form={form} errors={errors} />
    );
  };
}

/** What is wrong with each text, checked as saveSitePage will check it. */
function problemsOf(form: SitePageForm): SitePageProblems {
  const problems: SitePageProblems = {};
  for (const lang of LANGUAGES) {
    const read = readSitePage(normaliseSitePageText(form[lang]));
    if (!read.ok) problems[lang] = read.problem;
  }
  return problems;
}

export function registerSitePagesAdminRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
  language: Language,
): void {
  registerList(app, pages, language);
  registerEditor(app, deps, pages, language);
  registerSave(app, deps, pages, language);
}

function registerList(app: FastifyInstance, pages: Pages, language: Language) {
  route(
    app,
    {
      method: 'GET',
      url: adminPagesPath(language),
      access: ['admin'],
      schema: { querystring: listQuery, summary: "The site's pages, to edit", tags },
    },
    (request, reply) =>
      pages.sendForm(request, reply, language, (ctx) => (
        <SitePagesAdmin ctx={ctx} saved={request.query.saved === '1'} />
      )),
  );
}

function registerEditor(app: FastifyInstance, deps: AppDeps, pages: Pages, language: Language) {
  route(
    app,
    {
      method: 'GET',
      url: `${adminPagesPath(language)}/:key`,
      access: ['admin'],
      schema: { params: keyParams, summary: "The editor of one of the site's pages", tags },
    },
    async (request, reply) => {
      const { key } = request.params;
      const [en, ko] = await Promise.all(
        LANGUAGES.map(async (lang) => (await getSitePage(deps, key, lang)).text),
      );
      return pages.sendForm(request, reply, language, editor(key, { en: en ?? '', ko: ko ?? '' }));
    },
  );
}

function registerSave(app: FastifyInstance, deps: AppDeps, pages: Pages, language: Language) {
  const listPath = adminPagesPath(language);
  route(
    app,
    {
      method: 'POST',
      url: `${listPath}/:key`,
      access: ['admin'],
      bodyLimit: EDITOR_BODY_LIMIT_BYTES,
      schema: {
        params: keyParams,
        body: editorBody,
        summary: "An admin saves both editions' texts of a page",
        tags,
      },
    },
    async (request, reply) => {
      const { key } = request.params;
      const form: SitePageForm = { en: request.body.bodyEn, ko: request.body.bodyKo };
      // Checked here first so the admin reads, beside the text, what is wrong with it, and gets
      // both texts back as typed; saveSitePage checks again and writes nothing on a fault.
      const problems = problemsOf(form);
      if (Object.keys(problems).length > 0)
        return sendRefusedForm(
          { pages, request, reply, language, error: new AppError('SITE_PAGE_INVALID', key) },
          editor(key, form, problems),
        );
      const { accountId } = request.viewer;
      await saveSitePage(deps, { key, adminId: accountId, texts: form });
      request.log.info({ ...requestLog(request), accountId, key }, 'site page saved');
      return reply.redirect(`${listPath}?saved=1`, 303);
    },
  );
}
