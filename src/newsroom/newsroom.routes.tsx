import type { FastifyInstance } from 'fastify';
import type { Pages } from '../http/pages.js';
import { LANGUAGES } from '../lib/language.js';
import { registerNewsroomListRoutes } from './newsroom-list.routes.js';
import { registerNewsroomRevisionsRoutes } from './newsroom-revisions.routes.js';
import { registerNewsroomStoryRoutes } from './newsroom-story.routes.js';
import type { NewsroomDeps } from './newsroom.service.js';

/** Every newsroom page, in both editions: the list, a story's editor and workflow, its revisions. */
export function registerNewsroomRoutes(
  app: FastifyInstance,
  deps: NewsroomDeps,
  pages: Pages,
): void {
  for (const language of LANGUAGES) {
    registerNewsroomListRoutes(app, deps, pages, language);
    registerNewsroomStoryRoutes(app, deps, pages, language);
    registerNewsroomRevisionsRoutes(app, deps, pages, language);
  }
}
