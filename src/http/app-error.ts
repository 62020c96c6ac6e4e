/**
 * A broken rule throws one AppError with a code (CONTRIBUTING.md, habit 7). Each code has one
 * definition: its HTTP status, and its title and message in both editions, so tests assert codes,
 * never text. The platform defines the codes of HTTP itself below; each feature defines its own
 * in `<feature>.errors.ts`, which adds them to `FeatureErrors`, and the table is composed at
 * start-up (src/features.ts) so the platform never imports a feature.
 */

import type { ViewContext } from '../views/site.js';

/** An error's text in one edition. */
export type ErrorText = Readonly<{ en: string; ko: string }>;

export type ErrorDefinition = Readonly<{
  status: number;
  /** The error page's heading. */
  title: ErrorText;
  message: ErrorText;
  /**
   * A message naming what the error carries (a comment's length and the limit, a listed word, the
   * end of a suspension), when it carries it; otherwise `message` is shown.
   */
  describe?: (params: ErrorParams, ctx: ErrorTextContext) => string | undefined;
}>;

/** What an error's message needs of the page: its language, catalogue and the newsroom's zone. */
export type ErrorTextContext = Pick<ViewContext, 't' | 'language' | 'site'>;

export type ErrorDefinitions = Readonly<Record<string, ErrorDefinition>>;

export const PLATFORM_ERRORS = {
  BAD_REQUEST: {
    status: 400,
    title: { en: 'Bad request', ko: '잘못된 요청' },
    message: {
      en: 'The request could not be understood.',
      ko: '요청을 이해할 수 없습니다.',
    },
  },
  INVALID_PARAMETER: {
    status: 400,
    title: { en: 'Bad address', ko: '잘못된 주소' },
    message: {
      en: 'Part of this address is not valid. Check the link and try again.',
      ko: '주소의 일부가 올바르지 않습니다. 링크를 확인한 뒤 다시 시도해 주세요.',
    },
  },
  NOT_FOUND: {
    status: 404,
    title: { en: 'Page not found', ko: '페이지를 찾을 수 없습니다' },
    message: {
      en: 'There is no page at this address. It may have been mistyped.',
      ko: '이 주소에는 페이지가 없습니다. 주소가 잘못 입력되었을 수 있습니다.',
    },
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    title: { en: 'Method not allowed', ko: '허용되지 않는 요청' },
    message: {
      en: 'This address does not accept that kind of request.',
      ko: '이 주소는 그런 종류의 요청을 받지 않습니다.',
    },
  },
  GONE: {
    status: 410,
    title: { en: 'This article has been withdrawn', ko: '삭제된 기사입니다' },
    message: {
      en: 'The newsroom has withdrawn this article. It is no longer available.',
      ko: '편집국이 이 기사를 삭제했습니다. 더 이상 볼 수 없습니다.',
    },
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    title: { en: 'Request too large', ko: '요청이 너무 큽니다' },
    message: {
      en: 'What you sent is larger than this site accepts.',
      ko: '보낸 내용이 이 사이트가 받을 수 있는 크기보다 큽니다.',
    },
  },
  URI_TOO_LONG: {
    status: 414,
    title: { en: 'Address too long', ko: '주소가 너무 깁니다' },
    message: {
      en: 'This address is longer than this site accepts.',
      ko: '주소가 이 사이트가 받을 수 있는 길이보다 깁니다.',
    },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: { en: 'Unsupported content type', ko: '지원하지 않는 형식' },
    message: {
      en: 'What you sent is in a format this address does not accept.',
      ko: '이 주소가 받지 않는 형식으로 보냈습니다.',
    },
  },
  UNAUTHENTICATED: {
    status: 401,
    title: { en: 'Please log in', ko: '로그인이 필요합니다' },
    message: {
      en: 'You need to log in to do this.',
      ko: '이 기능을 쓰려면 로그인해야 합니다.',
    },
  },
  FORBIDDEN: {
    status: 403,
    title: { en: 'Not allowed', ko: '허용되지 않습니다' },
    message: {
      en: 'Your account is not allowed to use this page.',
      ko: '이 계정으로는 이 페이지를 이용할 수 없습니다.',
    },
  },
  CSRF_REJECTED: {
    status: 403,
    title: { en: 'The form could not be accepted', ko: '양식을 받을 수 없습니다' },
    message: {
      en: 'The form was sent from another site or has expired. Go back, reload the page and try again.',
      ko: '다른 사이트에서 보냈거나 만료된 양식입니다. 뒤로 가서 페이지를 새로 고친 뒤 다시 시도해 주세요.',
    },
  },
  TOO_MANY_REQUESTS: {
    status: 429,
    title: { en: 'Too many requests', ko: '요청이 너무 많습니다' },
    message: {
      en: 'Too many requests in a short time. Please wait and try again.',
      ko: '짧은 시간에 요청이 너무 많았습니다. 잠시 후 다시 시도해 주세요.',
    },
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    title: { en: 'Temporarily unavailable', ko: '일시적으로 이용할 수 없습니다' },
    message: {
      en: 'The site cannot answer right now. Please try again in a moment.',
      ko: '지금은 응답할 수 없습니다. 잠시 후 다시 시도해 주세요.',
    },
  },
  INTERNAL: {
    status: 500,
    title: { en: 'Something went wrong', ko: '오류가 발생했습니다' },
    message: {
      en: 'An unexpected error occurred. It has been logged; please try again later.',
      ko: '예상하지 못한 오류가 발생했습니다. 기록되었으니 잠시 후 다시 시도해 주세요.',
    },
  },
} as const satisfies ErrorDefinitions;

/**
 * The codes features add. Each `<feature>.errors.ts` extends this interface by declaration merging,
 * so `ErrorCode` knows every code while this file imports none of them.
 */
export interface FeatureErrors {}

export type ErrorCode = keyof typeof PLATFORM_ERRORS | Extract<keyof FeatureErrors, string>;

/** Status and text of every code: the platform's and each feature's, composed at start-up. */
export type ErrorTable = Readonly<Record<ErrorCode, ErrorDefinition>>;

/** Joins definitions; a code defined twice is a programming error, found at start-up. */
export function composeErrorTable(parts: readonly ErrorDefinitions[]): ErrorTable {
  const table: Record<string, ErrorDefinition> = {};
  for (const part of parts)
    for (const [code, definition] of Object.entries(part)) {
      if (code in table) throw new Error(`error code ${code} is defined twice`);
      table[code] = definition;
    }
  // Every code the types know was defined: the feature files are the only other source.
  return table as ErrorTable;
}

/**
 * What a message may name: a comment's length and the limit it broke, the listed word a comment
 * used, the time a suspension ends (ISO 8601).
 */
export type ErrorParams = Readonly<{
  count?: number;
  limit?: number;
  word?: string;
  until?: string;
}>;

export class AppError extends Error {
  override name = 'AppError';
  /** For 429 and 503: how long the client should wait, sent as Retry-After. */
  retryAfterSeconds: number | undefined;
  readonly params: ErrorParams | undefined;
  constructor(
    readonly code: ErrorCode,
    /** Detail for logs and for the CLI; pages show the localised message for the code. */
    detail?: string,
    options?: ErrorOptions & { retryAfterSeconds?: number; params?: ErrorParams },
  ) {
    super(detail ?? code, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.params = options?.params;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
