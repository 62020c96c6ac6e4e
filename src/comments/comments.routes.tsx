import { commentDecisions, readerStanding } from '../moderation/moderation-gate.service.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import type { Article, ArticleComments } from '../articles/article.js';
import { COMMENT_BUNDLES } from './comments.feature.js';
import type { AppDeps } from '../deps.js';
import { PUBLIC, cookieNames, sitsOnBoard, type Viewer } from '../http/access.js';
import { AppError, isAppError } from '../http/app-error.js';
import { errorText, wantsJson } from '../http/errors.js';
import { field } from '../http/form.js';
import { sendHtml, type Pages } from '../http/pages.js';
import { LANGUAGES, editionPrefix, type Language } from '../lib/language.js';
import { hasAcceptedCurrentPolicy } from '../policy/policy.service.js';
import type { ViewContext } from '../views/site.js';
import {
  ROW_ID,
  decodeCursor,
  isCommentSort,
  type CommentSort,
  type CommentViewer,
} from './comment.js';
import {
  CommentPageView,
  CommentProblemPage,
  CommentSection,
  DeleteCommentPage,
  EditCommentPage,
  MyCommentsPage,
  ReportCommentPage,
  ThreadPageView,
  type DeleteOrigin,
} from './comment-pages.js';
import { CommentItem, type CommentPermissions } from './comment-views.js';
import { CommentStream, sseEvent, type LiveSubscriber } from './comments.live.js';
import type { CommentRow } from './comments.queries.js';
import { findReportForm, reportComment } from './comments.reports.js';
import {
  deleteComment,
  editComment,
  editableUntil,
  findComment,
  findCommentThread,
  findThread,
  listMyComments,
  listPublishedSince,
  listThreadPage,
  postComment,
  threadOf,
  type Thread,
} from './comments.service.js';
import { voteOnComment } from './comments.voting.js';

/**
 * Readers' comment routes: thin handlers that parse, call one use case and answer as HTML (a
 * redirect to `#comment-<id>`, or a page that keeps the reader's text) or, for the enhanced
 * form, as JSON. Every POST passed the CSRF check in access.ts before it got here.
 */

export type LoginOption = { id: string; label: Readonly<{ en: string; ko: string }> };

function idParam(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, unknown>)[name];
  if (typeof value !== 'string' || !ROW_ID.test(value)) throw new AppError('NOT_FOUND', name);
  return value;
}

/**
 * Whether a failed form post is answered with its form again (the reader's text kept and the
 * reason shown), rather than by the error handler: a refused rule, for a browser without
 * JavaScript. The enhanced form asks for JSON and gets the error handler's JSON.
 */
function refusedForm(pages: Pages, request: FastifyRequest, error: unknown): error is AppError {
  return (
    !wantsJson(request) &&
    isAppError(error) &&
    pages.errors[error.code].status < 500 &&
    error.code !== 'NOT_FOUND'
  );
}

/**
 * Where a delete started: "My comments" says so (`from=account`, in the link and then the form);
 * anything else is the thread. Only this one value is read, so no address can be injected.
 */
function deleteOrigin(input: unknown): DeleteOrigin {
  return field(input, 'from') === 'account' ? 'account' : 'thread';
}

function commentViewer(viewer: Viewer | null): CommentViewer {
  if (!viewer) return null;
  return { accountId: viewer.accountId, moderator: sitsOnBoard(viewer) };
}

function sortOf(request: FastifyRequest): CommentSort {
  const sort = field(request.query, 'sort') || 'newest';
  if (!isCommentSort(sort)) throw new AppError('INVALID_PARAMETER', `sort ${sort}`);
  return sort;
}

/** A browser listening for new comments, with what its copy of a comment needs. */
type LiveListener = LiveSubscriber & {
  csrfToken: string | null;
  threadOpen: boolean;
  policyVersion: number | null;
};

export type CommentServices = {
  loginOptions: readonly LoginOption[];
  /** Every app process listens for comment changes (comments.live.ts); tests may leave it out. */
  listen?: (
    channel: string,
    onMessage: (payload: string) => void,
    onGap: () => void,
  ) => Promise<unknown>;
  /** A change to one article's comments: drop its cached page. */
  articleChanged: (articleId: string) => void;
};

export async function registerCommentRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
  services: CommentServices,
): Promise<{
  articleComments: (
    ctx: ViewContext,
    article: Article,
    request: FastifyRequest,
  ) => Promise<ArticleComments>;
}> {
  const { config } = deps;
  const csrfCookie = cookieNames(config).csrf;

  const permissions = async (
    viewer: Viewer | null,
    csrfToken: string | null,
    thread: Thread,
  ): Promise<{ can: CommentPermissions; policyVersion: number | null }> => {
    const policy = viewer ? await hasAcceptedCurrentPolicy(deps, viewer.accountId) : undefined;
    const policyVersion = policy && !policy.accepted ? policy.version : null;
    return {
      policyVersion,
      can: {
        csrfToken: viewer ? csrfToken : null,
        viewerId: viewer?.accountId ?? null,
        threadOpen: thread.open,
        replyDepth: config.comments.replyDepth,
        editMinutes: config.comments.editMinutes,
        now: deps.clock(),
        policyVersion,
      },
    };
  };

  const loginButtons = (ctx: ViewContext, returnTo: string) => {
    const prefix = editionPrefix(ctx.language);
    const href = `${prefix}/login?returnTo=${encodeURIComponent(`${returnTo}#comments`)}`;
    return (
      <ul class="comments-login-options">
        {services.loginOptions.map((option) => (
          <li key={option.id}>
            <a class={`login-option login-option-${option.id}`} href={href}>
              {ctx.t.loginWith(option.label[ctx.language])}
            </a>
          </li>
        ))}
        <li>
          <a class="login-option" href={href}>
            {ctx.t.commentsLogin}
          </a>
        </li>
      </ul>
    );
  };

  /** The comments under an article page: the first page, newest first. */
  const articleComments = async (ctx: ViewContext, article: Article, request: FastifyRequest) => {
    const thread = await threadOf(deps, {
      id: article.id,
      language: article.language,
      path: article.path,
      headline: article.headline,
      publishedAt: article.publishedAt,
    });
    const viewer = commentViewer(request.viewer);
    const page = await listThreadPage(deps, {
      articleId: article.id,
      sort: 'newest',
      after: undefined,
      viewer,
      count: thread.count,
    });
    const { can, policyVersion } = await permissions(request.viewer, ctx.csrfToken, thread);
    return {
      count: page.count,
      bundles: COMMENT_BUNDLES,
      section: (
        <CommentSection
          ctx={ctx}
          thread={thread}
          page={page}
          sort="newest"
          can={can}
          policyVersion={policyVersion}
          loginButtons={loginButtons(ctx, article.path)}
        />
      ),
    };
  };

  const renderComment = (ctx: ViewContext, comment: CommentRow, can: CommentPermissions): string =>
    renderToString(<CommentItem ctx={ctx} comment={{ ...comment, myVote: undefined }} can={can} />);

  const renderLive = (comment: CommentRow, subscriber: LiveListener): string =>
    renderComment(pages.bareContext(subscriber.language), comment, {
      csrfToken: subscriber.csrfToken,
      viewerId: subscriber.accountId,
      threadOpen: subscriber.threadOpen,
      replyDepth: config.comments.replyDepth,
      editMinutes: config.comments.editMinutes,
      now: deps.clock(),
      policyVersion: subscriber.policyVersion,
    });
  const stream = new CommentStream<LiveListener>(
    deps,
    renderLive,
    services.articleChanged,
    (subscriber) =>
      subscriber.accountId === null ? `anonymous:${subscriber.language}` : undefined,
  );
  if (services.listen) {
    await services.listen(
      'byline_comments',
      (payload) => {
        stream
          .receive(payload)
          .catch((error: unknown) => deps.log.warn({ err: error }, 'live comment delivery failed'));
      },
      () => deps.log.warn('live comments: notifications may have been missed'),
    );
  }
  /** Open live streams per client address, in this process. */
  const streamsByClient = new Map<string, number>();
  // Before the listener closes: a stopping server waits for open connections, and a stream
  // stays open until it is ended.
  app.addHook('preClose', (done) => {
    stream.close();
    done();
  });

  for (const language of LANGUAGES) registerEdition(language);

  function registerEdition(language: Language): void {
    const prefix = editionPrefix(language);

    app.post(
      `${prefix}/articles/:articleId/comments`,
      { config: { access: 'reader' } },
      async (request, reply) => {
        const articleId = idParam(request, 'articleId');
        const viewer = request.viewer as Viewer;
        const body = field(request.body, 'body');
        const parentId = field(request.body, 'parentId') || undefined;
        const accept = field(request.body, 'acceptPolicy');
        if (parentId !== undefined && !ROW_ID.test(parentId))
          throw new AppError('COMMENT_UNAVAILABLE', 'parent id');
        try {
          const posted = await postComment(deps, {
            articleId,
            authorId: viewer.accountId,
            body,
            parentId,
            acceptPolicyVersion: /^\d{1,6}$/.test(accept) ? Number(accept) : undefined,
          });
          if (wantsJson(request)) {
            const row = await findComment(deps, posted.id);
            const ctx = await pages.context(language, request, reply);
            // The reader just posted: the thread is open and the policy accepted.
            const html = row
              ? renderComment(ctx, row, {
                  csrfToken: ctx.csrfToken,
                  viewerId: viewer.accountId,
                  threadOpen: true,
                  replyDepth: config.comments.replyDepth,
                  editMinutes: config.comments.editMinutes,
                  now: deps.clock(),
                  policyVersion: null,
                })
              : '';
            return await reply
              .code(201)
              .header('cache-control', 'no-store')
              .send({
                comment: { id: posted.id, parentId: posted.rootId, status: posted.status },
                count: posted.count,
                html,
              });
          }
          return await reply.redirect(`${encodeURI(posted.articlePath)}#comment-${posted.id}`, 303);
        } catch (error) {
          // Without JavaScript the reader sees why, and their text again: nothing typed is lost.
          if (!refusedForm(pages, request, error)) throw error;
          const thread = await findThread(deps, articleId);
          if (!thread) throw error;
          const policy = await hasAcceptedCurrentPolicy(deps, viewer.accountId);
          reply.code(pages.errors[error.code].status);
          if (error.retryAfterSeconds !== undefined)
            reply.header('retry-after', String(error.retryAfterSeconds));
          return pages.sendForm(request, reply, language, (ctx) => (
            <CommentProblemPage
              ctx={ctx}
              csrfToken={ctx.csrfToken}
              article={thread.article}
              parentId={parentId}
              message={errorText(
                pages.errors,
                ctx,
                error.code,
                error.params,
                error.retryAfterSeconds,
              )}
              text={body}
              policyVersion={policy.accepted ? null : policy.version}
            />
          ));
        }
      },
    );

    app.get(`${prefix}/articles/:articleId/comments`, PUBLIC, async (request, reply) => {
      const articleId = idParam(request, 'articleId');
      const sort = sortOf(request);
      const afterText = field(request.query, 'after');
      const after = afterText ? decodeCursor(afterText, sort) : undefined;
      if (afterText && !after) throw new AppError('INVALID_PARAMETER', 'cursor');
      const thread = await findThread(deps, articleId);
      if (!thread) throw new AppError('NOT_FOUND', `article ${articleId}`);
      const page = await listThreadPage(deps, {
        articleId,
        sort,
        after,
        viewer: commentViewer(request.viewer),
      });
      if (wantsJson(request))
        return reply.header('cache-control', 'no-store').send({
          count: page.count,
          next: page.next ?? null,
          comments: page.comments.map((c) => serialise(c)),
        });
      const ctx = await pages.context(language, request, reply);
      const { can, policyVersion } = await permissions(request.viewer, ctx.csrfToken, thread);
      return sendHtml(
        reply,
        <ThreadPageView
          ctx={ctx}
          thread={thread}
          page={page}
          sort={sort}
          can={can}
          policyVersion={policyVersion}
          loginButtons={loginButtons(ctx, thread.article.path)}
        />,
      );
    });

    app.get(`${prefix}/articles/:articleId/comments/live`, PUBLIC, async (request, reply) => {
      const articleId = idParam(request, 'articleId');
      const thread = await findThread(deps, articleId);
      if (!thread) throw new AppError('NOT_FOUND', `article ${articleId}`);
      // HEAD learns that the stream exists, and holds nothing open.
      if (request.method === 'HEAD')
        return reply.header('cache-control', 'no-store').type('text/event-stream').send();
      // One address may hold a few streams (tabs, a household behind one router), not thousands.
      // Counted before any await, so concurrent connections cannot all pass the check.
      const client = request.ip;
      const held = streamsByClient.get(client) ?? 0;
      if (held >= config.comments.liveStreamsPerClient)
        throw new AppError('TOO_MANY_REQUESTS', `live streams of ${client}`, {
          retryAfterSeconds: 60,
        });
      streamsByClient.set(client, held + 1);
      const release = () => {
        const left = (streamsByClient.get(client) ?? 1) - 1;
        if (left > 0) streamsByClient.set(client, left);
        else streamsByClient.delete(client);
      };
      let subscriber: LiveListener;
      try {
        // A reply form in a live comment asks for the policy when this reader has not accepted it.
        const policy = request.viewer
          ? await hasAcceptedCurrentPolicy(deps, request.viewer.accountId)
          : undefined;
        const raw = reply.raw;
        subscriber = {
          articleId,
          language,
          accountId: request.viewer?.accountId ?? null,
          csrfToken: request.viewer ? (request.cookies[csrfCookie] ?? null) : null,
          threadOpen: thread.open,
          policyVersion: policy && !policy.accepted ? policy.version : null,
          write: (chunk: string) => void raw.write(chunk),
          end: () => raw.end(),
        };
      } catch (error) {
        release();
        throw error;
      }
      const unsubscribe = stream.subscribe(subscriber);
      if (!unsubscribe) {
        release();
        throw new AppError('SERVICE_UNAVAILABLE', 'too many live listeners');
      }
      const raw = reply.raw;
      // Proxies close quiet connections: a comment line every 25 s keeps this one open.
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 25_000);
      heartbeat.unref();
      raw.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        release();
      });
      reply.hijack();
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        // When the stream ends (the process stops), so does its connection: the browser's
        // reconnect opens a new one, which a load balancer sends to another process.
        connection: 'close',
      });
      raw.write('retry: 5000\n\n');
      // A browser that reconnects names the last comment it saw: send what it missed meanwhile,
      // replies included. It is already subscribed, so a comment may come twice; the page keeps
      // one (it skips an id it has).
      const lastId = request.headers['last-event-id'];
      if (typeof lastId === 'string' && ROW_ID.test(lastId)) {
        const missed = await listPublishedSince(deps, { articleId, afterId: lastId, limit: 50 });
        for (const comment of missed.comments)
          raw.write(
            sseEvent('comment', comment.id, {
              id: comment.id,
              parentId: comment.rootId,
              count: missed.count,
              html: renderLive(comment, subscriber),
            }),
          );
      }
    });

    app.get(`${prefix}/comments/:commentId`, PUBLIC, async (request, reply) => {
      const commentId = idParam(request, 'commentId');
      const found = await findCommentThread(deps, commentId, commentViewer(request.viewer));
      if (!found) throw new AppError('NOT_FOUND', `comment ${commentId}`);
      const ctx = await pages.context(language, request, reply);
      const { can } = await permissions(request.viewer, ctx.csrfToken, found.thread);
      return sendHtml(
        reply,
        <CommentPageView ctx={ctx} thread={found.thread} comment={found.comment} can={can} />,
      );
    });

    app.post(
      `${prefix}/comments/:commentId/vote`,
      { config: { access: 'reader' } },
      async (request, reply) => {
        const commentId = idParam(request, 'commentId');
        const value = field(request.body, 'value');
        if (value !== 'up' && value !== 'down') throw new AppError('BAD_REQUEST', `vote ${value}`);
        const result = await voteOnComment(deps, {
          commentId,
          accountId: (request.viewer as Viewer).accountId,
          vote: value,
        });
        if (wantsJson(request)) return reply.header('cache-control', 'no-store').send(result);
        return reply.redirect(`${prefix}/comments/${commentId}`, 303);
      },
    );

    app.get(
      `${prefix}/comments/:commentId/edit`,
      { config: { access: 'reader' } },
      async (request, reply) => {
        const comment = await ownComment(request);
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

    app.post(
      `${prefix}/comments/:commentId/edit`,
      { config: { access: 'reader' } },
      async (request, reply) => {
        const comment = await ownComment(request);
        const body = field(request.body, 'body');
        try {
          await editComment(deps, { commentId: comment.id, authorId: comment.authorId, body });
        } catch (error) {
          if (!refusedForm(pages, request, error)) throw error;
          reply.code(pages.errors[error.code].status);
          return pages.sendForm(request, reply, language, (ctx) => (
            <EditCommentPage
              ctx={ctx}
              commentId={comment.id}
              text={body}
              until={editableUntil(deps, comment.createdAt)}
              error={errorText(pages.errors, ctx, error.code, error.params)}
            />
          ));
        }
        return reply.redirect(`${prefix}/comments/${comment.id}`, 303);
      },
    );

    app.get(
      `${prefix}/comments/:commentId/delete`,
      { config: { access: 'reader' } },
      async (request, reply) => {
        const comment = await ownComment(request);
        const from = deleteOrigin(request.query);
        return pages.sendForm(request, reply, language, (ctx) => (
          <DeleteCommentPage ctx={ctx} commentId={comment.id} text={comment.body} from={from} />
        ));
      },
    );

    app.post(
      `${prefix}/comments/:commentId/delete`,
      { config: { access: 'reader' } },
      async (request, reply) => {
        const commentId = idParam(request, 'commentId');
        const from = deleteOrigin(request.body);
        const deleted = await deleteComment(deps, {
          commentId,
          authorId: (request.viewer as Viewer).accountId,
        });
        if (wantsJson(request))
          return reply.header('cache-control', 'no-store').send({ deleted: commentId });
        // Back where the reader was: their list, or the thread at the comment's place.
        if (from === 'account' || deleted.articlePath === undefined)
          return reply.redirect(`${prefix}/account/comments`, 303);
        return reply.redirect(`${encodeURI(deleted.articlePath)}#${deleted.anchor}`, 303);
      },
    );

    app.get(
      `${prefix}/comments/:commentId/report`,
      { config: { access: 'reader' } },
      async (request, reply) => {
        const comment = await visibleComment(request);
        const form = await findReportForm(deps, {
          commentId: comment.id,
          reporterId: (request.viewer as Viewer).accountId,
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

    app.post(
      `${prefix}/comments/:commentId/report`,
      { config: { access: 'reader' } },
      async (request, reply) => {
        const comment = await visibleComment(request);
        const clauseText = field(request.body, 'clause');
        const note = field(request.body, 'note');
        const reporterId = (request.viewer as Viewer).accountId;
        try {
          if (!/^\d{1,6}$/.test(clauseText))
            throw new AppError('COMMENT_REPORT_INVALID', 'no clause');
          await reportComment(deps, {
            commentId: comment.id,
            reporterId,
            clause: Number(clauseText),
            note,
          });
        } catch (error) {
          if (!refusedForm(pages, request, error)) throw error;
          const form = await findReportForm(deps, { commentId: comment.id, reporterId });
          reply.code(pages.errors[error.code].status);
          return pages.sendForm(request, reply, language, (ctx) => (
            <ReportCommentPage
              ctx={ctx}
              commentId={comment.id}
              text={comment.body}
              clauses={form.clauses}
              state={form.reported ? 'reported' : 'form'}
              note={note}
              error={errorText(pages.errors, ctx, error.code, error.params)}
            />
          ));
        }
        if (wantsJson(request))
          return reply.code(201).header('cache-control', 'no-store').send({ reported: comment.id });
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

    app.get(
      `${prefix}/account/comments`,
      { config: { access: 'reader' } },
      async (request, reply) => {
        const beforeText = field(request.query, 'before');
        let before: { createdAt: Date; id: string } | undefined;
        if (beforeText) {
          const [time, id] = beforeText.split('_');
          if (!time || !id || !ROW_ID.test(id) || Number.isNaN(Date.parse(time)))
            throw new AppError('INVALID_PARAMETER', 'before');
          before = { createdAt: new Date(time), id };
        }
        const authorId = (request.viewer as Viewer).accountId;
        const mine = await listMyComments(deps, { authorId, before });
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

  /** The viewer's own comment, not deleted; anyone else's is "not found", never "forbidden". */
  async function ownComment(request: FastifyRequest): Promise<CommentRow> {
    const comment = await findComment(deps, idParam(request, 'commentId'));
    if (!comment || comment.status === 'deleted' || comment.authorId !== request.viewer?.accountId)
      throw new AppError('NOT_FOUND', 'comment');
    return comment;
  }

  async function visibleComment(request: FastifyRequest): Promise<CommentRow> {
    const comment = await findComment(deps, idParam(request, 'commentId'));
    if (!comment || comment.status !== 'published') throw new AppError('NOT_FOUND', 'comment');
    return comment;
  }

  return { articleComments };
}

/** The wire format of a comment: a promise to clients, so written out by hand, field by field. */
function serialise(
  c: CommentRow & {
    myVote: number | undefined;
    replies?: (CommentRow & { myVote: number | undefined })[];
  },
): unknown {
  const shown = c.status === 'published' || c.status === 'pending';
  return {
    id: c.id,
    parentId: c.parentId,
    status: c.status,
    author: shown ? (c.authorDeleted ? null : c.authorName) : null,
    body: shown ? c.body : null,
    up: c.up,
    down: c.down,
    replyCount: c.replyCount,
    createdAt: c.createdAt.toISOString(),
    editedAt: c.editedAt?.toISOString() ?? null,
    myVote: c.myVote === 1 ? 'up' : c.myVote === -1 ? 'down' : null,
    ...(c.replies ? { replies: c.replies.map((r) => serialise(r)) } : {}),
  };
}
