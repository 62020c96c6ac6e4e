import type { Feature } from '../http/feature.js';
import { articlesErrors } from './articles.errors.js';
import { articlesStrings } from './articles.strings.js';

/** What the articles feature brings to the site besides its routes (composed in src/features.ts). */
export const articlesFeature: Feature = {
  name: 'articles',
  errors: articlesErrors,
  strings: articlesStrings,
};
