import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of the environment (CONTRIBUTING.md, habit 6). Everything else receives a frozen
 * Config; a wrong value stops the process at start-up with the variable's name.
 */

const booleanFlag = z.enum(['true', 'false', '1', '0', 'on', 'off']).transform((value) => {
  return value === 'true' || value === '1' || value === 'on';
});

const timeZone = z.string().refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      // Intl throws RangeError for an unknown zone: that is the answer, not an error to log.
      return false;
    }
  },
  { message: 'not an IANA time zone (for example Asia/Seoul)' },
);

const port = z.coerce.number().int().min(0).max(65535);

/**
 * Proxy addresses as Fastify's trustProxy reads them: an address, a CIDR range, or one of
 * proxy-addr's names for the private ranges. Anything else made Fastify throw after the database
 * was open, so it is refused here, with the variable's name.
 */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function proxyProblem(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return false;
  const [address = '', prefix, ...more] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || more.length > 0) return true;
  if (prefix === undefined) return false;
  if (!/^\d{1,3}$/.test(prefix)) return true;
  return Number(prefix) > (family === 4 ? 32 : 128);
}

const trustedProxyList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0),
  )
  .refine((entries) => !entries.some(proxyProblem), {
    message: `each entry must be an IP address, a CIDR range (10.0.0.0/8) or one of ${PROXY_RANGE_NAMES.join(', ')}`,
  });

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  BYLINE_HOST: z.string().min(1).optional(),
  BYLINE_PORT: port.optional(),
  // What Heroku, Render, Fly.io, Cloud Run and the like set; BYLINE_HOST/BYLINE_PORT win over them.
  HOST: z.string().min(1).optional(),
  PORT: port.optional(),
  BYLINE_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3_600).default(10),
  BYLINE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  BYLINE_DATA_DIR: z.string().min(1).default('data'),
  BYLINE_TIME_ZONE: timeZone.default('Asia/Seoul'),
  BYLINE_SITE_NAME: z.string().min(1).max(100).default('Byline Daily'),
  BYLINE_SITE_NAME_KO: z.string().min(1).max(100).default('바이라인 데일리'),
  BYLINE_PAGE_CACHE: booleanFlag.default(true),
  BYLINE_PAGE_CACHE_MB: z.coerce.number().int().min(1).max(65_536).default(64),
  // Unset: on, except in production, which starts empty (README, "Run it in production").
  BYLINE_DEMO_CONTENT: booleanFlag.optional(),
  BYLINE_COMMENT_MAX_LENGTH: z.coerce.number().int().min(1).max(10_000).default(250),
  BYLINE_COMMENT_REPLY_DEPTH: z.coerce.number().int().min(0).max(5).default(1),
  BYLINE_COMMENT_EDIT_MINUTES: z.coerce.number().int().min(0).max(10_080).default(15),
  BYLINE_COMMENT_PAGE_SIZE: z.coerce.number().int().min(5).max(100).default(20),
  BYLINE_COMMENT_MIN_GAP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(15),
  BYLINE_COMMENTS_PER_ARTICLE_PER_DAY: z.coerce.number().int().min(1).max(10_000).default(20),
  BYLINE_COMMENT_VOTES_PER_DAY: z.coerce.number().int().min(1).max(100_000).default(50),
  BYLINE_COMMENT_DUPLICATE_HOURS: z.coerce.number().int().min(0).max(8_760).default(24),
  BYLINE_COMMENTS_DEFAULT: z.enum(['open', 'closed']).default('open'),
  BYLINE_COMMENTS_CLOSE_AFTER_HOURS: z.coerce.number().int().min(0).max(87_600).default(0),
  BYLINE_COMMENTS_PREMODERATED: booleanFlag.default(false),
  BYLINE_LIVE_STREAMS_PER_CLIENT: z.coerce.number().int().min(1).max(100_000).default(20),
  BYLINE_HOLD_MAX_LINKS: z.coerce.number().int().min(0).max(1_000).default(2),
  BYLINE_HOLD_NEW_READER_DAYS: z.coerce.number().int().min(0).max(3_650).default(0),
  BYLINE_HOLD_MIN_APPROVED: z.coerce.number().int().min(0).max(10_000).default(0),
  BYLINE_HOLD_REJECTION_RATE: z.coerce.number().min(0).max(1).default(0.5),
  BYLINE_HOLD_REJECTION_MIN_DECIDED: z.coerce.number().int().min(1).max(10_000).default(4),
  BYLINE_MODERATION_CLAIM_MINUTES: z.coerce.number().int().min(1).max(1_440).default(10),
  BYLINE_SCHEDULER: booleanFlag.default(true),
  BYLINE_TRUSTED_PROXY: trustedProxyList.optional(),
  BYLINE_SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  BYLINE_MAIL_FROM: z.string().min(3).max(200).optional(),
  BYLINE_OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  BYLINE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  BYLINE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  BYLINE_OIDC_LABEL: z.string().min(1).max(60).optional(),
  BYLINE_KAKAO_CLIENT_ID: z.string().min(1).optional(),
  BYLINE_KAKAO_CLIENT_SECRET: z.string().min(1).optional(),
  BYLINE_NAVER_CLIENT_ID: z.string().min(1).optional(),
  BYLINE_NAVER_CLIENT_SECRET: z.string().min(1).optional(),
  BYLINE_GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  BYLINE_GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  BYLINE_FACEBOOK_CLIENT_ID: z.string().min(1).optional(),
  BYLINE_FACEBOOK_CLIENT_SECRET: z.string().min(1).optional(),
  BYLINE_X_CLIENT_ID: z.string().min(1).optional(),
  BYLINE_X_CLIENT_SECRET: z.string().min(1).optional(),
  BYLINE_APPLE_CLIENT_ID: z.string().min(1).optional(),
  BYLINE_APPLE_TEAM_ID: z.string().min(1).optional(),
  BYLINE_APPLE_KEY_ID: z.string().min(1).optional(),
  BYLINE_APPLE_PRIVATE_KEY: z.string().min(1).optional(),
  BYLINE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /**
   * How long a stop (SIGTERM) waits for requests in progress to be answered before it cuts the
   * connections still open; 0 cuts them at once.
   */
  shutdownGraceSeconds: number;
  /** The origin readers use, without a trailing slash; canonical links and feeds are built on it. */
  publicUrl: string;
  /** False when publicUrl is only a guess from the port (BYLINE_PUBLIC_URL unset). */
  publicUrlGiven: boolean;
  database: Readonly<{ kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string }>;
  timeZone: string;
  siteName: Readonly<{ en: string; ko: string }>;
  pageCache: boolean;
  /** The most memory kept pages may take, in bytes; the oldest go first past it. */
  pageCacheMaxBytes: number;
  demoContent: boolean;
  commentMaxLength: number;
  /** Site-wide comment settings; sections and articles may override the thread's (ADR 9). */
  comments: CommentSettings;
  /** When a new comment is held for the standards board, and how long a claim lasts (ADR 11). */
  moderation: ModerationSettings;
  logLevel: string;
  /**
   * Whether this process publishes scheduled stories at their minute. Any number may, at once
   * (docs/decisions/0015); off only where a process should never write, such as a read replica's.
   */
  scheduler: boolean;
  /** Addresses or CIDR ranges of the proxies whose X-Forwarded-For is believed; none by default. */
  trustedProxies: readonly string[];
  /** How mail leaves: SMTP when configured, else (outside production) the outbox folder and log. */
  mail: Readonly<{ smtpUrl: string | undefined; from: string; outboxDir: string }>;
  /** Each login provider appears here only when its credentials are all configured. */
  providers: ProvidersConfig;
  /**
   * What the person starting the process should hear but that does not stop it: BYLINE_
   * variables no setting reads (a misspelling would otherwise pass unnoticed).
   */
  warnings: readonly string[];
}>;

export type CommentSettings = Readonly<{
  /** How deep replies go: 0 no replies, 1 replies to comments only (the default). */
  replyDepth: number;
  /** Minutes after posting during which the author may edit; 0 turns editing off. */
  editMinutes: number;
  pageSize: number;
  /** Abuse limits, Korean-portal style: per reader, held in the database across processes. */
  minGapSeconds: number;
  perArticlePerDay: number;
  votesPerDay: number;
  /** The same text from the same reader within this many hours is refused; 0 turns it off. */
  duplicateHours: number;
  /** The default thread: open or closed, closing N hours after publishing (0: never), held. */
  threadDefault: 'open' | 'closed';
  closeAfterHours: number;
  premoderated: boolean;
  /** Live comment streams one client address may hold open in one process. */
  liveStreamsPerClient: number;
}>;

export type ModerationSettings = Readonly<{
  /** A comment with more links than this is held; 0 holds any link. */
  holdMaxLinks: number;
  /** Comments of readers whose account is younger than this many days are held; 0: off. */
  holdNewReaderDays: number;
  /** Comments of readers with fewer approved (published) comments than this are held; 0: off. */
  holdMinApproved: number;
  /**
   * Comments of readers whose hidden share of decided comments is at least this are held, once
   * they have `holdRejectionMinDecided` comments; 1 holds only readers with every comment hidden.
   */
  holdRejectionRate: number;
  holdRejectionMinDecided: number;
  /** How long a moderator's claim on a queue item keeps it from the others. */
  claimMinutes: number;
}>;

export type ClientCredentials = Readonly<{ clientId: string; clientSecret: string }>;

export type ProvidersConfig = Readonly<{
  oidc?: Readonly<{ issuer: string; clientId: string; clientSecret: string; label: string }>;
  kakao?: ClientCredentials;
  naver?: ClientCredentials;
  google?: ClientCredentials;
  facebook?: ClientCredentials;
  x?: ClientCredentials;
  /** Apple signs in with a client secret we sign ourselves with the team's private key (PKCS#8 PEM). */
  apple?: Readonly<{ clientId: string; teamId: string; keyId: string; privateKey: string }>;
}>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const listenPort = e.BYLINE_PORT ?? e.PORT ?? 3000;
  // A platform that sets PORT routes to the container from outside, so 127.0.0.1 would be
  // unreachable there; anywhere else the default stays on this machine only.
  const listenHost =
    e.BYLINE_HOST ??
    e.HOST ??
    (e.BYLINE_PORT === undefined && e.PORT !== undefined ? '0.0.0.0' : '127.0.0.1');
  const publicUrl = (e.BYLINE_PUBLIC_URL ?? `http://localhost:${listenPort}`).replace(/\/+$/, '');
  // Session cookies are Secure exactly when the site is served over https: in production a plain
  // http address is allowed only for this machine (a proxy on the same host), never for readers.
  const publicHost = new URL(publicUrl).hostname;
  if (
    e.NODE_ENV === 'production' &&
    publicUrl.startsWith('http:') &&
    !['localhost', '127.0.0.1', '[::1]'].includes(publicHost)
  ) {
    throw new ConfigError(
      'Invalid configuration:\n  BYLINE_PUBLIC_URL: must be https in production (cookies are Secure only there)',
    );
  }
  const providers = providersOf(e);
  return Object.freeze({
    env: e.NODE_ENV,
    host: listenHost,
    port: listenPort,
    shutdownGraceSeconds: e.BYLINE_SHUTDOWN_GRACE_SECONDS,
    publicUrl,
    publicUrlGiven: e.BYLINE_PUBLIC_URL !== undefined,
    database: Object.freeze(
      e.DATABASE_URL
        ? { kind: 'postgres' as const, url: e.DATABASE_URL }
        : { kind: 'pglite' as const, dataDir: path.resolve(cwd, e.BYLINE_DATA_DIR) },
    ),
    timeZone: e.BYLINE_TIME_ZONE,
    siteName: Object.freeze({ en: e.BYLINE_SITE_NAME, ko: e.BYLINE_SITE_NAME_KO }),
    pageCache: e.BYLINE_PAGE_CACHE,
    pageCacheMaxBytes: e.BYLINE_PAGE_CACHE_MB * 1024 * 1024,
    demoContent: e.BYLINE_DEMO_CONTENT ?? e.NODE_ENV !== 'production',
    commentMaxLength: e.BYLINE_COMMENT_MAX_LENGTH,
    comments: Object.freeze({
      replyDepth: e.BYLINE_COMMENT_REPLY_DEPTH,
      editMinutes: e.BYLINE_COMMENT_EDIT_MINUTES,
      pageSize: e.BYLINE_COMMENT_PAGE_SIZE,
      minGapSeconds: e.BYLINE_COMMENT_MIN_GAP_SECONDS,
      perArticlePerDay: e.BYLINE_COMMENTS_PER_ARTICLE_PER_DAY,
      votesPerDay: e.BYLINE_COMMENT_VOTES_PER_DAY,
      duplicateHours: e.BYLINE_COMMENT_DUPLICATE_HOURS,
      threadDefault: e.BYLINE_COMMENTS_DEFAULT,
      closeAfterHours: e.BYLINE_COMMENTS_CLOSE_AFTER_HOURS,
      premoderated: e.BYLINE_COMMENTS_PREMODERATED,
      liveStreamsPerClient: e.BYLINE_LIVE_STREAMS_PER_CLIENT,
    }),
    moderation: Object.freeze({
      holdMaxLinks: e.BYLINE_HOLD_MAX_LINKS,
      holdNewReaderDays: e.BYLINE_HOLD_NEW_READER_DAYS,
      holdMinApproved: e.BYLINE_HOLD_MIN_APPROVED,
      holdRejectionRate: e.BYLINE_HOLD_REJECTION_RATE,
      holdRejectionMinDecided: e.BYLINE_HOLD_REJECTION_MIN_DECIDED,
      claimMinutes: e.BYLINE_MODERATION_CLAIM_MINUTES,
    }),
    logLevel: e.BYLINE_LOG_LEVEL,
    scheduler: e.BYLINE_SCHEDULER,
    trustedProxies: Object.freeze(e.BYLINE_TRUSTED_PROXY ?? []),
    mail: Object.freeze({
      smtpUrl: e.BYLINE_SMTP_URL,
      outboxDir: path.resolve(cwd, e.BYLINE_DATA_DIR, 'outbox'),
      from: e.BYLINE_MAIL_FROM ?? `${e.BYLINE_SITE_NAME} <no-reply@${new URL(publicUrl).hostname}>`,
    }),
    providers,
    warnings: Object.freeze(unknownVariables(env)),
  });
}

/** Read by the tests themselves (fuzz-routes, account-page.browser), not by the app. */
const TEST_ONLY_VARIABLES = ['BYLINE_FUZZ_RUNS', 'BYLINE_FUZZ_SEED', 'BYLINE_SCREENSHOT_DIR'];

function unknownVariables(env: NodeJS.ProcessEnv): string[] {
  const known = [...Object.keys(envSchema.shape), ...TEST_ONLY_VARIABLES];
  return Object.keys(env)
    .filter((name) => name.startsWith('BYLINE_') && !known.includes(name))
    .sort()
    .map((name) => {
      const near =
        known.find((candidate) => editDistance(name, candidate) <= 2) ??
        known.find((candidate) => candidate.startsWith(`${name}_`));
      const hint = near ? ` (did you mean ${near}?)` : '';
      return `${name} is not a Byline setting and is ignored${hint}`;
    });
}

/** Levenshtein distance, for the "did you mean" of a misspelt variable. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

type Env = z.infer<typeof envSchema>;

/**
 * A provider is on when all of its variables are set, off when none are; a half-configured one
 * stops the start-up, since a login button that cannot work is worse than none.
 */
function providersOf(e: Env): ProvidersConfig {
  const problems: string[] = [];
  function group<K extends keyof Env, T>(names: K[], build: (values: Record<K, string>) => T) {
    const present = names.filter((name) => e[name] !== undefined);
    if (present.length === 0) return undefined;
    if (present.length < names.length) {
      const missing = names.filter((name) => e[name] === undefined);
      problems.push(`  ${missing.join(', ')}: needed with ${present.join(', ')}`);
      return undefined;
    }
    return Object.freeze(
      build(Object.fromEntries(names.map((n) => [n, e[n]])) as unknown as Record<K, string>),
    );
  }
  const pair = (prefix: 'KAKAO' | 'NAVER' | 'GOOGLE' | 'FACEBOOK' | 'X') =>
    group([`BYLINE_${prefix}_CLIENT_ID`, `BYLINE_${prefix}_CLIENT_SECRET`] as const, (v) => ({
      clientId: v[`BYLINE_${prefix}_CLIENT_ID`],
      clientSecret: v[`BYLINE_${prefix}_CLIENT_SECRET`],
    }));
  const result = {
    oidc: group(
      ['BYLINE_OIDC_ISSUER', 'BYLINE_OIDC_CLIENT_ID', 'BYLINE_OIDC_CLIENT_SECRET'] as const,
      (v) => ({
        issuer: v.BYLINE_OIDC_ISSUER,
        clientId: v.BYLINE_OIDC_CLIENT_ID,
        clientSecret: v.BYLINE_OIDC_CLIENT_SECRET,
        label: e.BYLINE_OIDC_LABEL ?? new URL(v.BYLINE_OIDC_ISSUER).hostname,
      }),
    ),
    kakao: pair('KAKAO'),
    naver: pair('NAVER'),
    google: pair('GOOGLE'),
    facebook: pair('FACEBOOK'),
    x: pair('X'),
    apple: group(
      [
        'BYLINE_APPLE_CLIENT_ID',
        'BYLINE_APPLE_TEAM_ID',
        'BYLINE_APPLE_KEY_ID',
        'BYLINE_APPLE_PRIVATE_KEY',
      ] as const,
      (v) => ({
        clientId: v.BYLINE_APPLE_CLIENT_ID,
        teamId: v.BYLINE_APPLE_TEAM_ID,
        keyId: v.BYLINE_APPLE_KEY_ID,
        privateKey: v.BYLINE_APPLE_PRIVATE_KEY.replace(/\\n/g, '\n'),
      }),
    ),
  };
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return Object.freeze(
    Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined)),
  );
}

/**
 * The PostgreSQL server the storage tests also run on, when set (CI sets it). Read here so that
 * this module stays the only reader of the environment.
 */
export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.TEST_DATABASE_URL;
  return value && value.length > 0 ? value : undefined;
}
