import type { Language } from '../lib/language.js';
import type { Messages } from './i18n.js';

/** What every page knows about the site, built once from the config. */
export type Site = {
  name: Readonly<{ en: string; ko: string }>;
  publicUrl: string;
  timeZone: string;
  commentMaxLength: number;
  commentCounterUnit: string;
  stylesheet: string;
};

export type NavSection = { slug: string; name: string };

/** Per-request view context: the site, the edition's language and its strings. */
export type ViewContext = {
  site: Site;
  language: Language;
  t: Messages;
  nav: readonly NavSection[];
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
};

export function absoluteUrl(site: Site, path: string): string {
  return `${site.publicUrl}${encodeURI(path)}`;
}
