import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import type { StaffRole, Viewer } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import { field } from '../http/form.js';
import type { Pages } from '../http/pages.js';
import { isRefusal, sendRefusedForm, type FormContext } from '../http/refused-form.js';
import { LANGUAGES, editionPrefix, type Language } from '../lib/language.js';
import { ROW_ID, type ThreadOverrides } from './comment.js';
import {
  CommentSettingsPage,
  type OverrideFieldValues,
  type RefusedSettingsRow,
} from './comment-settings-page.js';
import {
  findArticleThreadSettings,
  findArticleThreadSettingsById,
  listSectionThreadSettings,
  setThreadSettings,
} from './comments.settings.js';

/** Thread settings are the newsroom's: editors and admins set them, moderators do not. */
const EDITORS: readonly StaffRole[] = ['editor', 'admin'];

/**
 * The longest article address the page looks up. No article path comes near it, so a longer one
 * is a paste gone wrong: it is refused with the text kept and a message saying why, rather than
 * cut short (the cut address would be looked up and reported "not found", hiding the reason).
 */
const MAX_ARTICLE_PATH = 2_000;

function fieldValuesOf(body: unknown): OverrideFieldValues {
  return {
    state: field(body, 'state'),
    closeAfterHours: field(body, 'closeAfterHours').trim(),
    premoderated: field(body, 'premoderated'),
  };
}

/**
 * The three fields of a thread setting; an empty field inherits. Hours are typed, so a wrong one
 * is a refusal the form shows back (422); a state or flag no select offers is a forged form (400).
 */
function overridesOf(values: OverrideFieldValues): ThreadOverrides {
  const { state, closeAfterHours: hours, premoderated: pre } = values;
  if (!['', 'open', 'closed'].includes(state)) throw new AppError('BAD_REQUEST', `state ${state}`);
  if (!['', 'on', 'off'].includes(pre)) throw new AppError('BAD_REQUEST', `premoderated ${pre}`);
  if (hours !== '' && (!/^\d{1,5}$/.test(hours) || Number(hours) > 87_600))
    throw new AppError('THREAD_HOURS_INVALID', `closeAfterHours ${hours.slice(0, 40)}`);
  return {
    state: state === '' ? null : (state as 'open' | 'closed'),
    closeAfterHours: hours === '' ? null : Number(hours),
    premoderated: pre === '' ? null : pre === 'on',
  };
}

function idOf(request: FastifyRequest): string {
  const id = (request.params as { id?: unknown }).id;
  if (typeof id !== 'string' || !ROW_ID.test(id)) throw new AppError('NOT_FOUND', 'id');
  return id;
}

export function registerCommentSettingsRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
): void {
  /** The settings page, plain or with one refused form or address shown back. */
  async function sendSettingsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    language: Language,
    view: {
      articlePath: string;
      article: Awaited<ReturnType<typeof findArticleThreadSettings>> | null;
      refused?: { error: AppError; row?: string; values?: OverrideFieldValues };
    },
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

  for (const language of LANGUAGES) {
    const prefix = editionPrefix(language);
    app.get(`${prefix}/staff/comments`, { config: { access: EDITORS } }, async (request, reply) => {
      const articlePath = field(request.query, 'article').trim();
      if (articlePath.length > MAX_ARTICLE_PATH)
        return sendSettingsPage(request, reply, language, {
          articlePath,
          article: undefined,
          refused: {
            error: new AppError('THREAD_ADDRESS_TOO_LONG', `article ${articlePath.length}`),
          },
        });
      const article = articlePath
        ? ((await findArticleThreadSettings(deps, articlePath)) ?? null)
        : undefined;
      return sendSettingsPage(request, reply, language, { articlePath, article });
    });
    for (const scope of ['section', 'article'] as const) {
      app.post(
        `${prefix}/staff/comments/${scope}s/:id`,
        { config: { access: EDITORS } },
        async (request, reply) => {
          const id = idOf(request);
          const values = fieldValuesOf(request.body);
          const viewer = request.viewer as Viewer;
          let overrides: ThreadOverrides;
          try {
            overrides = overridesOf(values);
          } catch (error) {
            if (!isRefusal(pages, error)) throw error;
            return sendRefusedRow(request, reply, { scope, id, values, error });
          }
          if (scope === 'section') {
            const known = await listSectionThreadSettings(deps);
            if (!known.some((s) => s.sectionId === id))
              throw new AppError('NOT_FOUND', `section ${id}`);
          }
          try {
            await setThreadSettings(deps, { scope, id, overrides, by: viewer.accountId });
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

    /**
     * A refused section or article form: the page again with that row as typed. A row that does
     * not exist has no form to show back, so it stays a 404 as a valid change to it would.
     */
    async function sendRefusedRow(
      request: FastifyRequest,
      reply: FastifyReply,
      input: {
        scope: 'section' | 'article';
        id: string;
        values: OverrideFieldValues;
        error: AppError;
      },
    ) {
      const { scope, id, values, error } = input;
      const refused = { error, row: `${scope}-${id}`, values };
      if (scope === 'section') {
        const known = await listSectionThreadSettings(deps);
        if (!known.some((s) => s.sectionId === id))
          throw new AppError('NOT_FOUND', `section ${id}`);
        return sendSettingsPage(request, reply, language, {
          articlePath: '',
          article: undefined,
          refused,
        });
      }
      const article = await findArticleThreadSettingsById(deps, id);
      if (!article) throw new AppError('NOT_FOUND', `article ${id}`);
      return sendSettingsPage(request, reply, language, {
        articlePath: article.thread.article.path,
        article,
        refused: { ...refused, row: 'article' },
      });
    }
  }
}
