import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { AppError, isAppError } from '../http/app-error.js';
import { field } from '../http/form.js';
import type { Pages } from '../http/pages.js';
import { requestLog } from '../http/request-log.js';
import { LANGUAGES, editionPrefix, type Language } from '../lib/language.js';
import { messages } from '../views/i18n.js';
import { parseWordLists } from './moderation-words.js';
import {
  WORD_LISTS_PATH,
  WordListsPage,
  wordListsProblemMessage,
  type WordListsForm,
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
  async function sendPage(
    request: FastifyRequest,
    reply: FastifyReply,
    language: Language,
    options: { form?: WordListsForm; saved?: boolean; error?: string },
  ) {
    const stored = await listWordLists(deps);
    const form = options.form ?? {
      banned: stored.banned.join('\n'),
      suspect: stored.suspect.join('\n'),
    };
    const counts = { banned: stored.banned.length, suspect: stored.suspect.length };
    return pages.sendForm(request, reply, language, (ctx) => (
      <WordListsPage
        ctx={ctx}
        form={form}
        counts={counts}
        saved={options.saved ?? false}
        error={options.error}
      />
    ));
  }

  for (const language of LANGUAGES) {
    const t = messages(language);
    const path = `${editionPrefix(language)}${WORD_LISTS_PATH}`;

    app.get(path, ADMIN, (request, reply) =>
      sendPage(request, reply, language, { saved: field(request.query, 'saved') === '1' }),
    );

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
      if (!parsed.ok) {
        request.log.warn({ ...requestLog(request), problem: parsed.problem }, 'word lists refused');
        reply.code(422);
        return sendPage(request, reply, language, {
          form,
          error: wordListsProblemMessage(t, parsed.problem),
        });
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
        if (!isAppError(error) || error.code !== 'WORD_LIST_INVALID') throw error;
        request.log.warn({ ...requestLog(request), reason: error.message }, 'word lists refused');
        reply.code(error.status);
        return sendPage(request, reply, language, {
          form,
          error: t.errorMessage.WORD_LIST_INVALID,
        });
      }
    });
  }
}
