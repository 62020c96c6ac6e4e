import type { NewsroomRegistrar } from './newsroom-layout.js';

/** The newsroom's revisions pages. */
export const registerNewsroomRevisionsRoutes: NewsroomRegistrar = () => {
  // Filled in by the revisions pages.
};
