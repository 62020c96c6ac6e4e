import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AppDeps } from '../deps.js';
import type { StaffRole } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import type { Pages } from '../http/pages.js';
import { isRefusal, sendRefusedForm, type FormContext } from '../http/refused-form.js';
import { route } from '../http/route.js';
import { LANGUAGES, editionPrefix, type Language } from '../lib/language.js';
import type { ThreadOverrides } from './comment.js';
import {
  CommentSettingsPage,
  type OverrideFieldValues,
  type RefusedSettingsRow,
} from './comment-settings-page.js';
import { settingsAddress, settingsForm, settingsQuery } from './comments.schemas.js';
import {
  findArticleThreadSettings,
  findArticleThreadSettingsById,
  listSectionThreadSettings,
  setThreadSettings,
} from './comments.settings.js';

/** Thread settings are the newsroom's: editors and admins set them, moderators do not. */
const EDITORS: readonly StaffRole[] = ['editor', 'admin'];

const TAGS = ['comments'];

/**
 * The longest article address the page looks up. No article path comes near it, so a longer one
 * is a paste gone wrong: it is refused with the text kept and a message saying why, rather than
 * cut short (the cut address would be looked up and reported "not found", hiding the reason).
 */
const MAX_ARTICLE_PATH = 2_000;

/** The most hours a thread may stay open after publishing: ten years. */
const MAX_CLOSE_AFTER_HOURS = 87_600;

type Scope = 'section' | 'article';

type SettingsView = {
  articlePath: string;
  article: Awaited<ReturnType<typeof findArticleThreadSettings>> | null;
  refused?: { error: AppError; row?: string; values?: OverrideFieldValues };
};

/**
 * The form's fields as overrides; an empty field inherits. The state and the flag were checked
 * by the schema (a choice no select offers is a forged form); the hours are typed, so a wrong
 * one is a refusal the form shows back.
 */
function overridesOf(values: z.output<typeof settingsForm>): ThreadOverrides {
  const { state, closeAfterHours: hours, premoderated: pre } = values;
  if (hours !== '' && (!/^\d{1,5}$/.test(hours) || Number(hours) > MAX_CLOSE_AFTER_HOURS))
    throw new AppError('THREAD_HOURS_INVALID', `closeAfterHours ${hours.slice(0, 40)}`);
  return {
    state: state === '' ? null : state,
    closeAfterHours: hours === '' ? null : Number(hours),
    premoderated: pre === '' ? null : pre === 'on',
  };
}

export function registerCommentSettingsRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
): void {
  for (const language of LANGUAGES) {
    registerSettingsPage(app, deps, pages, language);
    for (const scope of ['section', 'article'] as const)
      registerSettingsForm(app, deps, pages, language, scope);
  }
}

function registerSettingsPage(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
  language: Language,
): void {
  route(
    app,
    {
      method: 'GET',
      url: `${editionPrefix(language)}/staff/comments`,
      access: EDITORS,
      schema: {
        querystring: settingsQuery,
        summary: "Comment thread settings: the site's, each section's, an article's",
        tags: TAGS,
      },
    },
    async (request, reply) => {
      const articlePath = request.query.article;
      if (articlePath.length > MAX_ARTICLE_PATH)
        return sendSettingsPage(deps, pages, request, reply, language, {
          articlePath,
          article: undefined,
          refused: {
            error: new AppError('THREAD_ADDRESS_TOO_LONG', `article ${articlePath.length}`),
          },
        });
      const article = articlePath
        ? ((await findArticleThreadSettings(deps, articlePath)) ?? null)
        : undefined;
      return sendSettingsPage(deps, pages, request, reply, language, { articlePath, article });
    },
  );
}

function registerSettingsForm(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
  language: Language,
  scope: Scope,
): void {
  const prefix = editionPrefix(language);
  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/staff/comments/${scope}s/:id`,
      access: EDITORS,
      schema: {
        params: settingsAddress,
        body: settingsForm,
        summary: `Sets or clears the thread settings of one ${scope}`,
        tags: TAGS,
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const values = request.body;
      let overrides: ThreadOverrides;
      try {
        overrides = overridesOf(values);
      } catch (error) {
        if (!isRefusal(pages, error)) throw error;
        const refused = { scope, id, values, error };
        return sendRefusedRow(deps, pages, request, reply, language, refused);
      }
      if (scope === 'section') await requireSection(deps, id);
      try {
        await setThreadSettings(deps, { scope, id, overrides, by: request.viewer.accountId });
      } catch (error) {
        // An article id that does not exist breaks the foreign key: that is a 404, not a 500.
        if ((error as { code?: unknown }).code === '23503')
          throw new AppError('NOT_FOUND', `${scope} ${id}`);
        throw error;
      }
      return reply.redirect(`${prefix}/staff/comments`, 303);
    },
  );
}

async function requireSection(deps: AppDeps, id: string): Promise<void> {
  const known = await listSectionThreadSettings(deps);
  if (!known.some((s) => s.sectionId === id)) throw new AppError('NOT_FOUND', `section ${id}`);
}

/** The settings page, plain or with one refused form or address shown back. */
async function sendSettingsPage(
  deps: AppDeps,
  pages: Pages,
  request: FastifyRequest,
  reply: FastifyReply,
  language: Language,
  view: SettingsView,
) {
  const sections = await listSectionThreadSettings(deps);
  const page = (ctx: FormContext, refusedRow?: RefusedSettingsRow, addressError?: string) => (
    <CommentSettingsPage
      ctx={ctx}
      site={deps.config.comments}
      sections={sections}
      articlePath={view.articlePath}
      article={view.article}
      refused={refusedRow}
      addressError={addressError}
    />
  );
  const { refused } = view;
  if (!refused) return pages.sendForm(request, reply, language, (ctx) => page(ctx));
  const { error, row, values } = refused;
  return sendRefusedForm({ pages, request, reply, language, error }, (ctx, refusal) =>
    row && values
      ? page(ctx, { row, values, message: refusal.message })
      : page(ctx, undefined, refusal.message),
  );
}

/**
 * A refused section or article form: the page again with that row as typed. A row that does
 * not exist has no form to show back, so it stays a 404 as a valid change to it would.
 */
async function sendRefusedRow(
  deps: AppDeps,
  pages: Pages,
  request: FastifyRequest,
  reply: FastifyReply,
  language: Language,
  input: { scope: Scope; id: string; values: OverrideFieldValues; error: AppError },
) {
  const { scope, id, values, error } = input;
  if (scope === 'section') {
    await requireSection(deps, id);
    const refused = { error, row: `section-${id}`, values };
    return sendSettingsPage(deps, pages, request, reply, language, {
      articlePath: '',
      article: undefined,
      refused,
    });
  }
  const article = await findArticleThreadSettingsById(deps, id);
  if (!article) throw new AppError('NOT_FOUND', `article ${id}`);
  return sendSettingsPage(deps, pages, request, reply, language, {
    articlePath: article.thread.article.path,
    article,
    refused: { error, row: 'article', values },
  });
}
