import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Viewer } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import { errorText, wantsJson } from '../http/errors.js';
import type { Pages } from '../http/pages.js';
import { requestLog } from '../http/request-log.js';
import { route } from '../http/route.js';
import { rowId } from '../http/schemas.js';
import { editionPrefix, type Language } from '../lib/language.js';
import { newsroomPath, type NewsroomRegistrar } from './newsroom-layout.js';
import { ComparePage, RestoreKeptPage, RevisionsPage } from './newsroom-revisions-pages.js';
import {
  getRevision,
  getStory,
  listRevisions,
  restoreRevision,
  sectionChoices,
  type NewsroomDeps,
  type SaveOutcome,
} from './newsroom.service.js';
import { diffStory } from './revision-diff.js';
import { NEWSROOM_ROLES, may, type Story, type StoryActor } from './story.js';

/**
 * A story's revisions: the list, a readable diff between any two, and restoring one (saved again
 * as the newest revision; nothing is removed). Every newsroom role may read any story's
 * revisions; restoring is the `restore_revision` rule of story.ts.
 */

const tags = ['newsroom'];

/**
 * Revision numbers are PostgreSQL integers: a larger one is no revision, and is refused before
 * SQL (which would answer an out-of-range error, not an empty result): 404 in the address, 400 in
 * the query or the form.
 */
const REVISION_MAX = 2_147_483_647;
const revisionNumber = z.coerce.number().int().min(1).max(REVISION_MAX);

const storyParams = z.object({ id: rowId });
const revisionParams = z.object({ id: rowId, number: revisionNumber });
const compareQuery = z.object({ from: revisionNumber, to: revisionNumber });
/** The revision the page showed as the head: 0 for a story not yet saved in the newsroom. */
const restoreBody = z.object({ base: z.coerce.number().int().min(0).max(REVISION_MAX) });

/** The person as the story rules know them; the route admits the newsroom's roles alone. */
function actorOf(viewer: Viewer): StoryActor {
  const role = NEWSROOM_ROLES.find((r) => r === viewer.role);
  if (!role) throw new AppError('FORBIDDEN', `a ${viewer.role} on a newsroom route`);
  return { accountId: viewer.accountId, role };
}

async function requireStory(deps: NewsroomDeps, id: string): Promise<Story> {
  const story = await getStory(deps, id);
  if (!story) throw new AppError('NOT_FOUND', `No story ${id}`);
  return story;
}

export const registerNewsroomRevisionsRoutes: NewsroomRegistrar = (app, deps, pages, language) => {
  const stories = `${editionPrefix(language)}/newsroom/stories`;

  route(
    app,
    {
      method: 'GET',
      url: `${stories}/:id/revisions`,
      access: NEWSROOM_ROLES,
      schema: { params: storyParams, summary: 'Every revision of a story, newest first', tags },
    },
    async (request, reply) => {
      const actor = actorOf(request.viewer);
      const story = await requireStory(deps, request.params.id);
      if (!may(actor, 'view', story)) throw new AppError('STORY_NOT_ALLOWED', 'view revisions');
      const revisions = await listRevisions(deps, story.id);
      return pages.sendForm(request, reply, language, (ctx) => (
        <RevisionsPage
          ctx={ctx}
          role={actor.role}
          story={story}
          revisions={revisions}
          canRestore={may(actor, 'restore_revision', story)}
        />
      ));
    },
  );

  route(
    app,
    {
      method: 'GET',
      url: `${stories}/:id/compare`,
      access: NEWSROOM_ROLES,
      schema: {
        params: storyParams,
        querystring: compareQuery,
        summary: 'What changed between two revisions of a story',
        tags,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request.viewer);
      const story = await requireStory(deps, request.params.id);
      if (!may(actor, 'view', story)) throw new AppError('STORY_NOT_ALLOWED', 'compare revisions');
      const { from: fromNumber, to: toNumber } = request.query;
      const [from, to, revisions, sections] = await Promise.all([
        getRevision(deps, story.id, fromNumber),
        getRevision(deps, story.id, toNumber),
        listRevisions(deps, story.id),
        sectionChoices(deps),
      ]);
      if (!from || !to)
        throw new AppError('NOT_FOUND', `No revision ${fromNumber} or ${toNumber} of ${story.id}`);
      return pages.sendForm(request, reply, language, (ctx) => (
        <ComparePage
          ctx={ctx}
          role={actor.role}
          story={story}
          from={{ ...from, language: from.content.language }}
          to={{ ...to, language: to.content.language }}
          revisions={revisions}
          diff={diffStory(from.content, to.content)}
          sections={sections}
        />
      ));
    },
  );

  route(
    app,
    {
      method: 'POST',
      url: `${stories}/:id/revisions/:number/restore`,
      access: NEWSROOM_ROLES,
      schema: {
        params: revisionParams,
        body: restoreBody,
        summary: 'Restores a revision: its content saved again as the newest revision',
        tags,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request.viewer);
      const { id, number } = request.params;
      const outcome = await restoreRevision(deps, actor, id, number, request.body.base);
      request.log.info(
        { ...requestLog(request), story: id, restored: number, outcome: outcome.kind },
        'revision restored',
      );
      if (outcome.kind === 'saved') return reply.redirect(newsroomPath.story(language, id), 303);
      return sendKept(deps, pages, { request, reply, language, actor, id, outcome });
    },
  );
};

/**
 * A restore that could not become the head (a newer save, someone else in the editor): its text
 * is already kept as a revision, and the page says which, with the way to compare it.
 */
async function sendKept(
  deps: NewsroomDeps,
  pages: Pages,
  target: {
    request: FastifyRequest;
    reply: FastifyReply;
    language: Language;
    actor: StoryActor;
    id: string;
    outcome: Exclude<SaveOutcome, { kind: 'saved' }>;
  },
): Promise<FastifyReply> {
  const { request, reply, language, actor, id, outcome } = target;
  const code =
    outcome.kind === 'conflict'
      ? 'STORY_CONFLICT'
      : outcome.takenOver
        ? 'STORY_TAKEN_OVER'
        : 'STORY_LOCKED';
  reply.code(pages.errors[code].status);
  if (wantsJson(request)) {
    // The error handler's shape, with the revision that holds the text, for the client to link.
    const message = errorText(pages.errors, pages.bareContext(language), code);
    return reply
      .header('cache-control', 'no-store')
      .send({ error: { code, message, requestId: request.id, kept: outcome.kept } });
  }
  const story = await requireStory(deps, id);
  return pages.sendForm(request, reply, language, (ctx) => (
    <RestoreKeptPage
      ctx={ctx}
      role={actor.role}
      story={story}
      kept={outcome.kept}
      title={ctx.t.errorTitle[code]}
      message={errorText(pages.errors, ctx, code)}
    />
  ));
}
