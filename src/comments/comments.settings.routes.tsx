import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import type { StaffRole, Viewer } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import { field } from '../http/form.js';
import type { Pages } from '../http/pages.js';
import { LANGUAGES, editionPrefix } from '../lib/language.js';
import { ROW_ID, type ThreadOverrides } from './comment.js';
import { CommentSettingsPage } from './comment-settings-page.js';
import {
  findArticleThreadSettings,
  listSectionThreadSettings,
  setThreadSettings,
} from './comments.settings.js';

/** Thread settings are the newsroom's: editors and admins set them, moderators do not. */
const EDITORS: readonly StaffRole[] = ['editor', 'admin'];

/** The three fields of a thread setting; an empty field inherits. Anything else is refused. */
function overridesOf(body: unknown): ThreadOverrides {
  const state = field(body, 'state');
  const hours = field(body, 'closeAfterHours').trim();
  const pre = field(body, 'premoderated');
  if (!['', 'open', 'closed'].includes(state)) throw new AppError('BAD_REQUEST', `state ${state}`);
  if (!['', 'on', 'off'].includes(pre)) throw new AppError('BAD_REQUEST', `premoderated ${pre}`);
  if (hours !== '' && (!/^\d{1,5}$/.test(hours) || Number(hours) > 87_600))
    throw new AppError('BAD_REQUEST', `closeAfterHours ${hours}`);
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
  for (const language of LANGUAGES) {
    const prefix = editionPrefix(language);
    app.get(`${prefix}/staff/comments`, { config: { access: EDITORS } }, async (request, reply) => {
      const articlePath = field(request.query, 'article').trim().slice(0, 2_000);
      const sections = await listSectionThreadSettings(deps);
      const article = articlePath
        ? ((await findArticleThreadSettings(deps, articlePath)) ?? null)
        : undefined;
      return pages.sendForm(request, reply, language, (ctx) => (
        <CommentSettingsPage
          ctx={ctx}
          site={deps.config.comments}
          sections={sections}
          articlePath={articlePath}
          article={article}
        />
      ));
    });
    for (const scope of ['section', 'article'] as const) {
      app.post(
        `${prefix}/staff/comments/${scope}s/:id`,
        { config: { access: EDITORS } },
        async (request, reply) => {
          const id = idOf(request);
          const overrides = overridesOf(request.body);
          const viewer = request.viewer as Viewer;
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
  }
}
