import type { ErrorDefinitions } from '../http/app-error.js';

/**
 * The error codes the articles feature throws: each code's HTTP status and its title and message in
 * both editions. They join the site's table at start-up (src/features.ts).
 */
export const articlesErrors = {
  ARTICLE_INVALID: {
    status: 422,
    title: { en: 'The article is not valid', ko: '기사가 올바르지 않습니다' },
    message: {
      en: 'The article could not be saved because part of it is not valid.',
      ko: '기사의 일부가 올바르지 않아 저장하지 못했습니다.',
    },
  },
  ARTICLE_SLUG_TAKEN: {
    status: 409,
    title: { en: 'The address is taken', ko: '주소가 이미 쓰이고 있습니다' },
    message: {
      en: 'Another article in this edition already uses this slug. Choose another one; nothing you wrote was lost.',
      ko: '이 판의 다른 기사가 이미 이 슬러그를 쓰고 있습니다. 다른 슬러그를 고르세요. 쓰신 내용은 그대로 있습니다.',
    },
  },
  ARTICLE_BATCH_DUPLICATE: {
    status: 422,
    title: { en: 'The same article appears twice', ko: '같은 기사가 두 번 들어 있습니다' },
    message: {
      en: 'Two articles in one import share a slug; nothing was saved.',
      ko: '한 번에 가져온 기사 두 건의 슬러그가 같아 아무것도 저장하지 않았습니다.',
    },
  },
  CORRECTION_NOT_PUBLISHED: {
    status: 409,
    title: { en: 'The article is not published', ko: '게재되지 않은 기사입니다' },
    message: {
      en: 'Only a published article takes a correction or a clarification; change a draft instead.',
      ko: '정정이나 해명은 게재된 기사에만 덧붙일 수 있습니다. 초고는 본문을 고치세요.',
    },
  },
  CORRECTION_INVALID: {
    status: 422,
    title: { en: 'The correction is not valid', ko: '정정 내용이 올바르지 않습니다' },
    message: {
      en: 'A correction needs between 1 and 2,000 characters of text.',
      ko: '정정 내용은 1자 이상 2,000자 이하로 써야 합니다.',
    },
  },
} as const satisfies ErrorDefinitions;

type ArticlesErrorCodes = typeof articlesErrors;

declare module '../http/app-error.js' {
  interface FeatureErrors extends ArticlesErrorCodes {}
}
