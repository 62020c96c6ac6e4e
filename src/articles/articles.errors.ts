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
} as const satisfies ErrorDefinitions;

type ArticlesErrorCodes = typeof articlesErrors;

declare module '../http/app-error.js' {
  interface FeatureErrors extends ArticlesErrorCodes {}
}
