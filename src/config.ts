import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of the environment (STYLE.md, habit 6). Everything else receives a frozen
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

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  BYLINE_HOST: z.string().min(1).default('127.0.0.1'),
  BYLINE_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BYLINE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  BYLINE_DATA_DIR: z.string().min(1).default('data'),
  BYLINE_TIME_ZONE: timeZone.default('Asia/Seoul'),
  BYLINE_SITE_NAME: z.string().min(1).max(100).default('Byline Daily'),
  BYLINE_SITE_NAME_KO: z.string().min(1).max(100).default('바이라인 데일리'),
  BYLINE_PAGE_CACHE: booleanFlag.default(true),
  BYLINE_DEMO_CONTENT: booleanFlag.default(true),
  BYLINE_COMMENT_MAX_LENGTH: z.coerce.number().int().min(1).max(10_000).default(250),
  BYLINE_COMMENT_COUNTER_UNIT: z.string().max(20).default('자'),
  BYLINE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** The origin readers use, without a trailing slash; canonical links and feeds are built on it. */
  publicUrl: string;
  database: Readonly<{ kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string }>;
  timeZone: string;
  siteName: Readonly<{ en: string; ko: string }>;
  pageCache: boolean;
  demoContent: boolean;
  commentMaxLength: number;
  /** The unit after the comment counter, `(0/250자)`; a site may prefer ` characters`. */
  commentCounterUnit: string;
  logLevel: string;
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
  const publicUrl = (e.BYLINE_PUBLIC_URL ?? `http://localhost:${e.BYLINE_PORT}`).replace(
    /\/+$/,
    '',
  );
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.BYLINE_HOST,
    port: e.BYLINE_PORT,
    publicUrl,
    database: Object.freeze(
      e.DATABASE_URL
        ? { kind: 'postgres' as const, url: e.DATABASE_URL }
        : { kind: 'pglite' as const, dataDir: path.resolve(cwd, e.BYLINE_DATA_DIR) },
    ),
    timeZone: e.BYLINE_TIME_ZONE,
    siteName: Object.freeze({ en: e.BYLINE_SITE_NAME, ko: e.BYLINE_SITE_NAME_KO }),
    pageCache: e.BYLINE_PAGE_CACHE,
    demoContent: e.BYLINE_DEMO_CONTENT,
    commentMaxLength: e.BYLINE_COMMENT_MAX_LENGTH,
    commentCounterUnit: e.BYLINE_COMMENT_COUNTER_UNIT,
    logLevel: e.BYLINE_LOG_LEVEL,
  });
}

/**
 * The PostgreSQL server the storage tests also run on, when set (CI sets it). Read here so that
 * this module stays the only reader of the environment.
 */
export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.TEST_DATABASE_URL;
  return value && value.length > 0 ? value : undefined;
}
