import type { FastifyInstance } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import type { Pages } from '../http/pages.js';
import { isRefusal, sendRefusedForm, type FormContext } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { route } from '../http/route.js';
import { formText } from '../http/schemas.js';
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
import type { Edition } from './moderation.routes.js';
import { MODERATION_TAGS, flag } from './moderation.schemas.js';

/**
 * The admin's word lists page. Admins only: the lists decide what every reader may publish, so
 * moderators, who apply them, do not set them.
 */

const ADMIN = ['admin'] as const;

/** Both lists, a word or phrase a line, as the admin typed them: the lists' rules judge them. */
const wordListsBody = z.object({ banned: formText, suspect: formText });

export function registerModerationWordRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
): void {
  for (const language of LANGUAGES) {
    const prefix = editionPrefix(language);
    const edition = { app, deps, pages, language, prefix, t: pages.bareContext(language).t };
    registerWordListsPage(edition);
    registerWordListsSave(edition);
  }
}

/** The page's renderer, over the stored lists or over the lists as the admin sent them. */
async function wordListsPage(
  deps: AppDeps,
  options: { form?: WordListsForm; saved?: boolean },
): Promise<(ctx: FormContext, error?: WordListsRefusal) => VNode> {
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

function registerWordListsPage({ app, deps, pages, language, prefix }: Edition): void {
  route(
    app,
    {
      method: 'GET',
      url: `${prefix}${WORD_LISTS_PATH}`,
      access: ADMIN,
      schema: {
        querystring: z.object({ saved: flag }),
        summary: 'The banned and suspect word lists, for an admin to edit',
        tags: MODERATION_TAGS,
      },
    },
    async (request, reply) => {
      const render = await wordListsPage(deps, { saved: request.query.saved });
      return pages.sendForm(request, reply, language, (ctx) => render(ctx));
    },
  );
}

function registerWordListsSave({ app, deps, pages, language, prefix, t }: Edition): void {
  const path = `${prefix}${WORD_LISTS_PATH}`;
  route(
    app,
    {
      method: 'POST',
      url: path,
      access: ADMIN,
      schema: {
        body: wordListsBody,
        summary: 'Replaces the banned and suspect word lists',
        tags: MODERATION_TAGS,
      },
    },
    async (request, reply) => {
      const form = request.body;
      const adminId = request.viewer.accountId;
      // Checked here first so the admin reads which line broke which rule, in their language;
      // the service checks again and is the rule's keeper.
      const parsed = parseWordLists(form);
      const refused = { pages, request, reply, language };
      if (!parsed.ok) {
        const { problem } = parsed;
        const message = wordListsProblemMessage(t, problem);
        const render = await wordListsPage(deps, { form });
        return sendRefusedForm(
          { ...refused, error: new AppError('WORD_LIST_INVALID', problem.kind), message },
          (ctx) => render(ctx, { list: wordListsProblemList(problem), message }),
        );
      }
      try {
        const saved = await saveWordLists(deps, { adminId, ...form });
        const counts = { banned: saved.banned.length, suspect: saved.suspect.length };
        request.log.info(
          { ...requestLog(request), accountId: adminId, ...counts },
          'word lists saved',
        );
        return await reply.redirect(`${path}?saved=1`, 303);
      } catch (error) {
        if (!isRefusal(pages, error)) throw error;
        const render = await wordListsPage(deps, { form });
        return sendRefusedForm({ ...refused, error }, (ctx, refusal) =>
          render(ctx, { list: undefined, message: refusal.message }),
        );
      }
    },
  );
}
