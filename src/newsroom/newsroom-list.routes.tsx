import type { NewsroomRegistrar } from './newsroom-layout.js';

/** The newsroom's list pages. */
export const registerNewsroomListRoutes: NewsroomRegistrar = () => {
  // Filled in by the list pages.
};
