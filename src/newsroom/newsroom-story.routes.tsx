import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { articlePreviewPage } from '../articles/article-preview.service.js';
import type { Viewer } from '../http/access.js';
import { AppError, isAppError } from '../http/app-error.js';
import { errorText, wantsJson } from '../http/errors.js';
import { htmlDocument, type Pages } from '../http/pages.js';
import { isRefusal, sendRefusedForm } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { route } from '../http/route.js';
import { checkbox, formText, nothing, rowId } from '../http/schemas.js';
import type { Language } from '../lib/language.js';
import { zonedInstant } from '../lib/zoned-time.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import { newsroomPath, type NewsroomRegistrar } from './newsroom-layout.js';
import {
  formOfContent,
  storyContentOf,
  storyFormSchema,
  type StoryForm,
  type StoryProblem,
} from './newsroom-story-form.js';
import { StoryPage, type StoryDetails } from './newsroom-story-page.js';
import * as newsroom from './newsroom.service.js';
import { LATE_AFTER_SECONDS, NEWSROOM_ROLES, type StoryActor } from './story.js';

/**
 * A story's pages: the editor (new and existing), its saves (the form, and the editor script's
 * autosave and presence, which answer JSON), the workflow's steps, notes and the preview.
 */

const tags = ['newsroom'];
const storyParams = z.object({ id: rowId });
const doneQuery = z.object({ done: z.enum(['saved', 'done']).optional().catch(undefined) });

export function actorOf(viewer: Viewer): StoryActor {
  const role = NEWSROOM_ROLES.find((r) => r === viewer.role);
  // The routes admit these roles only; anything else is a defect in a route's access.
  if (!role) throw new AppError('FORBIDDEN', `role ${viewer.role} in the newsroom`);
  return { accountId: viewer.accountId, role };
}

type PageOptions = {
  id?: string | undefined;
  form?: StoryForm | undefined;
  problem?: StoryProblem | undefined;
  refusal?: string | undefined;
  notice?: string | undefined;
};

async function storyDetails(
  deps: newsroom.NewsroomDeps,
  actor: StoryActor,
  id: string,
  language: Language,
): Promise<StoryDetails> {
  const story = await newsroom.getStory(deps, id);
  if (!story) throw new AppError('NOT_FOUND', `No story ${id}`);
  const [notes, lock, link, slugTaken] = await Promise.all([
    newsroom.listNotes(deps, id),
    newsroom.currentLock(deps, actor, id),
    newsroom.signPreviewLink(deps, id),
    newsroom.isSlugTaken(deps, story),
  ]);
  const now = deps.clock();
  return {
    story,
    notes,
    lock,
    previewLink: `${deps.config.publicUrl}${language === 'ko' ? '/ko' : ''}/preview/${id}?expires=${String(link.expires)}&signature=${link.signature}`,
    late:
      story.status === 'scheduled' &&
      story.scheduledFor !== null &&
      now.getTime() - story.scheduledFor.getTime() > LATE_AFTER_SECONDS * 1000,
    slugTaken,
  };
}

/** The story page, for a new story or an existing one, with what the request brought. */
async function sendStoryPage(
  deps: newsroom.NewsroomDeps,
  pages: Pages,
  target: { request: FastifyRequest; reply: FastifyReply; language: Language; actor: StoryActor },
  options: PageOptions,
  error?: AppError,
): Promise<FastifyReply> {
  const { request, reply, language, actor } = target;
  const details = options.id ? await storyDetails(deps, actor, options.id, language) : undefined;
  const otherLanguage =
    (options.form?.language ?? details?.story.content.language ?? language) === 'en' ? 'ko' : 'en';
  const [sections, people, translations] = await Promise.all([
    newsroom.sectionChoices(deps),
    newsroom.bylineChoices(deps),
    newsroom.translationChoices(deps, otherLanguage),
  ]);
  const form =
    options.form ??
    (details
      ? formOfContent(details.story.content, details.story.headRevision)
      : newStoryForm(language, sections[0]?.slug ?? ''));
  const page = (
    ctx: Parameters<typeof StoryPage>[0]['ctx'],
    csrfToken: string,
    refusal?: string,
  ) => (
    <StoryPage
      ctx={ctx}
      csrfToken={csrfToken}
      actor={actor}
      timeZone={deps.config.timeZone}
      form={form}
      sections={sections}
      people={people}
      translations={translations.filter((t) => t.id !== options.id)}
      problem={options.problem}
      refusal={refusal ?? options.refusal}
      notice={options.notice}
      story={details}
    />
  );
  if (!error) return pages.sendForm(request, reply, language, (ctx) => page(ctx, ctx.csrfToken));
  return sendRefusedForm({ pages, request, reply, language, error }, (ctx, refusal) =>
    page(ctx, ctx.csrfToken, options.problem ? undefined : refusal.message),
  );
}

function newStoryForm(language: Language, section: string): StoryForm {
  return {
    headline: '',
    summary: '',
    body: JSON.stringify({ type: 'doc', content: [{ type: 'paragraph' }] }),
    slug: '',
    section,
    tags: '',
    bylineName: [],
    bylineEmail: [],
    credit: '',
    language,
    translation: '',
    imageSrc: '',
    imageAlt: '',
    imageCaption: '',
    imageCredit: '',
  };
}

export const registerNewsroomStoryRoutes: NewsroomRegistrar = (app, deps, pages, language) => {
  const prefix = newsroomPath.home(language);
  const viewerOf = (request: FastifyRequest) => {
    if (!request.viewer) throw new AppError('FORBIDDEN', 'no viewer on a staff route');
    return actorOf(request.viewer);
  };

  route(
    app,
    {
      method: 'GET',
      url: `${prefix}/stories/new`,
      access: NEWSROOM_ROLES,
      schema: { summary: 'The editor for a new story', tags },
    },
    (request, reply) =>
      sendStoryPage(deps, pages, { request, reply, language, actor: viewerOf(request) }, {}),
  );

  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/stories`,
      access: NEWSROOM_ROLES,
      schema: { body: storyFormSchema, summary: 'Creates a story from the editor’s form', tags },
      bodyLimit: STORY_BODY_LIMIT_BYTES,
    },
    async (request, reply) => {
      const actor = viewerOf(request);
      const form = request.body;
      const target = { request, reply, language, actor };
      const sections = (await newsroom.sectionChoices(deps)).map((s) => s.slug);
      const parsed = storyContentOf(form, sections);
      if (!parsed.ok) return refuseForm(deps, pages, target, { form, problem: parsed.problem });
      let id: string;
      try {
        ({ id } = await newsroom.createStory(deps, actor, parsed.content, {
          slugGiven: form.slug.trim() !== '',
        }));
      } catch (error) {
        if (!isRefusal(pages, error)) throw error;
        return await sendStoryPage(deps, pages, target, { form }, error);
      }
      request.log.info({ ...requestLog(request), story: id }, 'story created');
      return reply.redirect(`${newsroomPath.story(language, id)}?done=saved`, 303);
    },
  );

  route(
    app,
    {
      method: 'GET',
      url: `${prefix}/stories/:id`,
      access: NEWSROOM_ROLES,
      schema: {
        params: storyParams,
        querystring: doneQuery,
        summary: 'A story’s editor and workflow',
        tags,
      },
    },
    async (request, reply) => {
      const actor = viewerOf(request);
      const ctx = await pages.context(language, request);
      const notice =
        request.query.done === 'saved'
          ? ctx.t.storySavedNotice
          : request.query.done === 'done'
            ? ctx.t.storyDoneNotice
            : undefined;
      return sendStoryPage(
        deps,
        pages,
        { request, reply, language, actor },
        { id: request.params.id, notice },
      );
    },
  );

  registerSaves(app, deps, pages, language, viewerOf);
  registerWorkflow(app, deps, pages, language, viewerOf);
  registerPreview(app, deps, pages, language, viewerOf);
};

/**
 * The editor's form carries the whole story: a long Korean article, URL-encoded (nine bytes a
 * syllable), with its document's JSON, outgrows the 64 KiB other forms get.
 */
const STORY_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

function refuseForm(
  deps: newsroom.NewsroomDeps,
  pages: Pages,
  target: { request: FastifyRequest; reply: FastifyReply; language: Language; actor: StoryActor },
  options: PageOptions & { form: StoryForm; problem: StoryProblem },
): Promise<FastifyReply> {
  const code = options.problem.field === 'body' ? 'STORY_DOCUMENT_INVALID' : 'STORY_INVALID';
  return sendStoryPage(
    deps,
    pages,
    target,
    options,
    new AppError(code, `${options.problem.field}: ${options.problem.kind}`),
  );
}

type ViewerOf = (request: FastifyRequest) => StoryActor;

/** The JSON a refused autosave answers with: the error, and the field's own message. */
async function jsonProblem(
  pages: Pages,
  request: FastifyRequest,
  reply: FastifyReply,
  language: Language,
  problem: StoryProblem,
): Promise<FastifyReply> {
  const ctx = await pages.context(language);
  const code = problem.field === 'body' ? 'STORY_DOCUMENT_INVALID' : 'STORY_INVALID';
  const message =
    ctx.t.storyProblem[`${problem.field}_${problem.kind}` as keyof typeof ctx.t.storyProblem];
  request.log.info({ ...requestLog(request), code, problem }, 'story save refused');
  return reply
    .code(pages.errors[code].status)
    .send({ error: { code, message }, field: problem.field });
}

/** A save from the story's form or the editor's script: the form read, then the use case. */
async function saveFromRequest(
  deps: newsroom.NewsroomDeps,
  viewerOf: ViewerOf,
  request: FastifyRequest<{ Params: { id: string }; Body: StoryForm }>,
) {
  const actor = viewerOf(request);
  const form = request.body;
  const sections = (await newsroom.sectionChoices(deps)).map((s) => s.slug);
  const parsed = storyContentOf(form, sections);
  if (!parsed.ok) return { actor, form, problem: parsed.problem } as const;
  const outcome = await newsroom.saveStory(
    deps,
    actor,
    request.params.id,
    form.base ?? 0,
    parsed.content,
  );
  request.log.info(
    { ...requestLog(request), story: request.params.id, outcome: outcome.kind },
    'story saved',
  );
  return { actor, form, outcome } as const;
}

/** The story form posted without the editor's script (or by its Save button): a page back. */
function registerFormSave(
  app: Parameters<NewsroomRegistrar>[0],
  deps: newsroom.NewsroomDeps,
  pages: Pages,
  language: Language,
  viewerOf: ViewerOf,
): void {
  const prefix = newsroomPath.home(language);

  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/stories/:id/save`,
      access: NEWSROOM_ROLES,
      schema: {
        params: storyParams,
        body: storyFormSchema,
        summary: 'Saves a story from its form',
        tags,
      },
      bodyLimit: STORY_BODY_LIMIT_BYTES,
    },
    async (request, reply) => {
      const result = await saveFromRequest(deps, viewerOf, request);
      const target = { request, reply, language, actor: result.actor };
      const id = request.params.id;
      if ('problem' in result)
        return refuseForm(deps, pages, target, { id, form: result.form, problem: result.problem });
      const { outcome } = result;
      if (outcome.kind === 'saved')
        return reply.redirect(`${newsroomPath.story(language, id)}?done=saved`, 303);
      const ctx = await pages.context(language);
      const refusal =
        outcome.kind === 'conflict'
          ? ctx.t.storyConflict(String(outcome.kept), String(outcome.head))
          : outcome.takenOver
            ? ctx.t.storyTakenFromYou(outcome.holder)
            : errorText(pages.errors, ctx, 'STORY_LOCKED');
      const code =
        outcome.kind === 'conflict'
          ? 'STORY_CONFLICT'
          : outcome.takenOver
            ? 'STORY_TAKEN_OVER'
            : 'STORY_LOCKED';
      reply.code(pages.errors[code].status);
      return sendStoryPage(deps, pages, target, { id, form: result.form, refusal });
    },
  );
}

/** The editor's autosave: the same form, answered in JSON. */
function registerAutosave(
  app: Parameters<NewsroomRegistrar>[0],
  deps: newsroom.NewsroomDeps,
  pages: Pages,
  language: Language,
  viewerOf: ViewerOf,
): void {
  const prefix = newsroomPath.home(language);

  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/stories/:id/autosave`,
      access: NEWSROOM_ROLES,
      schema: {
        params: storyParams,
        body: storyFormSchema,
        summary: 'The editor’s autosave (JSON)',
        tags,
      },
      bodyLimit: STORY_BODY_LIMIT_BYTES,
    },
    async (request, reply) => {
      const result = await saveFromRequest(deps, viewerOf, request);
      if ('problem' in result) return jsonProblem(pages, request, reply, language, result.problem);
      const { outcome } = result;
      const id = request.params.id;
      const ctx = await pages.context(language);
      switch (outcome.kind) {
        case 'saved':
          return reply.send({
            revision: outcome.revision,
            savedAt: outcome.savedAt.toISOString(),
            savedAtText: formatNewsroomDateTime(outcome.savedAt, deps.config.timeZone, language),
            ...(outcome.slugTaken ? { warning: ctx.t.storySlugTaken } : {}),
          });
        case 'conflict':
          return reply.code(409).send({
            error: {
              code: 'STORY_CONFLICT',
              message: ctx.t.storyConflict(String(outcome.kept), String(outcome.head)),
            },
            conflict: {
              kept: outcome.kept,
              head: outcome.head,
              diff: `${newsroomPath.story(language, id)}/compare?from=${String(outcome.head)}&to=${String(outcome.kept)}`,
            },
          });
        case 'locked': {
          const code = outcome.takenOver ? 'STORY_TAKEN_OVER' : 'STORY_LOCKED';
          return reply.code(423).send({
            error: {
              code,
              message: outcome.takenOver
                ? ctx.t.storyTakenFromYou(outcome.holder)
                : errorText(pages.errors, ctx, code),
            },
            kept: outcome.kept,
          });
        }
      }
    },
  );
}

/** The editor says it is open; the answer says who holds the story. */
function registerPresence(
  app: Parameters<NewsroomRegistrar>[0],
  deps: newsroom.NewsroomDeps,
  pages: Pages,
  language: Language,
  viewerOf: ViewerOf,
): void {
  const prefix = newsroomPath.home(language);

  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/stories/:id/presence`,
      access: NEWSROOM_ROLES,
      schema: {
        params: storyParams,
        body: nothing,
        summary: 'The editor says it is open (JSON)',
        tags,
      },
    },
    async (request, reply) => {
      const actor = viewerOf(request);
      const presence = await newsroom.heartbeat(deps, actor, request.params.id);
      const ctx = await pages.context(language);
      const { holder } = presence;
      const since = holder
        ? formatNewsroomDateTime(holder.since, deps.config.timeZone, language)
        : '';
      const message = !holder
        ? ''
        : presence.takenFromYou
          ? ctx.t.storyTakenFromYou(holder.name)
          : holder.you
            ? ctx.t.storyEditingYou(since)
            : ctx.t.storyEditingSince(holder.name, since);
      return reply.header('cache-control', 'no-store').send({
        holder: holder
          ? { name: holder.name, since: holder.since.toISOString(), you: holder.you }
          : null,
        takenFromYou: presence.takenFromYou,
        message,
      });
    },
  );
}

function registerSaves(
  app: Parameters<NewsroomRegistrar>[0],
  deps: newsroom.NewsroomDeps,
  pages: Pages,
  language: Language,
  viewerOf: ViewerOf,
): void {
  registerFormSave(app, deps, pages, language, viewerOf);
  registerAutosave(app, deps, pages, language, viewerOf);
  registerPresence(app, deps, pages, language, viewerOf);
}

/** One workflow step: a POST form on the story's page, answered by going back to it. */
function step<B extends z.ZodType>(
  app: Parameters<NewsroomRegistrar>[0],
  deps: newsroom.NewsroomDeps,
  pages: Pages,
  language: Language,
  viewerOf: ViewerOf,
  what: string,
  body: B,
  run: (actor: StoryActor, id: string, body: z.infer<B>) => Promise<void>,
): void {
  route(
    app,
    {
      method: 'POST',
      url: `${newsroomPath.home(language)}/stories/:id/${what}`,
      access: NEWSROOM_ROLES,
      schema: { params: storyParams, body, summary: `A story’s workflow: ${what}`, tags },
    },
    async (request, reply) => {
      const actor = viewerOf(request);
      const id = request.params.id;
      try {
        await run(actor, id, request.body as z.infer<B>);
      } catch (error) {
        if (!isRefusal(pages, error, { forbidden: true }) && !isInvalid(pages, error)) throw error;
        return sendStoryPage(deps, pages, { request, reply, language, actor }, { id }, error);
      }
      request.log.info({ ...requestLog(request), story: id, step: what }, 'story workflow step');
      if (wantsJson(request)) return reply.send({ ok: true });
      return reply.redirect(`${newsroomPath.story(language, id)}?done=done`, 303);
    },
  );
}

/** A rule broken on a side form (a note too long, a time in the past): shown on the page. */
function isInvalid(pages: Pages, error: unknown): error is AppError {
  return isAppError(error) && pages.errors[error.code].status === 422;
}

const noteBody = z.object({ note: formText });
const publishBody = z.object({ minor: checkbox });
const whenBody = z.object({ date: formText, time: formText });
const correctionBody = z.object({ kind: formText, body: formText });

function instantOf(deps: newsroom.NewsroomDeps, when: { date: string; time: string }): Date {
  const instant = zonedInstant(when.date, when.time, deps.config.timeZone);
  if (!instant) throw new AppError('STORY_SCHEDULE_INVALID', `${when.date} ${when.time}`);
  return instant;
}

function registerWorkflow(
  app: Parameters<NewsroomRegistrar>[0],
  deps: newsroom.NewsroomDeps,
  pages: Pages,
  language: Language,
  viewerOf: ViewerOf,
): void {
  const on = <B extends z.ZodType>(
    what: string,
    body: B,
    run: (actor: StoryActor, id: string, body: z.infer<B>) => Promise<void>,
  ) => step(app, deps, pages, language, viewerOf, what, body, run);
  on('submit', nothing, (actor, id) => newsroom.submitStory(deps, actor, id));
  on('send-back', noteBody, (actor, id, body) => newsroom.sendBack(deps, actor, id, body.note));
  on('publish', publishBody, (actor, id, body) =>
    newsroom.publishNow(deps, actor, id, { minor: body.minor }),
  );
  on('schedule', whenBody, (actor, id, body) =>
    newsroom.scheduleStory(deps, actor, id, instantOf(deps, body)),
  );
  on('unschedule', nothing, (actor, id) => newsroom.unscheduleStory(deps, actor, id));
  on('unpublish', nothing, (actor, id) => newsroom.unpublishStory(deps, actor, id));
  on('archive', nothing, (actor, id) => newsroom.archiveStory(deps, actor, id));
  on('embargo', whenBody, (actor, id, body) =>
    newsroom.setEmbargo(deps, actor, id, instantOf(deps, body)),
  );
  on('embargo/lift', nothing, (actor, id) => newsroom.setEmbargo(deps, actor, id, null));
  on('take-over', nothing, (actor, id) => newsroom.takeOver(deps, actor, id));
  on('notes', noteBody, (actor, id, body) => newsroom.addNote(deps, actor, id, body.note));
  on('corrections', correctionBody, (actor, id, body) =>
    newsroom.correctStory(deps, actor, id, body),
  );
}

const previewQuery = z.object({
  expires: z
    .string()
    .regex(/^\d{1,12}$/)
    .transform(Number),
  signature: z.string().regex(/^[\w-]{20,100}$/),
});

function registerPreview(
  app: Parameters<NewsroomRegistrar>[0],
  deps: newsroom.NewsroomDeps,
  pages: Pages,
  language: Language,
  viewerOf: ViewerOf,
): void {
  const render = async (request: FastifyRequest, reply: FastifyReply, id: string) => {
    const article = await newsroom.previewStory(deps, id);
    if (!article) throw new AppError('NOT_FOUND', `No story ${id}`);
    const ctx = await pages.context(language, request, reply);
    return reply
      .header('cache-control', 'private, no-store')
      .header('x-robots-tag', 'noindex')
      .type('text/html; charset=utf-8')
      .send(htmlDocument(articlePreviewPage(ctx, article, ctx.t.storyPreviewBanner)));
  };
  route(
    app,
    {
      method: 'GET',
      url: `${newsroomPath.home(language)}/stories/:id/preview`,
      access: NEWSROOM_ROLES,
      schema: { params: storyParams, summary: 'A story as readers will see it (staff only)', tags },
    },
    (request, reply) => {
      viewerOf(request);
      return render(request, reply, request.params.id);
    },
  );
  route(
    app,
    {
      method: 'GET',
      url: `${language === 'ko' ? '/ko' : ''}/preview/:id`,
      access: 'public',
      schema: {
        params: storyParams,
        querystring: previewQuery,
        summary: 'A story as readers will see it, through a signed link that expires',
        tags,
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const valid = await newsroom.checkPreviewLink(deps, { id, ...request.query });
      if (!valid) throw new AppError('NOT_FOUND', `preview link for ${id} refused`);
      return render(request, reply, id);
    },
  );
}
