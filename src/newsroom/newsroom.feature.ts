import type { Feature } from '../http/feature.js';
import { newsroomErrors } from './newsroom.errors.js';
import { newsroomStrings } from './newsroom.strings.js';
import { newsroomListStrings } from './newsroom-list.strings.js';
import { newsroomRevisionsStrings } from './newsroom-revisions.strings.js';
import { newsroomStoryStrings } from './newsroom-story.strings.js';

/** The newsroom's browser bundle: the story editor, loaded by the editor's page alone. */
export const EDITOR_BUNDLE = 'newsroom-editor';

/** What the newsroom brings to the site besides its routes (composed in src/features.ts). */
export const newsroomFeature: Feature = {
  name: 'newsroom',
  errors: newsroomErrors,
  strings: {
    en: {
      ...newsroomStrings.en,
      ...newsroomListStrings.en,
      ...newsroomRevisionsStrings.en,
      ...newsroomStoryStrings.en,
    },
    ko: {
      ...newsroomStrings.ko,
      ...newsroomListStrings.ko,
      ...newsroomRevisionsStrings.ko,
      ...newsroomStoryStrings.ko,
    },
  },
  bundles: [{ name: EDITOR_BUNDLE, entry: 'src/newsroom/client/editor.client.ts' }],
};
