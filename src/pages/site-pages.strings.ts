import type { Widen } from '../views/i18n.js';

/**
 * The pages feature's interface strings, in both editions. The English object's shape is the
 * type: the Korean one must have every key, so a missing string fails the build. They join the
 * site's catalogue at start-up (src/features.ts).
 */
const en = {
  sitePageUpdated: (date: string) => `Last updated ${date}`,
  sitePageYourData: 'See, download or delete your data on your account page',
  sitePagesIntro:
    'The privacy policy, the terms of use and the About page, in both editions. Write them in Markdown: paragraphs, headings, lists, quotes, emphasis, and links to http, https or mailto addresses.',
  sitePagesEdit: (title: string) => `Edit: ${title}`,
  sitePagesView: 'View the page',
  sitePageBodyEn: 'English text (Markdown)',
  sitePageBodyKo: 'Korean text (Markdown)',
  sitePageSave: 'Save both texts',
  sitePageSaved: 'Saved. Readers see the new text now.',
  sitePageProblem: {
    empty: 'Write the text of this page; it cannot be empty.',
    too_long: (limit: number) => `The text is longer than ${limit} characters. Shorten it.`,
    control: 'The text contains control characters that cannot be shown. Remove them.',
    markdown: (line: number) =>
      `Line ${line} uses Markdown this page cannot show. Use paragraphs, headings, lists, quotes, emphasis and links to http, https or mailto addresses.`,
  },
} as const;

export type SitePagesMessages = Widen<typeof en>;

const ko: SitePagesMessages = {
  sitePageUpdated: (date: string) => `최종 수정 ${date}`,
  sitePageYourData: '내 계정 페이지에서 내 정보를 확인하고 내려받거나 삭제할 수 있습니다',
  sitePagesIntro:
    '개인정보처리방침, 이용약관, 회사 소개 페이지의 영문판과 한국어판입니다. 마크다운으로 씁니다. 문단, 제목, 목록, 인용, 강조, 그리고 웹 주소나 이메일 주소로 가는 링크를 쓸 수 있습니다.',
  sitePagesEdit: (title: string) => `${title} 수정`,
  sitePagesView: '페이지 보기',
  sitePageBodyEn: '영문판 내용(마크다운)',
  sitePageBodyKo: '한국어판 내용(마크다운)',
  sitePageSave: '두 내용 모두 저장',
  sitePageSaved: '저장했습니다. 독자에게 지금부터 새 내용이 보입니다.',
  sitePageProblem: {
    empty: '이 페이지의 내용을 입력해 주세요. 비워 둘 수 없습니다.',
    too_long: (limit: number) => `내용이 ${limit}자를 넘습니다. 줄여 주세요.`,
    control: '표시할 수 없는 제어 문자가 들어 있습니다. 지워 주세요.',
    markdown: (line: number) =>
      `${line}번째 줄에 이 페이지에서 표시할 수 없는 마크다운이 있습니다. 문단, 제목, 목록, 인용, 강조, 그리고 웹 주소나 이메일 주소로 가는 링크를 쓰세요.`,
  },
};

export const sitePagesStrings = { en, ko };

declare module '../views/i18n.js' {
  interface FeatureMessages extends SitePagesMessages {}
}
