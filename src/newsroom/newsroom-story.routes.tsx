import type { NewsroomRegistrar } from './newsroom-layout.js';

/** The newsroom's story pages. */
export const registerNewsroomStoryRoutes: NewsroomRegistrar = () => {
  // Filled in by the story pages.
};
