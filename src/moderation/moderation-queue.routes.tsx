import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../http/app-error.js';
import { sendRefusedForm, isRefusal, type FormContext } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { route } from '../http/route.js';
import { formText, nothing, repeated } from '../http/schemas.js';
import { getCurrentPolicy } from '../policy/policy.service.js';
import { COMMENT_DECISIONS, QUEUES, type Queue } from './moderation.js';
import { DeskPage, deskPath, filterQuery, type BulkRefusal } from './moderation-desk-page.js';
import type { Edition } from './moderation.routes.js';
import {
  MODERATION_TAGS,
  checkQueueFilters,
  clauses,
  count,
  deskPage,
  filterForm,
  flag,
  queueFilters,
  queueParams,
  type FilterField,
  type FilterForm,
} from './moderation.schemas.js';
import { claimNext, decideBulk, listQueuePage } from './moderation.service.js';

/**
 * The desk's queues: a queue's page with its filters, "take the next item", and the bulk
 * decision its list is the form of.
 */

export function registerQueueRoutes(edition: Edition): void {
  const { app, language } = edition;
  route(
    app,
    {
      method: 'GET',
      url: `${edition.prefix}/moderation`,
      access: 'board',
      schema: { summary: 'The desk: sends the board to the held comments', tags: MODERATION_TAGS },
    },
    (_request, reply) => reply.redirect(deskPath(language, 'pending'), 303),
  );
  registerQueuePage(edition);
  registerNextItem(edition);
  registerBulkDecision(edition);
}

/** A queue's address, with what a redirect tells its page to say. */
const queueQuery = z.object({
  ...filterForm,
  page: deskPage,
  nothing: flag,
  decided: count,
  skipped: count,
});

function registerQueuePage(edition: Edition): void {
  const { app, prefix, t } = edition;
  route(
    app,
    {
      method: 'GET',
      url: `${prefix}/moderation/queue/:queue`,
      access: 'board',
      schema: {
        params: queueParams,
        querystring: queueQuery,
        summary: 'A queue of the desk, filtered, a page at a time',
        tags: MODERATION_TAGS,
      },
    },
    (request, reply) => {
      const { page, nothing: nothingLeft, decided, skipped, ...form } = request.query;
      const notice = nothingLeft
        ? t.desk.nothingLeft
        : decided === undefined
          ? undefined
          : t.desk.bulkDone(decided, skipped ?? 0);
      return sendQueue(edition, request, reply, {
        queue: request.params.queue,
        form,
        page,
        viewerId: request.viewer.accountId,
        notice,
      });
    },
  );
}

function registerNextItem(edition: Edition): void {
  const { app, deps, language, prefix } = edition;
  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/moderation/queue/:queue/next`,
      access: 'board',
      // The filters ride in the form's address; a bad one cannot be shown back from a button.
      schema: {
        params: queueParams,
        querystring: queueFilters,
        body: nothing,
        summary: 'Claims the next unclaimed item of a queue and opens it',
        tags: MODERATION_TAGS,
      },
    },
    async (request, reply) => {
      const { queue } = request.params;
      const filters = request.query;
      const id = await claimNext(deps, { queue, filters, moderatorId: request.viewer.accountId });
      if (!id) {
        const query = filterQuery(filters);
        return reply.redirect(
          `${deskPath(language, queue)}${query || '?'}${query ? '&' : ''}nothing=1`,
          303,
        );
      }
      const kind = queue === 'appeals' ? 'appeals' : 'comments';
      return reply.redirect(`${prefix}/moderation/${kind}/${id}`, 303);
    },
  );
}

/** A ticked comment of the list, `id:rev`: its id and the revision the moderator read. */
const BULK_ITEM = /^[1-9]\d{0,17}:\d{1,9}$/;
/** More than the list shows (a page of 50) is no form of ours. */
const BULK_MAX = 100;

const bulkBody = z.object({
  queue: z.enum(QUEUES),
  item: repeated(z.string().regex(BULK_ITEM))
    .refine((items) => items.length <= BULK_MAX)
    .transform((items) =>
      items.map((item) => {
        const colon = item.indexOf(':');
        return { id: item.slice(0, colon), rev: Number(item.slice(colon + 1)) };
      }),
    ),
  decision: z.enum(COMMENT_DECISIONS),
  clause: clauses,
  note: formText,
  // The queue the form was on, its filters and page, comes back with the selection kept.
  ...filterForm,
  page: formText,
});

function registerBulkDecision(edition: Edition): void {
  const { app, deps, language, pages, prefix } = edition;
  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/moderation/bulk`,
      access: 'board',
      schema: {
        body: bulkBody,
        summary: 'Decides the comments ticked on a queue page at once',
        tags: MODERATION_TAGS,
      },
    },
    async (request, reply) => {
      const { queue, item: items, decision, clause, note, page, ...form } = request.body;
      // The filters came from the queue's own page, which refused any bad one before: a bad one
      // here was sent by hand, and the request is refused as the queue's address would be.
      const { filters, problem } = checkQueueFilters(form);
      if (problem) throw new AppError('INVALID_PARAMETER', problem);
      const moderatorId = request.viewer.accountId;
      let result;
      try {
        if (items.length === 0) throw new AppError('MODERATION_NOTHING_SELECTED');
        result = await decideBulk(deps, { moderatorId, items, decision, clauses: clause, note });
      } catch (error) {
        if (!isRefusal(pages, error)) throw error;
        // The page number matters only to the queue shown back, so it is read only then, and
        // refused as the queue's address refuses it.
        const pageNumber = deskPage.safeParse(page);
        if (!pageNumber.success) throw new AppError('INVALID_PARAMETER', 'page');
        return sendQueue(edition, request, reply, {
          queue,
          form,
          page: pageNumber.data,
          viewerId: moderatorId,
          bulk: { items: items.map((i) => i.id), decision, clauses: clause, note, error },
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
    },
  );
}

/** A queue page to show: its filters as typed, and a refused bulk decision if there is one. */
type QueueView = Readonly<{
  queue: Queue;
  form: FilterForm;
  page: number;
  viewerId: string;
  notice?: string | undefined;
  bulk?: Omit<BulkRefusal, 'refusal'> & { error: AppError };
}>;

/** The queue page, with a refused filter or bulk decision shown back when there is one. */
async function sendQueue(
  { deps, pages, language }: Edition,
  request: FastifyRequest,
  reply: FastifyReply,
  view: QueueView,
) {
  const { queue, page: pageNumber } = view;
  const { filters, problem } = checkQueueFilters(view.form);
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
      filterForm={view.form}
      filterProblem={filterProblem}
      bulk={bulk}
      page={page}
      pageNumber={pageNumber}
      policy={policy}
      viewerId={view.viewerId}
      notice={view.notice}
      now={deps.clock()}
    />
  );
  const refused = { pages, request, reply, language };
  if (view.bulk) {
    const { error, ...kept } = view.bulk;
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
