import { z } from 'zod';
import { AppError } from '../http/app-error.js';
import { isRefusal } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { route } from '../http/route.js';
import { formText, rowId } from '../http/schemas.js';
import { SANCTIONS } from './moderation.js';
import { sendRefusedCase } from './moderation-case.routes.js';
import { deskPath } from './moderation-desk-page.js';
import type { Edition } from './moderation.routes.js';
import { MODERATION_TAGS, clauses, count, idParams, rev } from './moderation.schemas.js';
import { sanctionReader } from './moderation.service.js';

/** A reader's sanction: warn, suspend, bar or reinstate, from the reader's section of a case. */

const sanctionBody = z.object({
  rev,
  sanction: z.enum(SANCTIONS),
  // A suspension's days, as the select sent them: kept as text for the form to show back.
  days: formText,
  // The comment whose case page the form is on; the sanction cites it.
  comment: formText,
  clause: clauses,
  note: formText,
});

/**
 * The comment a sanction comes from, when the form names one. A malformed id names no comment:
 * 404, as it would be in the address.
 */
function sanctionedComment(comment: string): string | undefined {
  if (comment === '') return undefined;
  const id = rowId.safeParse(comment);
  if (!id.success) throw new AppError('NOT_FOUND', 'comment');
  return id.data;
}

export function registerReaderRoutes(edition: Edition): void {
  const { app, deps, pages, language, prefix } = edition;
  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/moderation/readers/:id/sanction`,
      access: 'board',
      schema: {
        params: idParams,
        body: sanctionBody,
        summary: 'Warns, suspends, bars or reinstates a reader',
        tags: MODERATION_TAGS,
      },
    },
    async (request, reply) => {
      const accountId = request.params.id;
      const { sanction, days, clause, note } = request.body;
      const commentId = sanctionedComment(request.body.comment);
      const moderatorId = request.viewer.accountId;
      try {
        await sanctionReader(deps, {
          moderatorId,
          accountId,
          rev: request.body.rev,
          sanction,
          days: count.parse(days),
          clauses: clause,
          note,
          commentId,
        });
      } catch (error) {
        // The sanction form lives on a comment's case page: that page comes back, as it was.
        if (!isRefusal(pages, error) || !commentId) throw error;
        return sendRefusedCase(edition, request, reply, {
          commentId,
          viewerId: moderatorId,
          error,
          kept: { form: 'sanction', choice: sanction, days, clauses: clause, note },
        });
      }
      request.log.info({ ...requestLog(request), accountId, sanction }, 'reader sanctioned');
      return reply.redirect(
        commentId
          ? `${prefix}/moderation/comments/${commentId}?decided=1`
          : `${deskPath(language, 'recent')}?reader=${accountId}`,
        303,
      );
    },
  );
}
