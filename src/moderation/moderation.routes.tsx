import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROW_ID } from '../comments/comment.js';
import { findComment } from '../comments/comments.service.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import { field } from '../http/form.js';
import type { Pages } from '../http/pages.js';
import { isRefusal, sendRefusedForm, type FormContext } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { LANGUAGES, editionPrefix } from '../lib/language.js';
import { getCurrentPolicy } from '../policy/policy.service.js';
import { AppealPage } from './appeal-page.js';
import {
  COMMENT_DECISIONS,
  QUEUES,
  SANCTIONS,
  type CommentDecision,
  type Queue,
  type Sanction,
} from './moderation.js';
import { AppealCasePage, CommentCasePage } from './moderation-case-page.js';
import type { CaseRefusal } from './moderation-case-parts.js';
import {
  REV,
  clausesOf,
  filtersOf,
  oneOf,
  pageOf,
  param,
  queueOf,
  revOf,
  rowId,
  values,
  viewerId,
} from './moderation-input.js';
import { parseQueueFilters, type FilterField } from './moderation-desk-filters.js';
import { DeskPage, deskPath, filterQuery, type BulkRefusal } from './moderation-desk-page.js';
import {
  appealCase,
  claimComment,
  claimNext,
  commentCase,
  decideAppeal,
  decideBulk,
  decideComment,
  fileAppeal,
  listQueuePage,
  sanctionReader,
} from './moderation.service.js';

/**
 * The standards board's desk (access `board`: moderators, admins, and staff seated on the
 * board) and a reader's appeal. Handlers parse strictly, call one use case, and answer 303 to
 * the page that shows the result; a broken rule is the error page's, with its status.
 */

const BOARD = { config: { access: 'board' } } as const;
const READER = { config: { access: 'reader' } } as const;

export function registerModerationRoutes(app: FastifyInstance, deps: AppDeps, pages: Pages): void {
  for (const language of LANGUAGES) {
    const prefix = editionPrefix(language);
    const t = pages.bareContext(language).t;

    /** The queue page, with a refused filter or bulk decision shown back when there is one. */
    async function renderQueue(
      request: FastifyRequest,
      reply: FastifyReply,
      input: {
        queue: Queue;
        source: unknown;
        notice?: string | undefined;
        bulk?: Omit<BulkRefusal, 'refusal'> & { error: AppError };
      },
    ) {
      const { queue } = input;
      const { filters, form, problem } = parseQueueFilters(input.source);
      const pageNumber = pageOf(input.source);
      const [page, policy] = await Promise.all([
        listQueuePage(deps, { queue, filters, page: pageNumber }),
        getCurrentPolicy(deps),
      ]);
      const render = (
        ctx: FormContext,
        filterProblem?: { field: FilterField; message: string },
        bulk?: BulkRefusal,
      ) => (
        <DeskPage
          ctx={ctx}
          queue={queue}
          filters={filters}
          filterForm={form}
          filterProblem={filterProblem}
          bulk={bulk}
          page={page}
          pageNumber={pageNumber}
          policy={policy}
          viewerId={viewerId(request)}
          notice={input.notice}
          now={deps.clock()}
        />
      );
      const refused = { pages, request, reply, language };
      if (input.bulk) {
        const { error, ...kept } = input.bulk;
        return sendRefusedForm({ ...refused, error }, (ctx, refusal) =>
          render(ctx, undefined, { ...kept, refusal }),
        );
      }
      if (problem)
        return sendRefusedForm(
          { ...refused, error: new AppError('INVALID_PARAMETER', problem) },
          (ctx, refusal) => render(ctx, { field: problem, message: refusal.message }),
        );
      return pages.sendForm(request, reply, language, (ctx) => render(ctx));
    }

    /** A comment's case page with one of its forms sent back refused. */
    async function refusedCase(
      request: FastifyRequest,
      reply: FastifyReply,
      commentId: string,
      error: AppError,
      kept: Omit<CaseRefusal, 'refusal'>,
    ) {
      const found = await commentCase(deps, commentId);
      if (!found) throw error;
      return sendRefusedForm({ pages, request, reply, language, error }, (ctx, refusal) => (
        <CommentCasePage
          ctx={ctx}
          c={found}
          viewerId={viewerId(request)}
          notice={undefined}
          now={deps.clock()}
          refused={{ ...kept, refusal }}
        />
      ));
    }

    app.get(`${prefix}/moderation`, BOARD, (_request, reply) =>
      reply.redirect(deskPath(language, 'pending'), 303),
    );

    app.get(`${prefix}/moderation/queue/:queue`, BOARD, async (request, reply) => {
      const queue = queueOf(request);
      const decided = field(request.query, 'decided');
      const skipped = field(request.query, 'skipped');
      const notice =
        field(request.query, 'nothing') === '1'
          ? t.desk.nothingLeft
          : /^\d{1,3}$/.test(decided)
            ? t.desk.bulkDone(Number(decided), /^\d{1,3}$/.test(skipped) ? Number(skipped) : 0)
            : undefined;
      return renderQueue(request, reply, { queue, source: request.query, notice });
    });

    app.post(`${prefix}/moderation/queue/:queue/next`, BOARD, async (request, reply) => {
      const queue = queueOf(request);
      const filters = filtersOf(request.query);
      const id = await claimNext(deps, { queue, filters, moderatorId: viewerId(request) });
      if (!id) {
        const query = filterQuery(filters);
        return reply.redirect(
          `${deskPath(language, queue)}${query || '?'}${query ? '&' : ''}nothing=1`,
          303,
        );
      }
      const kind = queue === 'appeals' ? 'appeals' : 'comments';
      return reply.redirect(`${prefix}/moderation/${kind}/${id}`, 303);
    });

    app.get(`${prefix}/moderation/comments/:id`, BOARD, async (request, reply) => {
      const found = await commentCase(deps, param(request, 'id'));
      if (!found) throw new AppError('NOT_FOUND', 'comment');
      const decided = field(request.query, 'decided') === '1';
      return pages.sendForm(request, reply, language, (ctx) => (
        <CommentCasePage
          ctx={ctx}
          c={found}
          viewerId={viewerId(request)}
          notice={decided ? t.desk.decided : undefined}
          now={deps.clock()}
        />
      ));
    });

    app.post(`${prefix}/moderation/comments/:id/claim`, BOARD, async (request, reply) => {
      const commentId = param(request, 'id');
      await claimComment(deps, { commentId, moderatorId: viewerId(request) });
      return reply.redirect(`${prefix}/moderation/comments/${commentId}`, 303);
    });

    app.post(`${prefix}/moderation/comments/:id/decide`, BOARD, async (request, reply) => {
      const commentId = param(request, 'id');
      const decision: CommentDecision = oneOf(
        COMMENT_DECISIONS,
        field(request.body, 'decision'),
        'decision',
      );
      const clauses = clausesOf(request.body);
      const note = field(request.body, 'note');
      try {
        await decideComment(deps, {
          moderatorId: viewerId(request),
          commentId,
          rev: revOf(request.body),
          decision,
          clauses,
          note,
        });
      } catch (error) {
        if (!isRefusal(pages, error)) throw error;
        return refusedCase(request, reply, commentId, error, {
          form: 'decide',
          choice: decision,
          clauses,
          note,
        });
      }
      request.log.info({ ...requestLog(request), commentId, decision }, 'moderation decision');
      return reply.redirect(`${prefix}/moderation/comments/${commentId}?decided=1`, 303);
    });

    app.post(`${prefix}/moderation/bulk`, BOARD, async (request, reply) => {
      const queue = oneOf(QUEUES, field(request.body, 'queue'), 'queue');
      const items = values(request.body, 'item').map((v) => {
        const [id, rev] = v.split(':');
        if (!id || !ROW_ID.test(id) || !rev || !REV.test(rev))
          throw new AppError('BAD_REQUEST', 'item');
        return { id, rev: Number(rev) };
      });
      if (items.length > 100) throw new AppError('BAD_REQUEST', 'items');
      const decision = oneOf(COMMENT_DECISIONS, field(request.body, 'decision'), 'decision');
      const clauses = clausesOf(request.body);
      const note = field(request.body, 'note');
      // The queue the form was on, filters and page, comes back with the selection kept.
      const filters = filtersOf(request.body);
      let result;
      try {
        if (items.length === 0) throw new AppError('MODERATION_NOTHING_SELECTED');
        result = await decideBulk(deps, {
          moderatorId: viewerId(request),
          items,
          decision,
          clauses,
          note,
        });
      } catch (error) {
        if (!isRefusal(pages, error)) throw error;
        return renderQueue(request, reply, {
          queue,
          source: request.body,
          bulk: { items: items.map((i) => i.id), decision, clauses, note, error },
        });
      }
      request.log.info(
        { ...requestLog(request), decision, decided: result.decided, skipped: result.skipped },
        'moderation bulk decision',
      );
      const query = filterQuery(filters);
      return reply.redirect(
        `${deskPath(language, queue)}${query || '?'}${query ? '&' : ''}decided=${result.decided.length}&skipped=${result.skipped.length}`,
        303,
      );
    });

    app.post(`${prefix}/moderation/readers/:id/sanction`, BOARD, async (request, reply) => {
      const accountId = param(request, 'id');
      const sanction: Sanction = oneOf(SANCTIONS, field(request.body, 'sanction'), 'sanction');
      const days = field(request.body, 'days');
      const comment = field(request.body, 'comment');
      const commentId = comment ? rowId(comment, 'comment') : undefined;
      const clauses = clausesOf(request.body);
      const note = field(request.body, 'note');
      try {
        await sanctionReader(deps, {
          moderatorId: viewerId(request),
          accountId,
          rev: revOf(request.body),
          sanction,
          days: /^\d{1,3}$/.test(days) ? Number(days) : undefined,
          clauses,
          note,
          commentId,
        });
      } catch (error) {
        // The sanction form lives on a comment's case page: that page comes back, as it was.
        if (!isRefusal(pages, error) || !commentId) throw error;
        return refusedCase(request, reply, commentId, error, {
          form: 'sanction',
          choice: sanction,
          days,
          clauses,
          note,
        });
      }
      request.log.info({ ...requestLog(request), accountId, sanction }, 'reader sanctioned');
      return reply.redirect(
        commentId
          ? `${prefix}/moderation/comments/${commentId}?decided=1`
          : `${deskPath(language, 'recent')}?reader=${accountId}`,
        303,
      );
    });

    app.get(`${prefix}/moderation/appeals/:id`, BOARD, async (request, reply) => {
      const found = await appealCase(deps, param(request, 'id'));
      if (!found) throw new AppError('NOT_FOUND', 'appeal');
      return pages.sendForm(request, reply, language, (ctx) => (
        <AppealCasePage ctx={ctx} a={found} viewerId={viewerId(request)} now={deps.clock()} />
      ));
    });

    app.post(`${prefix}/moderation/appeals/:id/decide`, BOARD, async (request, reply) => {
      const appealId = param(request, 'id');
      const outcome = oneOf(
        ['upheld', 'granted'] as const,
        field(request.body, 'outcome'),
        'outcome',
      );
      const note = field(request.body, 'note');
      try {
        await decideAppeal(deps, {
          moderatorId: viewerId(request),
          appealId,
          rev: revOf(request.body),
          outcome,
          note,
        });
      } catch (error) {
        if (!isRefusal(pages, error)) throw error;
        const found = await appealCase(deps, appealId);
        if (!found) throw error;
        return sendRefusedForm({ pages, request, reply, language, error }, (ctx, refusal) => (
          <AppealCasePage
            ctx={ctx}
            a={found}
            viewerId={viewerId(request)}
            now={deps.clock()}
            refused={{ form: 'appeal', choice: outcome, clauses: [], note, refusal }}
          />
        ));
      }
      request.log.info({ ...requestLog(request), appealId, outcome }, 'appeal decided');
      return reply.redirect(`${deskPath(language, 'appeals')}?decided=1`, 303);
    });

    // The reader's side: the appeal form for a comment of theirs the board hid.
    async function ownHiddenComment(request: FastifyRequest) {
      const comment = await findComment(deps, param(request, 'id'));
      if (!comment || comment.authorId !== viewerId(request) || comment.status !== 'hidden')
        throw new AppError('NOT_FOUND', 'comment');
      return comment;
    }

    app.get(`${prefix}/account/comments/:id/appeal`, READER, async (request, reply) => {
      const comment = await ownHiddenComment(request);
      return pages.sendForm(request, reply, language, (ctx) => (
        <AppealPage
          ctx={ctx}
          commentId={comment.id}
          body={comment.body}
          reason=""
          error={undefined}
        />
      ));
    });

    app.post(`${prefix}/account/comments/:id/appeal`, READER, async (request, reply) => {
      const comment = await ownHiddenComment(request);
      const reason = field(request.body, 'reason');
      try {
        await fileAppeal(deps, { authorId: viewerId(request), commentId: comment.id, reason });
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
    });
  }
}
