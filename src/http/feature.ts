import type { FeatureStrings } from '../views/i18n.js';
import type { ErrorDefinitions } from './app-error.js';

/**
 * What a feature brings to the site besides its routes: its error codes (status and text), its
 * interface strings and the browser bundles its pages may ask for. Each feature declares one in
 * `<feature>.feature.ts`; src/features.ts composes them at start-up, so the platform folders
 * (http, views, db, lib) never import a feature.
 */
export type Feature = Readonly<{
  name: string;
  errors?: ErrorDefinitions;
  strings?: FeatureStrings;
  bundles?: readonly Bundle[];
}>;

/**
 * A browser script, bundled by esbuild at start-up and served under its content hash. A page asks
 * for it by name (`PageMeta.bundles`), so a page loads only the scripts it uses.
 */
export type Bundle = Readonly<{
  name: string;
  /** The entry module, from the project's root (its sources ship with the package). */
  entry: string;
}>;
