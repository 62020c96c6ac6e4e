import { z } from 'zod';
import { ARTICLE_STATUSES } from '../articles/article.js';
import type { Viewer } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import { route } from '../http/route.js';
import { pageNumber } from '../http/schemas.js';
import { LANGUAGES } from '../lib/language.js';
import { newsroomPath, type NewsroomRegistrar } from './newsroom-layout.js';
import { NewsroomListPage, type ListQuery } from './newsroom-list-page.js';
import { nextDay, startOfDay } from '../lib/zoned-time.js';
import { listChoices, listNewsroomStories } from './newsroom-list.service.js';
import { NEWSROOM_ROLES, type NewsroomRole, type StoryActor } from './story.js';

/**
 * The newsroom's list: `[/ko]/newsroom`, for reporters, editors and admins. Its filters ride in
 * the address, so a filtered list can be bookmarked and sent to a colleague; every parameter is
 * checked by the schema, and one no form of ours sends (an unknown status, a date that is no
 * day, a repeated field) is answered 400 with the bad-address page, never a 500.
 */

const tags = ['newsroom'];

/** An empty field of the GET form means the filter is not used. */
const blankOr = <T extends z.ZodType<string, string>>(rule: T) =>
  z
    .union([z.literal(''), rule])
    .optional()
    .transform((value) => (value === '' || value === undefined ? undefined : value));

/** Section and person slugs: the letters, marks and digits of any script, joined by '-'. */
const slug = z
  .string()
  .regex(/^[\p{L}\p{M}\p{N}]+(?:-[\p{L}\p{M}\p{N}]+)*$/u)
  .max(200);

/** A calendar day as `<input type="date">` sends it, and a day that exists. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  });

/** A quick view's box: ticked sends `1`; absent is off. */
const tick = z
  .literal('1')
  .optional()
  .transform((value) => value === '1');

const listQuery = z.object({
  status: blankOr(z.enum([...ARTICLE_STATUSES, 'pending_review'])),
  section: blankOr(slug),
  author: blankOr(slug),
  language: blankOr(z.enum(LANGUAGES)),
  from: blankOr(day),
  to: blankOr(day),
  // The search box holds 200 characters; longer was not typed into it.
  q: z
    .string()
    .max(200)
    .optional()
    .transform((value) => (value?.trim() ? value.trim() : undefined)),
  mine: tick,
  review: tick,
  page: pageNumber,
});

function isNewsroomRole(role: Viewer['role']): role is NewsroomRole {
  return (NEWSROOM_ROLES as readonly string[]).includes(role);
}

/** The signed-in member of staff as the newsroom's rules know them. */
function actorOf(viewer: Viewer): StoryActor {
  // The route's access already admitted only these roles; this keeps the type honest.
  if (!isNewsroomRole(viewer.role)) throw new AppError('FORBIDDEN', `role ${viewer.role}`);
  return { accountId: viewer.accountId, role: viewer.role };
}

export const registerNewsroomListRoutes: NewsroomRegistrar = (app, deps, pages, language) => {
  route(
    app,
    {
      method: 'GET',
      url: newsroomPath.home(language),
      access: NEWSROOM_ROLES,
      schema: {
        querystring: listQuery,
        summary: 'The newsroom’s stories: counts, filters, late stories first',
        tags,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request.viewer);
      const query: ListQuery = request.query;
      const timeZone = deps.config.timeZone;
      const [view, choices] = await Promise.all([
        listNewsroomStories(deps, actor, {
          status: query.status,
          section: query.section,
          author: query.author,
          language: query.language,
          from: query.from ? startOfDay(query.from, timeZone) : undefined,
          // "Changed on or before" a day includes the whole of it.
          to: query.to ? startOfDay(nextDay(query.to), timeZone) : undefined,
          search: query.q,
          mine: query.mine,
          review: query.review,
          page: query.page,
        }),
        listChoices(deps),
      ]);
      const now = deps.clock();
      return pages.sendForm(request, reply, language, (ctx) => (
        <NewsroomListPage
          ctx={ctx}
          role={actor.role}
          query={query}
          view={view}
          choices={choices}
          now={now}
        />
      ));
    },
  );
};
