import type { FastifyInstance } from 'fastify';
import { wantsJson } from '../http/errors.js';
import { isRefusal, sendRefusedForm } from '../http/refused-form.js';
import { route } from '../http/route.js';
import { editionPrefix, type Language } from '../lib/language.js';
import { DeleteCommentPage, EditCommentPage } from './comment-form-pages.js';
import { COMMENT_TAGS, findOwnComment, type CommentRoutesDeps } from './comments-http.js';
import { commentAddress, deleteForm, deleteQuery, editForm } from './comments.schemas.js';
import { deleteComment, editComment, editableUntil } from './comments.service.js';
import { deletedWire } from './comments.wire.js';

/**
 * A reader's own comment: editing it within the window, and deleting it after a confirmation.
 * Someone else's comment is "not found" here, never "forbidden" (findOwnComment).
 */

export function registerOwnCommentRoutes(
  app: FastifyInstance,
  routes: CommentRoutesDeps,
  language: Language,
): void {
  registerEditForm(app, routes, language);
  registerEdit(app, routes, language);
  registerDelete(app, routes, language);
}

function registerEditForm(app: FastifyInstance, routes: CommentRoutesDeps, language: Language) {
  const { deps, pages } = routes;
  route(
    app,
    {
      method: 'GET',
      url: `${editionPrefix(language)}/comments/:commentId/edit`,
      access: 'reader',
      schema: {
        params: commentAddress,
        summary: 'The form that edits your comment',
        tags: COMMENT_TAGS,
      },
    },
    async (request, reply) => {
      const comment = await findOwnComment(deps, request.params.commentId, request.viewer);
      return pages.sendForm(request, reply, language, (ctx) => (
        <EditCommentPage
          ctx={ctx}
          commentId={comment.id}
          text={comment.body}
          until={editableUntil(deps, comment.createdAt)}
        />
      ));
    },
  );
}

/** An edit; a refused one comes back as the form with the text as the reader changed it. */
function registerEdit(app: FastifyInstance, routes: CommentRoutesDeps, language: Language) {
  const { deps, pages } = routes;
  const prefix = editionPrefix(language);
  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/comments/:commentId/edit`,
      access: 'reader',
      schema: {
        params: commentAddress,
        body: editForm,
        summary: 'Edits your comment, within the minutes allowed after posting',
        tags: COMMENT_TAGS,
      },
    },
    async (request, reply) => {
      const comment = await findOwnComment(deps, request.params.commentId, request.viewer);
      const { body } = request.body;
      try {
        await editComment(deps, { commentId: comment.id, authorId: comment.authorId, body });
      } catch (error) {
        if (!isRefusal(pages, error, { forbidden: true })) throw error;
        return sendRefusedForm({ pages, request, reply, language, error }, (ctx, refusal) => (
          <EditCommentPage
            ctx={ctx}
            commentId={comment.id}
            text={body}
            until={editableUntil(deps, comment.createdAt)}
            error={refusal.message}
          />
        ));
      }
      return reply.redirect(`${prefix}/comments/${comment.id}`, 303);
    },
  );
}

function registerDelete(app: FastifyInstance, routes: CommentRoutesDeps, language: Language) {
  const { deps, pages } = routes;
  const prefix = editionPrefix(language);
  const url = `${prefix}/comments/:commentId/delete`;
  route(
    app,
    {
      method: 'GET',
      url,
      access: 'reader',
      schema: {
        params: commentAddress,
        querystring: deleteQuery,
        summary: 'Asks you to confirm deleting your comment',
        tags: COMMENT_TAGS,
      },
    },
    async (request, reply) => {
      const comment = await findOwnComment(deps, request.params.commentId, request.viewer);
      const { from } = request.query;
      return pages.sendForm(request, reply, language, (ctx) => (
        <DeleteCommentPage ctx={ctx} commentId={comment.id} text={comment.body} from={from} />
      ));
    },
  );

  route(
    app,
    {
      method: 'POST',
      url,
      access: 'reader',
      schema: {
        params: commentAddress,
        body: deleteForm,
        summary: 'Deletes your comment; one with replies stays as a tombstone',
        tags: COMMENT_TAGS,
      },
    },
    async (request, reply) => {
      const { commentId } = request.params;
      const deleted = await deleteComment(deps, { commentId, authorId: request.viewer.accountId });
      if (wantsJson(request))
        return reply.header('cache-control', 'no-store').send(deletedWire(commentId));
      // Back where the reader was: their list, or the thread at the comment's place.
      if (request.body.from === 'account' || deleted.articlePath === undefined)
        return reply.redirect(`${prefix}/account/comments`, 303);
      return reply.redirect(`${encodeURI(deleted.articlePath)}#${deleted.anchor}`, 303);
    },
  );
}
