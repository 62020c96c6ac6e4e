import type { FastifyInstance } from 'fastify';
import { AppError } from '../http/app-error.js';
import { wantsJson } from '../http/errors.js';
import { isRefusal, sendRefusedForm } from '../http/refused-form.js';
import { route } from '../http/route.js';
import { editionPrefix, type Language } from '../lib/language.js';
import { ReportCommentPage } from './comment-form-pages.js';
import { COMMENT_TAGS, findVisibleComment, type CommentRoutesDeps } from './comments-http.js';
import { findReportForm, reportComment } from './comments.reports.js';
import { commentAddress, reportForm } from './comments.schemas.js';
import { reportedWire } from './comments.wire.js';

/**
 * Reporting a comment to the standards board: the form lists the policy's clauses a comment can
 * break; once a reader has reported a comment the page says so instead of offering the form.
 */

export function registerReportRoutes(
  app: FastifyInstance,
  routes: CommentRoutesDeps,
  language: Language,
): void {
  const url = `${editionPrefix(language)}/comments/:commentId/report`;
  registerReportForm(app, routes, language, url);
  registerReport(app, routes, language, url);
}

function registerReportForm(
  app: FastifyInstance,
  routes: CommentRoutesDeps,
  language: Language,
  url: string,
) {
  const { deps, pages } = routes;
  route(
    app,
    {
      method: 'GET',
      url,
      access: 'reader',
      schema: {
        params: commentAddress,
        summary: 'The form that reports a comment, citing a clause of the policy',
        tags: COMMENT_TAGS,
      },
    },
    async (request, reply) => {
      const comment = await findVisibleComment(deps, request.params.commentId);
      const form = await findReportForm(deps, {
        commentId: comment.id,
        reporterId: request.viewer.accountId,
      });
      return pages.sendForm(request, reply, language, (ctx) => (
        <ReportCommentPage
          ctx={ctx}
          commentId={comment.id}
          text={comment.body}
          clauses={form.clauses}
          state={form.reported ? 'reported' : 'form'}
        />
      ));
    },
  );
}

/** The report; a clause the policy does not let a comment break is refused with the form again. */
function registerReport(
  app: FastifyInstance,
  routes: CommentRoutesDeps,
  language: Language,
  url: string,
) {
  const { deps, pages } = routes;
  route(
    app,
    {
      method: 'POST',
      url,
      access: 'reader',
      schema: {
        params: commentAddress,
        body: reportForm,
        summary: 'Reports a comment to the standards board',
        tags: COMMENT_TAGS,
      },
    },
    async (request, reply) => {
      const comment = await findVisibleComment(deps, request.params.commentId);
      const { clause, note } = request.body;
      const reporterId = request.viewer.accountId;
      try {
        if (clause === undefined) throw new AppError('COMMENT_REPORT_INVALID', 'no clause');
        await reportComment(deps, { commentId: comment.id, reporterId, clause, note });
      } catch (error) {
        // The enhanced form asked for JSON: the error handler's answer, without the form's lookup.
        if (!isRefusal(pages, error, { forbidden: true }) || wantsJson(request)) throw error;
        const form = await findReportForm(deps, { commentId: comment.id, reporterId });
        return sendRefusedForm({ pages, request, reply, language, error }, (ctx, refusal) => (
          <ReportCommentPage
            ctx={ctx}
            commentId={comment.id}
            text={comment.body}
            clauses={form.clauses}
            state={form.reported ? 'reported' : 'form'}
            note={note}
            error={refusal.message}
          />
        ));
      }
      if (wantsJson(request))
        return reply.code(201).header('cache-control', 'no-store').send(reportedWire(comment.id));
      return pages.sendForm(request, reply, language, (ctx) => (
        <ReportCommentPage
          ctx={ctx}
          commentId={comment.id}
          text={comment.body}
          clauses={[]}
          state="thanks"
        />
      ));
    },
  );
}
