import { z } from 'zod';
import { AppError } from '../http/app-error.js';
import { isRefusal, sendRefusedForm } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { route } from '../http/route.js';
import { formText } from '../http/schemas.js';
import { findComment } from '../comments/comments.service.js';
import type { AppDeps } from '../deps.js';
import { AppealPage } from './appeal-page.js';
import { AppealCasePage } from './moderation-case-page.js';
import { deskPath } from './moderation-desk-page.js';
import type { Edition } from './moderation.routes.js';
import { MODERATION_TAGS, idParams, rev } from './moderation.schemas.js';
import { appealCase, decideAppeal, fileAppeal } from './moderation.service.js';

/**
 * Appeals: the author's form for a comment of theirs the board hid (access `reader`), and the
 * hearing by another member of the board.
 */

export function registerAppealRoutes(edition: Edition): void {
  registerAppealForm(edition);
  registerFiling(edition);
  registerHearingPage(edition);
  registerHearing(edition);
}

/** The author's own hidden comment; anyone else's, or one not hidden, is not found. */
async function ownHiddenComment(deps: AppDeps, commentId: string, authorId: string) {
  const comment = await findComment(deps, commentId);
  if (!comment || comment.authorId !== authorId || comment.status !== 'hidden')
    throw new AppError('NOT_FOUND', 'comment');
  return comment;
}

const appealUrl = (prefix: string) => `${prefix}/account/comments/:id/appeal`;

function registerAppealForm({ app, deps, pages, language, prefix }: Edition): void {
  route(
    app,
    {
      method: 'GET',
      url: appealUrl(prefix),
      access: 'reader',
      schema: {
        params: idParams,
        summary: 'The appeal form for a comment of yours the board hid',
        tags: MODERATION_TAGS,
      },
    },
    async (request, reply) => {
      const comment = await ownHiddenComment(deps, request.params.id, request.viewer.accountId);
      return pages.sendForm(request, reply, language, (ctx) => (
        <AppealPage
          ctx={ctx}
          commentId={comment.id}
          body={comment.body}
          reason=""
          error={undefined}
        />
      ));
    },
  );
}

function registerFiling({ app, deps, pages, language, prefix }: Edition): void {
  route(
    app,
    {
      method: 'POST',
      url: appealUrl(prefix),
      access: 'reader',
      schema: {
        params: idParams,
        body: z.object({ reason: formText }),
        summary: 'Appeals the hiding of a comment of yours',
        tags: MODERATION_TAGS,
      },
    },
    async (request, reply) => {
      const authorId = request.viewer.accountId;
      const comment = await ownHiddenComment(deps, request.params.id, authorId);
      const { reason } = request.body;
      try {
        await fileAppeal(deps, { authorId, commentId: comment.id, reason });
      } catch (error) {
        if (!isRefusal(pages, error)) throw error;
        // The reader's words are kept: the form comes back with them and the reason it failed.
        return sendRefusedForm({ pages, request, reply, language, error }, (ctx, refusal) => (
          <AppealPage
            ctx={ctx}
            commentId={comment.id}
            body={comment.body}
            reason={reason}
            error={refusal.message}
          />
        ));
      }
      request.log.info({ ...requestLog(request), commentId: comment.id }, 'appeal filed');
      return reply.redirect(`${prefix}/account/comments#comment-${comment.id}`, 303);
    },
  );
}

function registerHearingPage({ app, deps, pages, language, prefix }: Edition): void {
  route(
    app,
    {
      method: 'GET',
      url: `${prefix}/moderation/appeals/:id`,
      access: 'board',
      schema: {
        params: idParams,
        summary: 'An appeal: the hidden comment, the decision appealed and the reason given',
        tags: MODERATION_TAGS,
      },
    },
    async (request, reply) => {
      const found = await appealCase(deps, request.params.id);
      if (!found) throw new AppError('NOT_FOUND', 'appeal');
      return pages.sendForm(request, reply, language, (ctx) => (
        <AppealCasePage
          ctx={ctx}
          a={found}
          viewerId={request.viewer.accountId}
          now={deps.clock()}
        />
      ));
    },
  );
}

const hearingBody = z.object({
  rev,
  outcome: z.enum(['upheld', 'granted']),
  note: formText,
});

function registerHearing({ app, deps, pages, language, prefix }: Edition): void {
  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/moderation/appeals/:id/decide`,
      access: 'board',
      schema: {
        params: idParams,
        body: hearingBody,
        summary: 'Upholds an appeal’s decision or grants the appeal',
        tags: MODERATION_TAGS,
      },
    },
    async (request, reply) => {
      const appealId = request.params.id;
      const { outcome, note } = request.body;
      const moderatorId = request.viewer.accountId;
      try {
        await decideAppeal(deps, { moderatorId, appealId, rev: request.body.rev, outcome, note });
      } catch (error) {
        if (!isRefusal(pages, error)) throw error;
        const found = await appealCase(deps, appealId);
        if (!found) throw error;
        return sendRefusedForm({ pages, request, reply, language, error }, (ctx, refusal) => (
          <AppealCasePage
            ctx={ctx}
            a={found}
            viewerId={moderatorId}
            now={deps.clock()}
            refused={{ form: 'appeal', choice: outcome, clauses: [], note, refusal }}
          />
        ));
      }
      request.log.info({ ...requestLog(request), appealId, outcome }, 'appeal decided');
      return reply.redirect(`${deskPath(language, 'appeals')}?decided=1`, 303);
    },
  );
}
