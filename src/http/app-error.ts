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
  ACCOUNT_OWN_CHANGE: 409,
  ACCOUNT_DELETE_UNCONFIRMED: 422,
  CSRF_REJECTED: 403,
  LOGIN_FAILED: 400,
  LOGIN_EXPIRED: 400,
  IDENTITY_TAKEN: 409,
  REAUTHENTICATE: 401,
  ARTICLE_INVALID: 422,
  ARTICLE_BATCH_DUPLICATE: 422,
  POLICY_CHANGED: 409,
  POLICY_INVALID: 422,
  SITE_PAGE_INVALID: 422,
  COMMENT_EMPTY: 422,
  COMMENT_TOO_LONG: 422,
  COMMENT_INVALID_TEXT: 422,
  COMMENT_DIRECTION_CONTROL: 422,
  COMMENT_CHARACTER_TOO_LONG: 422,
  COMMENT_REPLY_NOT_ALLOWED: 422,
  COMMENT_OWN_VOTE: 422,
  COMMENT_REPORT_INVALID: 422,
  COMMENT_REPORT_CLAUSE: 422,
  COMMENT_DUPLICATE: 409,
  COMMENT_UNAVAILABLE: 409,
  COMMENT_EDIT_CLOSED: 409,
  COMMENT_ALREADY_REPORTED: 409,
  COMMENTS_CLOSED: 409,
  POLICY_NOT_ACCEPTED: 409,
  COMMENT_TOO_SOON: 429,
  COMMENT_DAILY_LIMIT: 429,
  VOTE_DAILY_LIMIT: 429,
  COMMENT_BANNED_WORD: 422,
  THREAD_HOURS_INVALID: 422,
  THREAD_ADDRESS_TOO_LONG: 422,
  COMMENTER_SUSPENDED: 403,
  COMMENTER_BANNED: 403,
  MODERATION_STALE: 409,
  MODERATION_CLAIMED: 409,
  MODERATION_NOT_APPLICABLE: 409,
  MODERATION_CLAUSE_REQUIRED: 422,
  MODERATION_NOTE_INVALID: 422,
  MODERATION_SAME_MODERATOR: 403,
  MODERATION_OWN_COMMENT: 403,
  MODERATION_NOTHING_SELECTED: 422,
  SANCTION_NOT_ALLOWED: 409,
  APPEAL_NOT_ALLOWED: 409,
  APPEAL_EXISTS: 409,
  APPEAL_INVALID: 422,
  WORD_LIST_INVALID: 422,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

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
  readonly status: number;
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
    this.status = ERROR_STATUS[code];
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.params = options?.params;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
