import type { ErrorCode, ErrorTable } from '../http/app-error.js';
import { LANGUAGES, type Language } from '../lib/language.js';
import { en, type PlatformMessages, type Widen } from './i18n-en.js';
import { ko } from './i18n-ko.js';

export type { PlatformMessages, Widen };

/**
 * The strings features add. Each `<feature>.strings.ts` extends this interface by declaration
 * merging, so `Messages` knows every key while the platform imports no feature.
 */
// Declaration merging needs an interface that starts empty.
export interface FeatureMessages {}

/** Every string of one edition: the platform's, each feature's, and every error's text. */
export type Messages = PlatformMessages &
  FeatureMessages & {
    errorTitle: Readonly<Record<ErrorCode, string>>;
    errorMessage: Readonly<Record<ErrorCode, string>>;
  };

/** One feature's strings in both editions (the Korean object is typed by the English one). */
export type FeatureStrings = Readonly<Record<Language, object>>;

export type Catalogue = Readonly<Record<Language, Messages>>;

/**
 * The site's catalogue, composed once at start-up from the platform's strings, each feature's and
 * the error table. A key two parts both define is a programming error, refused here.
 */
export function composeCatalogue(
  features: readonly FeatureStrings[],
  errors: ErrorTable,
): Catalogue {
  const platform: FeatureStrings = { en, ko };
  const compose = (language: Language): Messages => {
    const merged: Record<string, unknown> = {};
    for (const part of [platform, ...features])
      for (const [key, value] of Object.entries(part[language])) {
        if (key in merged) throw new Error(`string ${key} is defined twice`);
        merged[key] = value;
      }
    const entries = Object.entries(errors);
    merged.errorTitle = Object.fromEntries(entries.map(([code, d]) => [code, d.title[language]]));
    merged.errorMessage = Object.fromEntries(
      entries.map(([code, d]) => [code, d.message[language]]),
    );
    // The feature files' types are the interfaces merged into Messages, and each part's Korean
    // object is typed by its English one, so the union of the parts is the whole catalogue.
    return merged as unknown as Messages;
  };
  return Object.fromEntries(LANGUAGES.map((language) => [language, compose(language)])) as Record<
    Language,
    Messages
  >;
}
