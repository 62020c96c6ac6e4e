import type { Feature } from '../http/feature.js';
import { policyErrors } from './policy.errors.js';
import { policyStrings } from './policy.strings.js';

/** What the policy feature brings to the site besides its routes (composed in src/features.ts). */
export const policyFeature: Feature = {
  name: 'policy',
  errors: policyErrors,
  strings: policyStrings,
};
