/**
 * The English interface catalogue. Its shape is the catalogue type: every other language must
 * provide every key (i18n-ko.ts is typed as Messages, so a missing string fails the build).
 */
import type { ErrorCode } from '../http/app-error.js';

export const en = {
  skipToContent: 'Skip to content',
  mainNavigation: 'Sections',
  languageSwitch: '한국어',
  languageSwitchLabel: 'Korean edition',
  home: 'Home',
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
  moreInSection: (name: string) => `More in ${name}`,
  comments: 'Comments',
  commentsLoginPrompt: 'To write comments, please log in to one of the accounts.',
  commentsLogin: 'Log in',
  commentsPolicy: 'Standards Board Policy',
  commentsPolicyBefore: 'Comments are governed by the',
  commentsPolicyAfter: '.',
  commentsCounterLabel: 'Characters used',
  loginTitle: 'Log in',
  loginNotConfigured:
    'Logging in is not configured on this site yet. Readers will be able to log in here with one of their accounts.',
  loginBack: 'Back to the page you were reading',
  policyTitle: 'Standards Board Policy',
  policyVersion: (version: string, date: string) => `Version ${version}, in force since ${date}`,
  footerPolicy: 'Standards Board Policy',
  footerAbout: 'Published with Byline, an open-source newspaper platform.',
  errorTitle: {
    BAD_REQUEST: 'Bad request',
    INVALID_PARAMETER: 'Bad address',
    NOT_FOUND: 'Page not found',
    METHOD_NOT_ALLOWED: 'Method not allowed',
    GONE: 'This article has been withdrawn',
    PAYLOAD_TOO_LARGE: 'Request too large',
    URI_TOO_LONG: 'Address too long',
    UNSUPPORTED_MEDIA_TYPE: 'Unsupported content type',
    ARTICLE_INVALID: 'The article is not valid',
    ARTICLE_BATCH_DUPLICATE: 'The same article appears twice',
    TOO_MANY_REQUESTS: 'Too many requests',
    SERVICE_UNAVAILABLE: 'Temporarily unavailable',
    INTERNAL: 'Something went wrong',
  } satisfies Record<ErrorCode, string>,
  errorMessage: {
    BAD_REQUEST: 'The request could not be understood.',
    INVALID_PARAMETER: 'Part of this address is not valid. Check the link and try again.',
    NOT_FOUND: 'There is no page at this address. It may have been mistyped.',
    METHOD_NOT_ALLOWED: 'This address does not accept that kind of request.',
    GONE: 'The newsroom has withdrawn this article. It is no longer available.',
    PAYLOAD_TOO_LARGE: 'What you sent is larger than this site accepts.',
    URI_TOO_LONG: 'This address is longer than this site accepts.',
    UNSUPPORTED_MEDIA_TYPE: 'What you sent is in a format this address does not accept.',
    ARTICLE_INVALID: 'The article could not be saved because part of it is not valid.',
    ARTICLE_BATCH_DUPLICATE: 'Two articles in one import share a slug; nothing was saved.',
    TOO_MANY_REQUESTS: 'Too many requests in a short time. Please wait and try again.',
    SERVICE_UNAVAILABLE: 'The site cannot answer right now. Please try again in a moment.',
    INTERNAL: 'An unexpected error occurred. It has been logged; please try again later.',
  } satisfies Record<ErrorCode, string>,
  errorHome: 'Go to the front page',
} as const;

type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => string
    ? (...args: A) => string
    : { [K in keyof T]: Widen<T[K]> };

export type Messages = Widen<typeof en>;
