import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../http/app-error.js';
import { isRefusal, sendRefusedForm } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { route } from '../http/route.js';
import { formText, nothing } from '../http/schemas.js';
import { COMMENT_DECISIONS } from './moderation.js';
import { CommentCasePage } from './moderation-case-page.js';
import type { CaseRefusal } from './moderation-case-parts.js';
import type { Edition } from './moderation.routes.js';
import { MODERATION_TAGS, clauses, flag, idParams, rev } from './moderation.schemas.js';
import { claimComment, commentCase, decideComment } from './moderation.service.js';

/**
 * A comment's case: its page (the comment in its thread, the log, the reader's section), the
 * claim that keeps other moderators off it, and the decision form.
 */

export function registerCaseRoutes(edition: Edition): void {
  registerCasePage(edition);
  registerClaim(edition);
  registerDecision(edition);
}

function registerCasePage(edition: Edition): void {
  const { app, deps, pages, language, prefix, t } = edition;
  route(
    app,
    {
      method: 'GET',
      url: `${prefix}/moderation/comments/:id`,
      access: 'board',
      schema: {
        params: idParams,
        querystring: z.object({ decided: flag }),
        summary: "A comment's case: the comment in its thread, its log and its author",
        tags: MODERATION_TAGS,
      },
    },
    async (request, reply) => {
      const found = await commentCase(deps, request.params.id);
      if (!found) throw new AppError('NOT_FOUND', 'comment');
      return pages.sendForm(request, reply, language, (ctx) => (
        <CommentCasePage
          ctx={ctx}
          c={found}
          viewerId={request.viewer.accountId}
          notice={request.query.decided ? t.desk.decided : undefined}
          now={deps.clock()}
        />
      ));
    },
  );
}

function registerClaim({ app, deps, prefix }: Edition): void {
  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/moderation/comments/:id/claim`,
      access: 'board',
      schema: {
        params: idParams,
        body: nothing,
        summary: 'Claims a comment, so other moderators skip it for a while',
        tags: MODERATION_TAGS,
      },
    },
    async (request, reply) => {
      const commentId = request.params.id;
      await claimComment(deps, { commentId, moderatorId: request.viewer.accountId });
      return reply.redirect(`${prefix}/moderation/comments/${commentId}`, 303);
    },
  );
}

const decisionBody = z.object({
  rev,
  decision: z.enum(COMMENT_DECISIONS),
  clause: clauses,
  note: formText,
});

function registerDecision(edition: Edition): void {
  const { app, deps, pages, prefix } = edition;
  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/moderation/comments/:id/decide`,
      access: 'board',
      schema: {
        params: idParams,
        body: decisionBody,
        summary: 'Approves, hides, features, stops featuring or restores a comment',
        tags: MODERATION_TAGS,
      },
    },
    async (request, reply) => {
      const commentId = request.params.id;
      const { decision, clause, note } = request.body;
      const moderatorId = request.viewer.accountId;
      try {
        await decideComment(deps, {
          moderatorId,
          commentId,
          rev: request.body.rev,
          decision,
          clauses: clause,
          note,
        });
      } catch (error) {
        if (!isRefusal(pages, error)) throw error;
        return sendRefusedCase(edition, request, reply, {
          commentId,
          viewerId: moderatorId,
          error,
          kept: { form: 'decide', choice: decision, clauses: clause, note },
        });
      }
      request.log.info({ ...requestLog(request), commentId, decision }, 'moderation decision');
      return reply.redirect(`${prefix}/moderation/comments/${commentId}?decided=1`, 303);
    },
  );
}

/**
 * A comment's case page with one of its forms (the decision, the reader's sanction) sent back
 * refused, as it was filled in.
 */
export async function sendRefusedCase(
  { deps, pages, language }: Edition,
  request: FastifyRequest,
  reply: FastifyReply,
  refused: Readonly<{
    commentId: string;
    viewerId: string;
    error: AppError;
    kept: Omit<CaseRefusal, 'refusal'>;
  }>,
): Promise<FastifyReply> {
  const { error } = refused;
  const found = await commentCase(deps, refused.commentId);
  if (!found) throw error;
  return sendRefusedForm({ pages, request, reply, language, error }, (ctx, refusal) => (
    <CommentCasePage
      ctx={ctx}
      c={found}
      viewerId={refused.viewerId}
      notice={undefined}
      now={deps.clock()}
      refused={{ ...refused.kept, refusal }}
    />
  ));
}
