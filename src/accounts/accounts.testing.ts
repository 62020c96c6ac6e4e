import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../app.js';
import type { DatabaseHandle } from '../db/db.js';
import { testConfig, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import { PageCache } from '../http/page-cache.js';
import type { Mail, Mailer } from './mail.js';

/**
 * What the accounts tests share: an app on a real test database with a clock the test moves,
 * a mailer that keeps what it would send (mail is the outside world), and a browser that keeps
 * cookies and posts forms the way a same-site browser does.
 */

export type TestClock = { now: Date; clock: () => Date; advance(seconds: number): void };

export function testClock(start = new Date('2026-11-30T09:00:00+09:00')): TestClock {
  const state: TestClock = {
    now: start,
    clock: () => state.now,
    advance(seconds) {
      state.now = new Date(state.now.getTime() + seconds * 1000);
    },
  };
  return state;
}

export class RecordingMailer implements Mailer {
  readonly kind = 'outbox' as const;
  readonly sent: Mail[] = [];
  send(mail: Mail): Promise<void> {
    this.sent.push(mail);
    return Promise.resolve();
  }
  /** The code in the newest message to `to`. */
  lastCode(to: string): string {
    const mail = this.sent.findLast((m) => m.to === to);
    const match = mail ? /\b(\d{6})\b/.exec(mail.text) : null;
    assert.ok(match?.[1], `a code was mailed to ${to}`);
    return match[1];
  }
}

export type TestApp = {
  app: FastifyInstance;
  deps: AppDeps;
  clock: TestClock;
  mailer: RecordingMailer;
};

export async function testApp(
  handle: DatabaseHandle,
  options: { env?: Record<string, string>; app?: Partial<AppOptions>; clock?: TestClock } = {},
): Promise<TestApp> {
  const clock = options.clock ?? testClock();
  const mailer = new RecordingMailer();
  const deps = testDeps(handle, { clock: clock.clock, config: testConfig(options.env) });
  const app = await buildApp(deps, {
    cache: new PageCache(true),
    mailer,
    providers: [],
    ...options.app,
  });
  return { app, deps, clock, mailer };
}

type Headers = Record<string, string>;

/** A browser: a cookie jar, same-origin fetch metadata, and forms that carry the CSRF token. */
export class TestBrowser {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly app: FastifyInstance,
    readonly ip = '203.0.113.10',
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies) {
      const expired =
        cookie.value === '' ||
        (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now()) ||
        cookie.maxAge === 0;
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  cookie(suffix: string): string | undefined {
    for (const [name, value] of this.cookies) if (name.endsWith(suffix)) return value;
    return undefined;
  }

  async get(url: string, headers: Headers = {}): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.app.inject({
        method: 'GET',
        url,
        remoteAddress: this.ip,
        headers: { cookie: this.cookieHeader(), 'sec-fetch-site': 'same-origin', ...headers },
      }),
    );
  }

  /** Posts a form as this site's own page would: with the CSRF cookie's token. */
  async post(
    url: string,
    form: Record<string, string> = {},
    headers: Headers = {},
  ): Promise<LightMyRequestResponse> {
    if (!this.cookie('byline_csrf')) await this.get('/login');
    const token = this.cookie('byline_csrf') ?? '';
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.ip,
        headers: {
          cookie: this.cookieHeader(),
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
          origin: 'http://localhost:3000',
          ...headers,
        },
        payload: new URLSearchParams({ _csrf: token, ...form }).toString(),
      }),
    );
  }

  /** Logs in with an e-mailed code; returns the response of the code step. */
  async loginByEmail(mailer: RecordingMailer, email: string): Promise<LightMyRequestResponse> {
    const asked = await this.post('/login/email', { email, returnTo: '/' });
    assert.equal(asked.statusCode, 303, asked.body);
    return this.post('/login/email/code', { code: mailer.lastCode(email) });
  }
}

/** Rows in the tables a login writes, to show that a refused login wrote nothing. */
export async function accountRowCounts(
  handle: DatabaseHandle,
): Promise<{ accounts: number; identities: number; sessions: number }> {
  const count = async (table: 'accounts' | 'identities' | 'sessions') => {
    const row = await handle.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return {
    accounts: await count('accounts'),
    identities: await count('identities'),
    sessions: await count('sessions'),
  };
}
