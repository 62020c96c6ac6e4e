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
  correctionNote: (date: string) => `Correction, ${date}`,
  clarificationNote: (date: string) => `Clarification, ${date}`,
  correctionsHeading: 'Corrections and clarifications',
  correctionsTitle: 'Corrections',
  correctionsIntro:
    'When we get something wrong, we say so on the article and list it here, newest first.',
  correctionsEmpty: 'No corrections yet.',
  correctionKind: { correction: 'Correction', clarification: 'Clarification' },
  allCorrections: 'All corrections',
  correctionsNewer: 'Newer',
  correctionsOlder: 'Older',
  correctionsPages: 'Pages of corrections',
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
  correctionNote: (date: string) => `바로잡습니다 (${date})`,
  clarificationNote: (date: string) => `알려드립니다 (${date})`,
  correctionsHeading: '바로잡습니다·알려드립니다',
  correctionsTitle: '정정 보도',
  correctionsIntro:
    '기사에 잘못이 있으면 해당 기사와 이 페이지에 알립니다. 최근 것부터 보여 드립니다.',
  correctionsEmpty: '아직 정정 보도가 없습니다.',
  correctionKind: { correction: '바로잡습니다', clarification: '알려드립니다' },
  allCorrections: '정정 보도 모음',
  correctionsNewer: '최근',
  correctionsOlder: '이전',
  correctionsPages: '정정 보도 페이지',
};

export const articlesStrings = { en, ko };

declare module '../views/i18n.js' {
  interface FeatureMessages extends ArticlesMessages {}
}
