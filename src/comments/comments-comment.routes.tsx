import type { FastifyInstance } from 'fastify';
import { AppError } from '../http/app-error.js';
import { wantsJson } from '../http/errors.js';
import { sendHtml } from '../http/pages.js';
import { route } from '../http/route.js';
import { editionPrefix, type Language } from '../lib/language.js';
import { CommentPageView } from './comment-thread-page.js';
import {
  COMMENT_TAGS,
  commentViewer,
  permissionsFor,
  type CommentRoutesDeps,
} from './comments-http.js';
import { commentAddress, voteForm } from './comments.schemas.js';
import { findCommentThread } from './comments.service.js';
import { voteOnComment } from './comments.voting.js';
import { votesWire } from './comments.wire.js';

/**
 * One comment: its own page (its thread around it, for a link or a reader without JavaScript)
 * and the 공감/비공감 vote on it, answered with the new counts as JSON or by going back to it.
 */

export function registerOneCommentRoutes(
  app: FastifyInstance,
  routes: CommentRoutesDeps,
  language: Language,
): void {
  registerCommentPage(app, routes, language);
  registerVote(app, routes, language);
}

function registerCommentPage(app: FastifyInstance, routes: CommentRoutesDeps, language: Language) {
  const { deps, pages } = routes;
  route(
    app,
    {
      method: 'GET',
      url: `${editionPrefix(language)}/comments/:commentId`,
      access: 'public',
      schema: {
        params: commentAddress,
        summary: 'One comment, with its thread around it',
        tags: COMMENT_TAGS,
      },
    },
    async (request, reply) => {
      const { commentId } = request.params;
      const found = await findCommentThread(deps, commentId, commentViewer(request.viewer));
      if (!found) throw new AppError('NOT_FOUND', `comment ${commentId}`);
      const ctx = await pages.context(language, request, reply);
      const { can } = await permissionsFor(deps, request.viewer, ctx.csrfToken, found.thread);
      return sendHtml(
        reply,
        <CommentPageView ctx={ctx} thread={found.thread} comment={found.comment} can={can} />,
      );
    },
  );
}

function registerVote(app: FastifyInstance, routes: CommentRoutesDeps, language: Language) {
  const { deps } = routes;
  const prefix = editionPrefix(language);
  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/comments/:commentId/vote`,
      access: 'reader',
      schema: {
        params: commentAddress,
        body: voteForm,
        summary: 'Votes 공감 (up) or 비공감 (down) on a comment; the same vote again withdraws it',
        tags: COMMENT_TAGS,
      },
    },
    async (request, reply) => {
      const { commentId } = request.params;
      const result = await voteOnComment(deps, {
        commentId,
        accountId: request.viewer.accountId,
        vote: request.body.value,
      });
      if (wantsJson(request))
        return reply.header('cache-control', 'no-store').send(votesWire(result));
      return reply.redirect(`${prefix}/comments/${commentId}`, 303);
    },
  );
}
