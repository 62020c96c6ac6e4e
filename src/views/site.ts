import type { Language } from '../lib/language.js';
import type { Messages } from './i18n.js';

/** What every page knows about the site, built once from the config. */
export type Site = {
  name: Readonly<{ en: string; ko: string }>;
  publicUrl: string;
  timeZone: string;
  commentMaxLength: number;
  stylesheet: string;
  /** Address of the site's SVG icon (views/assets.ts); /favicon.ico is the fallback. */
  icon: string;
  /** Addresses of the features' browser bundles, by name (views/assets.ts). */
  scripts: Readonly<Record<string, string>>;
};

export type NavSection = { slug: string; name: string };

/** The logged-in person, as the page header shows them. */
export type ViewerSummary = { displayName: string | null; staff: boolean };

/**
 * Per-request view context: the site, the edition's language and its strings, and for a
 * logged-in person who they are and the CSRF token their forms carry. Pages for anonymous
 * readers have neither, which is what lets one rendering serve them all from the cache.
 */
export type ViewContext = {
  site: Site;
  language: Language;
  t: Messages;
  nav: readonly NavSection[];
  viewer: ViewerSummary | null;
  csrfToken: string | null;
  /** The address of the page being shown, for "log in and come back here". */
  path: string;
};

export type PageMeta = {
  title: string;
  description?: string;
  /** Path of this page's canonical address (the site's public URL is prepended). */
  canonicalPath: string;
  /** This page in the other edition, when it exists (the article's translation). */
  alternate?: { language: Language; path: string };
  /** Where the language switch leads when there is no alternate. */
  switchPath: string;
  openGraph?: Record<string, string | readonly string[]>;
  jsonLd?: Record<string, unknown>;
  noindex?: boolean;
  /** The browser bundles this page uses, by name (a feature's `bundles`); none by default. */
  bundles?: readonly string[];
};

export function absoluteUrl(site: Site, path: string): string {
  return `${site.publicUrl}${encodeURI(path)}`;
}
