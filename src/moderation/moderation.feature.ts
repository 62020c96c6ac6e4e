import type { Feature } from '../http/feature.js';
import { moderationErrors } from './moderation.errors.js';
import { moderationStrings } from './moderation.strings.js';

/** What the moderation feature brings to the site besides its routes (composed in src/features.ts). */
export const moderationFeature: Feature = {
  name: 'moderation',
  errors: moderationErrors,
  strings: moderationStrings,
};
