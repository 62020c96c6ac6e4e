import type { Feature } from '../http/feature.js';
import { sitePagesErrors } from './site-pages.errors.js';
import { sitePagesStrings } from './site-pages.strings.js';

/** What the pages feature brings to the site besides its routes (composed in src/features.ts). */
export const sitePagesFeature: Feature = {
  name: 'pages',
  errors: sitePagesErrors,
  strings: sitePagesStrings,
};
