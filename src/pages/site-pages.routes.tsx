import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { PUBLIC } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import { field } from '../http/form.js';
import type { Pages } from '../http/pages.js';
import { requestLog } from '../http/request-log.js';
import { assertUnreachable } from '../lib/assert.js';
import { LANGUAGES, type Language } from '../lib/language.js';
import { type Messages } from '../views/i18n.js';
import {
  SITE_PAGE_KEYS,
  isSitePageKey,
  normaliseSitePageText,
  readSitePage,
  type SitePageKey,
  type SitePageProblem,
} from './site-page.js';
import {
  SitePageEdit,
  SitePageView,
  SitePagesAdmin,
  adminPagesPath,
  sitePagePath,
  type SitePageForm,
  type SitePageFormErrors,
} from './site-page-views.js';
import { getSitePage, saveSitePage } from './site-pages.service.js';

/**
 * The site's own pages: /privacy, /terms, /about in each edition (public, kept by the page cache
 * for anonymous readers and dropped when an admin saves), and the admin's list and editor under
 * /admin/pages.
 */

/**
 * Two texts of up to 40,000 characters each; Korean takes nine bytes a character URL-encoded,
 * so the editor's form outgrows the app's 64 KiB limit for other forms.
 */
const EDITOR_BODY_LIMIT_BYTES = 1024 * 1024;

const ADMIN = { config: { access: ['admin'] as const } };

function problemMessage(t: Messages, problem: SitePageProblem): string {
  switch (problem.kind) {
    case 'empty':
      return t.sitePageProblem.empty;
    case 'too_long':
      return t.sitePageProblem.too_long(problem.limit);
    case 'control':
      return t.sitePageProblem.control;
    case 'markdown':
      return t.sitePageProblem.markdown(problem.line);
    default:
      return assertUnreachable(problem);
  }
}

function keyOf(request: FastifyRequest): SitePageKey {
  const key = (request.params as { key: string }).key;
  if (!isSitePageKey(key)) throw new AppError('NOT_FOUND', 'no such site page');
  return key;
}

export function registerSitePageRoutes(app: FastifyInstance, deps: AppDeps, pages: Pages): void {
  function sendEditor(
    request: FastifyRequest,
    reply: FastifyReply,
    language: Language,
    key: SitePageKey,
    form: SitePageForm,
    errors: SitePageFormErrors = {},
  ) {
    return pages.sendForm(request, reply, language, (ctx) => (
      <SitePageEdit ctx={ctx} csrfToken={ctx.csrfToken} pageKey={key} form={form} errors={errors} />
    ));
  }

  for (const language of LANGUAGES) {
    const t = pages.bareContext(language).t;

    for (const key of SITE_PAGE_KEYS)
      app.get(sitePagePath(language, key), PUBLIC, (request, reply) =>
        pages.respond(request, reply, language, async (ctx) => (
          <SitePageView ctx={ctx} page={await getSitePage(deps, key, language)} />
        )),
      );

    app.get(adminPagesPath(language), ADMIN, (request, reply) =>
      pages.sendForm(request, reply, language, (ctx) => (
        <SitePagesAdmin ctx={ctx} saved={field(request.query, 'saved') === '1'} />
      )),
    );

    app.get(`${adminPagesPath(language)}/:key`, ADMIN, async (request, reply) => {
      const key = keyOf(request);
      const [en, ko] = await Promise.all(
        LANGUAGES.map(async (lang) => (await getSitePage(deps, key, lang)).text),
      );
      return sendEditor(request, reply, language, key, { en: en ?? '', ko: ko ?? '' });
    });

    app.post(
      `${adminPagesPath(language)}/:key`,
      { bodyLimit: EDITOR_BODY_LIMIT_BYTES, ...ADMIN },
      async (request, reply) => {
        const viewer = request.viewer;
        if (!viewer) throw new AppError('UNAUTHENTICATED');
        const key = keyOf(request);
        const form: SitePageForm = {
          en: field(request.body, 'bodyEn'),
          ko: field(request.body, 'bodyKo'),
        };
        // Checked here first so the admin reads, beside the text, what is wrong with it, and
        // gets both texts back as typed; saveSitePage checks again and writes nothing on a fault.
        const errors: SitePageFormErrors = {};
        for (const lang of LANGUAGES) {
          const read = readSitePage(normaliseSitePageText(form[lang]));
          if (!read.ok) errors[lang] = problemMessage(t, read.problem);
        }
        if (Object.keys(errors).length > 0) {
          request.log.warn({ ...requestLog(request), key }, 'site page refused');
          reply.code(422);
          return sendEditor(request, reply, language, key, form, errors);
        }
        await saveSitePage(deps, { key, adminId: viewer.accountId, texts: form });
        request.log.info(
          { ...requestLog(request), accountId: viewer.accountId, key },
          'site page saved',
        );
        return reply.redirect(`${adminPagesPath(language)}?saved=1`, 303);
      },
    );
  }
}
