/**
 * A broken rule throws one AppError with a code from this union (STYLE.md, habit 7). The table
 * below gives each code its HTTP status; the message shown is looked up by code in the reader's
 * language, so tests assert codes, never text.
 */

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  INVALID_PARAMETER: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  ACCOUNT_SUSPENDED: 403,
  CSRF_REJECTED: 403,
  LOGIN_FAILED: 400,
  LOGIN_EXPIRED: 400,
  IDENTITY_TAKEN: 409,
  REAUTHENTICATE: 401,
  ARTICLE_INVALID: 422,
  ARTICLE_BATCH_DUPLICATE: 422,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  /** For 429 and 503: how long the client should wait, sent as Retry-After. */
  retryAfterSeconds: number | undefined;
  constructor(
    readonly code: ErrorCode,
    /** Detail for logs and for the CLI; pages show the localised message for the code. */
    detail?: string,
    options?: ErrorOptions & { retryAfterSeconds?: number },
  ) {
    super(detail ?? code, options);
    this.status = ERROR_STATUS[code];
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
