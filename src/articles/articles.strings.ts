import type { Widen } from '../views/i18n.js';

/**
 * The articles feature's interface strings, in both editions. The English object's shape is the
 * type: the Korean one must have every key, so a missing string fails the build. They join the
 * site's catalogue at start-up (src/features.ts).
 */
const en = {
  latest: 'Latest',
  noArticles: 'No articles yet.',
  published: 'Published',
  updated: 'Updated',
  bylinePrefix: 'BY',
  bylineSuffix: '',
  tags: 'Tags',
  photoCredit: 'Photo',
  readTranslation: 'Read this article in Korean',
  sectionHeading: (name: string) => name,
  tagHeading: (name: string) => `Tagged: ${name}`,
  authorHeading: (name: string) => name,
  authorEmail: 'E-mail',
} as const;

export type ArticlesMessages = Widen<typeof en>;

const ko: ArticlesMessages = {
  latest: '최신 기사',
  noArticles: '아직 기사가 없습니다.',
  published: '입력',
  updated: '수정',
  bylinePrefix: '',
  bylineSuffix: '기자',
  tags: '태그',
  photoCredit: '사진',
  readTranslation: '이 기사를 영어로 읽기',
  sectionHeading: (name: string) => name,
  tagHeading: (name: string) => `태그: ${name}`,
  authorHeading: (name: string) => `${name} 기자`,
  authorEmail: '이메일',
};

export const articlesStrings = { en, ko };

declare module '../views/i18n.js' {
  interface FeatureMessages extends ArticlesMessages {}
}
