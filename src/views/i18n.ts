import type { Language } from '../lib/language.js';
import { en, type Messages } from './i18n-en.js';
import { ko } from './i18n-ko.js';

export type { Messages };

const catalogues: Record<Language, Messages> = { en, ko };

export function messages(language: Language): Messages {
  return catalogues[language];
}
