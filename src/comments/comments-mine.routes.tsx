import type { FastifyInstance } from 'fastify';
import { commentDecisions, readerStanding } from '../moderation/moderation-gate.service.js';
import { sendHtml } from '../http/pages.js';
import { route } from '../http/route.js';
import { editionPrefix, type Language } from '../lib/language.js';
import { MyCommentsPage } from './comment-mine-page.js';
import { COMMENT_TAGS, type CommentRoutesDeps } from './comments-http.js';
import { myCommentsQuery } from './comments.schemas.js';
import { listMyComments } from './comments.service.js';

/**
 * "My comments": a reader's own comments, newest first, each with the latest replies, the
 * board's decision on it and the reader's standing (a suspension, a ban).
 */

export function registerMyCommentsRoute(
  app: FastifyInstance,
  routes: CommentRoutesDeps,
  language: Language,
): void {
  const { deps, pages } = routes;
  route(
    app,
    {
      method: 'GET',
      url: `${editionPrefix(language)}/account/comments`,
      access: 'reader',
      schema: {
        querystring: myCommentsQuery,
        summary: 'Your comments, with replies and the decisions of the standards board',
        tags: COMMENT_TAGS,
      },
    },
    async (request, reply) => {
      const authorId = request.viewer.accountId;
      const mine = await listMyComments(deps, { authorId, before: request.query.before });
      const [decisions, standing] = await Promise.all([
        commentDecisions(deps, mine.comments),
        readerStanding(deps.db, authorId, deps.clock()),
      ]);
      const ctx = await pages.context(language, request, reply);
      const next = mine.next ? `${mine.next.createdAt.toISOString()}_${mine.next.id}` : undefined;
      return sendHtml(
        reply,
        <MyCommentsPage
          ctx={ctx}
          comments={mine.comments}
          next={next}
          decisions={decisions}
          standing={standing}
        />,
      );
    },
  );
}
