import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Article, ArticleComments } from '../articles/article.js';
import { AppError } from '../http/app-error.js';
import { wantsJson } from '../http/errors.js';
import { sendHtml } from '../http/pages.js';
import { isRefusal, sendRefusedForm } from '../http/refused-form.js';
import { route } from '../http/route.js';
import { rowId } from '../http/schemas.js';
import { editionPrefix, type Language } from '../lib/language.js';
import { hasAcceptedCurrentPolicy } from '../policy/policy.service.js';
import type { ViewContext } from '../views/site.js';
import { CommentProblemPage } from './comment-form-pages.js';
import { CommentSection, LoginButtons, ThreadPageView } from './comment-thread-page.js';
import { COMMENT_BUNDLES } from './comments.feature.js';
import {
  COMMENT_TAGS,
  commentHtml,
  commentViewer,
  permissionsFor,
  permissionsOf,
  type CommentRoutesDeps,
} from './comments-http.js';
import { articleAddress, commentForm, threadQuery } from './comments.schemas.js';
import {
  findComment,
  findThread,
  listThreadPage,
  postComment,
  threadOf,
  type PostedComment,
} from './comments.service.js';
import { postedWire, threadPageWire } from './comments.wire.js';

/**
 * An article's thread: its pages (HTML, or JSON for a client that asks) and the form that posts
 * to it. A posted comment answers with a redirect to `#comment-<id>`, or JSON with the comment
 * rendered for the enhanced form; a refused one, without JavaScript, with the form again and
 * the reader's text in it.
 */

export function registerThreadRoutes(
  app: FastifyInstance,
  routes: CommentRoutesDeps,
  language: Language,
): void {
  registerThreadPage(app, routes, language);
  registerPostComment(app, routes, language);
}

/** The comments under an article page: the first page, newest first. */
export function articleCommentsOf(routes: CommentRoutesDeps) {
  const { deps, services } = routes;
  return async (
    ctx: ViewContext,
    article: Article,
    request: FastifyRequest,
  ): Promise<ArticleComments> => {
    const thread = await threadOf(deps, {
      id: article.id,
      language: article.language,
      path: article.path,
      headline: article.headline,
      publishedAt: article.publishedAt,
    });
    const page = await listThreadPage(deps, {
      articleId: article.id,
      sort: 'newest',
      after: undefined,
      viewer: commentViewer(request.viewer),
      count: thread.count,
    });
    const { can, policyVersion } = await permissionsFor(
      deps,
      request.viewer,
      ctx.csrfToken,
      thread,
    );
    const login = (
      <LoginButtons ctx={ctx} options={services.loginOptions} returnTo={article.path} />
    );
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
          loginButtons={login}
        />
      ),
    };
  };
}

function registerThreadPage(app: FastifyInstance, routes: CommentRoutesDeps, language: Language) {
  const { deps, pages, services } = routes;
  route(
    app,
    {
      method: 'GET',
      url: `${editionPrefix(language)}/articles/:articleId/comments`,
      access: 'public',
      schema: {
        params: articleAddress,
        querystring: threadQuery,
        summary: "A page of an article's comments, in a sort, from a cursor",
        tags: COMMENT_TAGS,
      },
    },
    async (request, reply) => {
      const { articleId } = request.params;
      const { sort, after } = request.query;
      const thread = await findThread(deps, articleId);
      if (!thread) throw new AppError('NOT_FOUND', `article ${articleId}`);
      const viewer = commentViewer(request.viewer);
      const page = await listThreadPage(deps, { articleId, sort, after, viewer });
      if (wantsJson(request))
        return reply.header('cache-control', 'no-store').send(threadPageWire(page));
      const ctx = await pages.context(language, request, reply);
      const { can, policyVersion } = await permissionsFor(
        deps,
        request.viewer,
        ctx.csrfToken,
        thread,
      );
      const path = thread.article.path;
      return sendHtml(
        reply,
        <ThreadPageView
          ctx={ctx}
          thread={thread}
          page={page}
          sort={sort}
          can={can}
          policyVersion={policyVersion}
          loginButtons={<LoginButtons ctx={ctx} options={services.loginOptions} returnTo={path} />}
        />,
      );
    },
  );
}

/**
 * A reply's parent as the form sent it: none, or a comment id. An id no page could have written
 * names a comment the reader cannot answer, refused as the use case refuses a missing parent.
 */
function parentOf(text: string): string | undefined {
  if (text === '') return undefined;
  if (!rowId.safeParse(text).success) throw new AppError('COMMENT_UNAVAILABLE', 'parent id');
  return text;
}

function registerPostComment(app: FastifyInstance, routes: CommentRoutesDeps, language: Language) {
  const { deps, pages } = routes;
  route(
    app,
    {
      method: 'POST',
      url: `${editionPrefix(language)}/articles/:articleId/comments`,
      access: 'reader',
      schema: {
        params: articleAddress,
        body: commentForm,
        summary: 'Posts a comment, or a reply, under an article',
        tags: COMMENT_TAGS,
      },
    },
    async (request, reply) => {
      const { articleId } = request.params;
      const { body, acceptPolicy } = request.body;
      const parentId = parentOf(request.body.parentId);
      const authorId = request.viewer.accountId;
      try {
        const posted = await postComment(deps, {
          articleId,
          authorId,
          body,
          parentId,
          acceptPolicyVersion: acceptPolicy,
        });
        if (wantsJson(request))
          return await sendPosted(routes, { language, authorId, request, reply }, posted);
        return await reply.redirect(`${encodeURI(posted.articlePath)}#comment-${posted.id}`, 303);
      } catch (error) {
        // Without JavaScript the reader sees why, and their text again: nothing typed is lost.
        // A suspension (403) is news to someone who has just written: it keeps the text too.
        // The enhanced form asked for JSON: the error handler's answer, without the form's lookups.
        if (!isRefusal(pages, error, { forbidden: true }) || wantsJson(request)) throw error;
        const thread = await findThread(deps, articleId);
        if (!thread) throw error;
        const policy = await hasAcceptedCurrentPolicy(deps, authorId);
        return sendRefusedForm({ pages, request, reply, language, error }, (ctx, refusal) => (
          <CommentProblemPage
            ctx={ctx}
            csrfToken={ctx.csrfToken}
            article={thread.article}
            parentId={parentId}
            message={refusal.message}
            text={body}
            policyVersion={policy.accepted ? null : policy.version}
          />
        ));
      }
    },
  );
}

/** The enhanced form's answer: the comment as its author sees it, to insert without a reload. */
async function sendPosted(
  routes: CommentRoutesDeps,
  answer: { language: Language; authorId: string; request: FastifyRequest; reply: FastifyReply },
  posted: PostedComment,
) {
  const { deps, pages } = routes;
  const { language, authorId, request, reply } = answer;
  const row = await findComment(deps, posted.id);
  const ctx = await pages.context(language, request, reply);
  // The reader just posted: the thread is open and the policy accepted.
  const can = permissionsOf(deps, {
    csrfToken: ctx.csrfToken,
    viewerId: authorId,
    threadOpen: true,
    policyVersion: null,
  });
  const html = row ? commentHtml(ctx, row, can) : '';
  return reply.code(201).header('cache-control', 'no-store').send(postedWire(posted, html));
}
