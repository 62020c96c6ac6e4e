import type { ErrorDefinitions } from '../http/app-error.js';

/**
 * The error codes the pages feature throws: each code's HTTP status and its title and message in
 * both editions. They join the site's table at start-up (src/features.ts).
 */
export const sitePagesErrors = {
  SITE_PAGE_INVALID: {
    status: 422,
    title: { en: 'The page was not saved', ko: '페이지를 저장하지 못했습니다' },
    message: {
      en: 'The page could not be saved because its text is empty, too long or uses Markdown the page cannot show. Nothing was saved.',
      ko: '내용이 비어 있거나, 너무 길거나, 이 페이지에서 표시할 수 없는 마크다운을 써서 저장하지 못했습니다. 아무것도 저장하지 않았습니다.',
    },
  },
} as const satisfies ErrorDefinitions;

type SitePagesErrorCodes = typeof sitePagesErrors;

declare module '../http/app-error.js' {
  interface FeatureErrors extends SitePagesErrorCodes {}
}
