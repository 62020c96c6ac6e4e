import type { Feature } from '../http/feature.js';
import { commentsErrors } from './comments.errors.js';
import { commentsStrings } from './comments.strings.js';

/** The bundles a page with comment forms loads: the island that counts, posts and listens. */
export const COMMENT_BUNDLES: readonly string[] = ['comments'];

/** What the comments feature brings to the site besides its routes (composed in src/features.ts). */
export const commentsFeature: Feature = {
  name: 'comments',
  errors: commentsErrors,
  strings: commentsStrings,
  bundles: [{ name: 'comments', entry: 'src/comments/client/comments.client.ts' }],
};
