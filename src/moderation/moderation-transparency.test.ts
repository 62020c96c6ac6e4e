import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import { PageCache } from '../http/page-cache.js';
import { appendLog, type LogEntry } from './moderation-log.queries.js';
import {
  transparencyReport,
  type TransparencyFigures,
  type TransparencyReport,
} from './moderation-transparency.service.js';
import { textOf } from '../http/routes.testing.js';
import { assertUnreachable } from '../lib/assert.js';

/**
 * The transparency report against a log written here: its figures must equal a count made by
 * hand from the same entries, months cut at midnight in Seoul, not in UTC.
 */

const TIME_ZONE = 'Asia/Seoul';
/** The clock of every test here: the last day of November 2026, in Seoul. */
const NOW = new Date('2026-11-30T09:00:00+09:00');

const seoul = (local: string) => new Date(`${local}+09:00`);

/** A log of three months and their edges, and entries just outside the twelve-month window. */
function knownLog(): LogEntry[] {
  const at = (local: string, action: LogEntry['action'], more: Partial<LogEntry> = {}) => ({
    at: seoul(local),
    action,
    actorId: null,
    articleId: '7',
    ...more,
  });
  const hide = (local: string, clauses: number[]) =>
    at(local, 'comment_rejected', { policyVersion: 1, clauses, fromState: 'published' });
  return [
    // Before the window (November 2025) and after it (December 2026): never counted.
    at('2025-11-30T23:58:00', 'comment_published'),
    hide('2025-11-30T23:59:00', [2]),
    at('2026-12-01T00:01:00', 'comment_held'),
    // The window's first minutes: December 2025.
    at('2025-12-01T00:02:00', 'comment_published'),
    // September: the evening of the 30th in Seoul is still September in UTC too.
    at('2026-09-03T10:00:00', 'comment_published'),
    at('2026-09-03T10:01:00', 'comment_held'),
    at('2026-09-03T11:00:00', 'comment_approved', { fromState: 'pending', toState: 'published' }),
    at('2026-09-12T08:00:00', 'comment_reported'),
    at('2026-09-12T09:00:00', 'comment_approved', { fromState: 'published' }),
    hide('2026-09-20T12:00:00', [2, 3]),
    at('2026-09-21T12:00:00', 'appeal_filed'),
    at('2026-09-25T12:00:00', 'appeal_granted', { fromState: 'hidden', toState: 'published' }),
    at('2026-09-30T23:55:00', 'reader_warned'),
    // October: its first minutes in Seoul are 30 September in UTC.
    at('2026-10-01T00:05:00', 'comment_held'),
    at('2026-10-01T00:06:00', 'comment_reported'),
    hide('2026-10-01T00:07:00', [2, 3]),
    hide('2026-10-14T15:00:00', [5]),
    hide('2026-10-15T15:00:00', [2]),
    at('2026-10-16T09:00:00', 'comment_restored', { fromState: 'hidden' }),
    at('2026-10-17T09:00:00', 'appeal_filed'),
    at('2026-10-20T09:00:00', 'appeal_upheld'),
    at('2026-10-21T09:00:00', 'reader_suspended'),
    at('2026-10-22T09:00:00', 'comment_deleted'),
    at('2026-10-22T10:00:00', 'comment_featured'),
    at('2026-10-31T23:55:00', 'comment_published'),
    // November: its first minutes in Seoul are still October in UTC.
    at('2026-11-01T00:03:00', 'comment_published'),
    at('2026-11-01T00:04:00', 'comment_held'),
    at('2026-11-01T00:05:00', 'comment_approved', { fromState: 'pending' }),
    at('2026-11-02T00:05:00', 'comment_approved', { fromState: 'published' }),
    hide('2026-11-03T10:00:00', [3, 4]),
    at('2026-11-04T10:00:00', 'comment_deleted'),
    at('2026-11-05T10:00:00', 'reader_banned'),
    at('2026-11-05T10:00:00', 'reader_reinstated'),
    at('2026-11-06T10:00:00', 'words_changed'),
  ];
}

/** `YYYY-MM` of a moment in Seoul, by Intl rather than by the database. */
function monthIn(date: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}`;
}

/** The twelve months ending with the clock's, as `YYYY-MM`. */
function windowMonths(now: Date, months: number): Set<string> {
  const [year = 0, month = 0] = monthIn(now).split('-').map(Number);
  const keys = new Set<string>();
  for (let i = 0; i < months; i += 1) {
    const d = new Date(Date.UTC(year, month - 1 - i, 15));
    keys.add(`${String(d.getUTCFullYear())}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return keys;
}

type Tally = { -readonly [K in keyof TransparencyFigures]: number };

const zero: Tally = {
  published: 0,
  held: 0,
  hidden: 0,
  restored: 0,
  deleted: 0,
  reported: 0,
  appealsFiled: 0,
  appealsUpheld: 0,
  appealsGranted: 0,
  warnings: 0,
  suspensions: 0,
  bans: 0,
};

/** Which figures an entry adds one to, as the page explains them. */
function figuresOf(entry: LogEntry): (keyof TransparencyFigures)[] {
  switch (entry.action) {
    case 'comment_published':
      return ['published'];
    case 'comment_approved':
      return entry.fromState === 'pending' ? ['published'] : [];
    case 'comment_held':
      return ['held'];
    case 'comment_rejected':
      return ['hidden'];
    case 'comment_restored':
      return ['restored'];
    case 'appeal_granted':
      return entry.toState === 'published' ? ['restored', 'appealsGranted'] : ['appealsGranted'];
    case 'comment_deleted':
      return ['deleted'];
    case 'comment_reported':
      return ['reported'];
    case 'appeal_filed':
      return ['appealsFiled'];
    case 'appeal_upheld':
      return ['appealsUpheld'];
    case 'reader_warned':
      return ['warnings'];
    case 'reader_suspended':
      return ['suspensions'];
    case 'reader_banned':
      return ['bans'];
    // The page counts no feature, reinstatement or word-list change.
    case 'comment_featured':
    case 'comment_unfeatured':
    case 'reader_reinstated':
    case 'words_changed':
      return [];
    default:
      return assertUnreachable(entry.action);
  }
}

type Expected = Map<string, { figures: Tally; clauses: Map<string, number> }>;

function handCount(entries: readonly LogEntry[], now: Date, months: number): Expected {
  const window = windowMonths(now, months);
  return entries.reduce<Expected>((acc, entry) => {
    const key = monthIn(entry.at);
    if (!window.has(key)) return acc;
    const month = acc.get(key) ?? { figures: { ...zero }, clauses: new Map<string, number>() };
    for (const figure of figuresOf(entry)) month.figures[figure] += 1;
    if (entry.action === 'comment_rejected')
      for (const clause of new Set(entry.clauses)) {
        const id = `${String(entry.policyVersion)}:${String(clause)}`;
        month.clauses.set(id, (month.clauses.get(id) ?? 0) + 1);
      }
    acc.set(key, month);
    return acc;
  }, new Map());
}

/** The report in the hand count's shape, to compare the two whole. */
function shapeOf(report: TransparencyReport): Expected {
  return new Map(
    report.months.map((m) => [
      `${String(m.year)}-${String(m.month).padStart(2, '0')}`,
      {
        figures: { ...m.figures },
        clauses: new Map(
          m.hiddenByClause.map((c) => [`${String(c.policyVersion)}:${String(c.clause)}`, c.count]),
        ),
      },
    ]),
  );
}

for (const backend of testBackends()) {
  describe(`transparency report on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let deps: AppDeps;
    let app: FastifyInstance;
    const entries = knownLog();

    before(async () => {
      handle = await backend.open();
      deps = testDeps(handle, { clock: () => NOW });
      assert.equal(deps.config.timeZone, TIME_ZONE);
      app = await buildApp(deps, { cache: new PageCache(true), mailer: null, providers: [] });
    });
    after(async () => {
      await app.close();
      await handle.close();
    });

    // First, while the log is still empty (it cannot be emptied later: it is append-only).
    it('answers /transparency and /ko/transparency on an empty log', async () => {
      assert.deepEqual((await transparencyReport(deps, { months: 12 })).months, []);
      for (const url of ['/transparency', '/ko/transparency']) {
        const page = await app.inject({ url });
        assert.equal(page.statusCode, 200, url);
      }
    });

    it('counts each month of the log as a hand count of the same entries does', async () => {
      for (const entry of entries) await appendLog(deps.db, entry);
      const report = await transparencyReport(deps, { months: 12 });
      assert.deepEqual(shapeOf(report), handCount(entries, NOW, 12));
      assert.deepEqual(
        report.months.map((m) => `${String(m.year)}-${String(m.month)}`),
        ['2026-11', '2026-10', '2026-9', '2025-12'],
      );
      const november = report.months[0];
      assert.deepEqual(
        november?.hiddenByClause.map((c) => [c.clause, c.title?.en, c.title?.ko]),
        [
          [3, 'No hate or discrimination', '혐오·차별 금지'],
          [4, 'Respect privacy', '사생활 보호'],
        ],
      );
    });

    it('counts fewer months when asked for fewer', async () => {
      const report = await transparencyReport(deps, { months: 2 });
      assert.deepEqual(shapeOf(report), handCount(entries, NOW, 2));
    });

    it('shows the figures and clause titles in both editions, kept by browsers not the page cache', async () => {
      const expected = handCount(entries, NOW, 12);
      const october = expected.get('2026-10');
      assert.ok(october);

      const en = await app.inject({ url: '/transparency' });
      assert.equal(en.statusCode, 200);
      assert.equal(en.headers['cache-control'], 'public, max-age=300');
      const enText = textOf(en.body);
      assert.match(enText, /October 2026/);
      assert.match(enText, new RegExp(`Comments published ${String(october.figures.published)} `));
      assert.match(enText, new RegExp(`Hidden by moderators ${String(october.figures.hidden)} `));
      assert.match(enText, /No abuse/);
      assert.ok(en.body.includes('href="/policy/versions/1#clause-2"'));

      const ko = await app.inject({ url: '/ko/transparency' });
      assert.equal(ko.statusCode, 200);
      const koText = textOf(ko.body);
      assert.match(koText, /2026년 10월/);
      assert.match(koText, /욕설·모욕 금지/);
      assert.ok(ko.body.includes('href="/ko/policy/versions/1#clause-2"'));
      assert.doesNotMatch(koText, /No abuse/);

      // A decision logged after the first answer shows at once: no page cache holds the old one.
      await appendLog(deps.db, {
        at: seoul('2026-10-23T09:00:00'),
        action: 'comment_deleted',
        actorId: null,
      });
      const again = textOf((await app.inject({ url: '/transparency' })).body);
      assert.match(
        again,
        new RegExp(`Deleted by their authors ${String(october.figures.deleted + 1)} `),
      );
    });
  });
}
