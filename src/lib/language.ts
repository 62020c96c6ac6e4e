/** The two editions' languages. Every interface string exists in both. */
export const LANGUAGES = ['en', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The edition prefix of every reader page: English at the root, Korean under /ko. */
export function editionPrefix(language: Language): string {
  return language === 'en' ? '' : '/ko';
}
