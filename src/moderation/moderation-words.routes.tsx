import type { FastifyInstance } from 'fastify';
import type { VNode } from 'preact';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import { field } from '../http/form.js';
import type { Pages } from '../http/pages.js';
import { isRefusal, sendRefusedForm, type FormContext } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { LANGUAGES, editionPrefix } from '../lib/language.js';
import { parseWordLists } from './moderation-words.js';
import {
  WORD_LISTS_PATH,
  WordListsPage,
  wordListsProblemList,
  wordListsProblemMessage,
  type WordListsForm,
  type WordListsRefusal,
} from './moderation-words-page.js';
import { listWordLists, saveWordLists } from './moderation-words.service.js';

/**
 * The admin's word lists page. Admins only: the lists decide what every reader may publish, so
 * moderators, who apply them, do not set them.
 */

const ADMIN = { config: { access: ['admin'] } } as const;

export function registerModerationWordRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
): void {
  async function renderPage(options: {
    form?: WordListsForm;
    saved?: boolean;
  }): Promise<(ctx: FormContext, error?: WordListsRefusal) => VNode> {
    const stored = await listWordLists(deps);
    const form = options.form ?? {
      banned: stored.banned.join('\n'),
      suspect: stored.suspect.join('\n'),
    };
    const counts = { banned: stored.banned.length, suspect: stored.suspect.length };
    return (ctx, error) => (
      <WordListsPage
        ctx={ctx}
        form={form}
        counts={counts}
        saved={options.saved ?? false}
        error={error}
      />
    );
  }

  for (const language of LANGUAGES) {
    const t = pages.bareContext(language).t;
    const path = `${editionPrefix(language)}${WORD_LISTS_PATH}`;

    app.get(path, ADMIN, async (request, reply) => {
      const render = await renderPage({ saved: field(request.query, 'saved') === '1' });
      return pages.sendForm(request, reply, language, (ctx) => render(ctx));
    });

    app.post(path, ADMIN, async (request, reply) => {
      const viewer = request.viewer;
      if (!viewer) throw new AppError('UNAUTHENTICATED');
      const form = {
        banned: field(request.body, 'banned'),
        suspect: field(request.body, 'suspect'),
      };
      // Checked here first so the admin reads which line broke which rule, in their language;
      // the service checks again and is the rule's keeper.
      const parsed = parseWordLists(form);
      const refused = { pages, request, reply, language };
      if (!parsed.ok) {
        const { problem } = parsed;
        const message = wordListsProblemMessage(t, problem);
        const render = await renderPage({ form });
        return sendRefusedForm(
          { ...refused, error: new AppError('WORD_LIST_INVALID', problem.kind), message },
          (ctx) => render(ctx, { list: wordListsProblemList(problem), message }),
        );
      }
      try {
        const saved = await saveWordLists(deps, { adminId: viewer.accountId, ...form });
        request.log.info(
          {
            ...requestLog(request),
            accountId: viewer.accountId,
            banned: saved.banned.length,
            suspect: saved.suspect.length,
          },
          'word lists saved',
        );
        return await reply.redirect(`${path}?saved=1`, 303);
      } catch (error) {
        if (!isRefusal(pages, error)) throw error;
        const render = await renderPage({ form });
        return sendRefusedForm({ ...refused, error }, (ctx, refusal) =>
          render(ctx, { list: undefined, message: refusal.message }),
        );
      }
    });
  }
}
