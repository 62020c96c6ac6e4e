import type { Feature } from '../http/feature.js';
import { accountsErrors } from './accounts.errors.js';
import { accountsStrings } from './accounts.strings.js';

/** What the accounts feature brings to the site besides its routes (composed in src/features.ts). */
export const accountsFeature: Feature = {
  name: 'accounts',
  errors: accountsErrors,
  strings: accountsStrings,
};
