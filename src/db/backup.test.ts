import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { testClock } from '../accounts/accounts.testing.js';
import { createSession } from '../accounts/sessions.js';
import { addStaffAccount, issueSetupLink } from '../accounts/staff.service.js';
import { englishArticle, koreanArticle, paragraphs } from '../articles/articles.fixtures.js';
import { findArticleIdAt, saveArticles } from '../articles/articles.service.js';
import { reportComment } from '../comments/comments.reports.js';
import { editComment, postComment } from '../comments/comments.service.js';
import { setThreadSettings } from '../comments/comments.settings.js';
import { testReader } from '../comments/comments.testing.js';
import { voteOnComment } from '../comments/comments.voting.js';
import type { AppDeps } from '../deps.js';
import { saveWordLists } from '../moderation/moderation-words.service.js';
import {
  appealCase,
  decideAppeal,
  decideComment,
  fileAppeal,
  sanctionReader,
} from '../moderation/moderation.service.js';
import { saveSitePage } from '../pages/site-pages.service.js';
import { getCurrentPolicy, publishPolicyVersion } from '../policy/policy.service.js';
import { BackupError, checkArchive, type BackupErrorCode } from './backup-archive.js';
import { backupDatabase, restoreDatabase } from './backup.js';
import { MIGRATION_SEED, readTables, setPortableSettings, tableHash } from './backup.queries.js';
import type { DatabaseHandle } from './db.js';
import { setMeta } from './db-meta.js';
import { testBackends, testConfig, testDeps } from './db-test.js';

/**
 * R7 (the battery of docs/SECURITY.md): a newsroom's database, filled through the real services,
 * survives a backup and a restore with every table's row count and hash unchanged, on each backend
 * and across them (PGlite to PostgreSQL is how a growing newsroom moves). A refused restore writes
 * nothing.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-backup-test-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let files = 0;
const archivePath = () => path.join(dir, `archive-${String((files += 1))}.jsonl.gz`);

type Hashes = Record<string, { rows: number; hash: string }>;

/** Every table's count and hash, as restore computes them. */
async function hashesOf(handle: DatabaseHandle): Promise<Hashes> {
  return handle.db.transaction().execute(async (trx) => {
    await setPortableSettings(trx);
    const result: Hashes = {};
    for (const table of await readTables(trx))
      result[table.name] = await tableHash(
        trx,
        table,
        table.columns.map((c) => c.name),
      );
    return result;
  });
}

async function constraintsOf(handle: DatabaseHandle): Promise<string[]> {
  const { rows } = await sql<{ c: string }>`
    select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) as c
    from pg_constraint where connamespace = current_schema()::regnamespace and contype = 'f'
    order by 1`.execute(handle.db);
  return rows.map((r) => r.c);
}

async function refused(promise: Promise<unknown>, code: BackupErrorCode): Promise<BackupError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof BackupError, `expected BackupError ${code}, got ${String(error)}`);
    assert.equal(error.code, code);
    return error;
  }
  assert.fail(`expected ${code}`);
}

/**
 * A small newsroom: articles in both languages linked as translations (the English one names a
 * later row), staff and readers, a second policy version, comments with replies, edits, votes,
 * reports, decisions, a sanction, an appeal, word lists, thread settings, site facts and a site
 * page an admin edited.
 */
async function fillNewsroom(handle: DatabaseHandle): Promise<void> {
  const clock = testClock();
  const config = testConfig({
    BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
    BYLINE_HOLD_REJECTION_RATE: '0',
  });
  const deps: AppDeps = testDeps(handle, { clock: clock.clock, config });
  await saveArticles(deps, [englishArticle({ translation: '북한-러시아-무기-공급-부인' })]);
  const [ko] = await saveArticles(deps, [
    koreanArticle({ translation: 'north-denies-sending-arms' }),
  ]);
  const [quoted] = await saveArticles(deps, [
    englishArticle({
      slug: 'quotes-and-backslashes',
      headline: 'He said "no" \\ then \'yes\' — 🗞️ 한글',
      body: paragraphs('Tab\there, a line\nbreak, and U+2028 \u2028 inside.'),
      section: 'Opinion',
      tags: ['Politics', '정치'],
    }),
  ]);
  assert.ok(ko && quoted);
  // Saved again under a new date: the old address becomes a redirect.
  await saveArticles(deps, [
    koreanArticle({
      translation: 'north-denies-sending-arms',
      publishedAt: new Date('2023-01-30T08:00:00+09:00'),
    }),
  ]);
  const articleId = (await findArticleIdAt(deps, quoted.path)) ?? '';
  const editor = (
    await addStaffAccount(deps, { email: 'ed@example.com', role: 'editor', displayName: '편집자' })
  ).accountId;
  const moderator = (
    await addStaffAccount(deps, { email: 'mod@example.com', role: 'moderator', displayName: '가' })
  ).accountId;
  const second = (
    await addStaffAccount(deps, { email: 'mod2@example.com', role: 'moderator', displayName: '나' })
  ).accountId;
  await issueSetupLink(deps, editor, 'http://localhost:3000');
  // One site page saved by an admin; the other two keep the migration's texts.
  await saveSitePage(deps, {
    key: 'about',
    adminId: editor,
    texts: { en: 'About **us**: news@example.com.', ko: '회사 소개: "따옴표"와 \\ 역슬래시.' },
  });
  const policy = await getCurrentPolicy(deps);
  await publishPolicyVersion(deps, {
    adminId: editor,
    intro: { en: `${policy.intro.en} Revised.`, ko: `${policy.intro.ko} 개정.` },
    note: { en: 'Clause 1 reworded.', ko: '1항 문구 수정.' },
    clauses: policy.clauses,
  });
  await setThreadSettings(deps, {
    scope: 'article',
    id: articleId,
    overrides: { state: 'open', closeAfterHours: 0, premoderated: null },
    by: editor,
  });
  const section = await handle.db
    .selectFrom('sections')
    .select('id')
    .where('slug', '=', 'opinion')
    .executeTakeFirstOrThrow();
  await setThreadSettings(deps, {
    scope: 'section',
    id: section.id,
    overrides: { state: null, closeAfterHours: null, premoderated: false },
    by: editor,
  });
  await saveWordLists(deps, { adminId: editor, banned: '금칙어', suspect: '수상한\nspam' });
  const readers = [
    await testReader(deps, '김독자'),
    await testReader(deps, '이독자'),
    await testReader(deps, 'Reader "Three"'),
  ];
  const [a = '', b = '', c = ''] = readers;
  await createSession(deps, {
    accountId: a,
    kind: 'reader',
    method: 'email',
    userAgent: 'Mozilla/5.0 (테스트)',
    ip: '203.0.113.7',
  });
  const post = (authorId: string, body: string, parentId?: string) => {
    clock.advance(61);
    return postComment(deps, { articleId, authorId, body, parentId });
  };
  const first = await post(a, '첫 댓글입니다. "따옴표"와 \\ 백슬래시');
  const reply = await post(b, '답글\n두 번째 줄 😀', first.id);
  const third = await post(c, 'Plain English comment.');
  const held = await post(c, '정말 수상한 댓글');
  await editComment(deps, { commentId: first.id, authorId: a, body: '고친 댓글입니다.' });
  await voteOnComment(deps, { commentId: first.id, accountId: b, vote: 'up' });
  await voteOnComment(deps, { commentId: first.id, accountId: c, vote: 'down' });
  await voteOnComment(deps, { commentId: reply.id, accountId: a, vote: 'up' });
  await reportComment(deps, { commentId: third.id, reporterId: a, clause: 1, note: '신고 사유' });
  const rev = async (id: string) =>
    (
      await handle.db
        .selectFrom('comments')
        .select('moderation_rev')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).moderation_rev;
  await decideComment(deps, {
    moderatorId: moderator,
    commentId: third.id,
    rev: await rev(third.id),
    decision: 'reject',
    clauses: [1],
    note: '규정 위반',
  });
  await decideComment(deps, {
    moderatorId: moderator,
    commentId: held.id,
    rev: await rev(held.id),
    decision: 'approve',
    clauses: [],
  });
  const appealId = await fileAppeal(deps, {
    authorId: c,
    commentId: third.id,
    reason: '억울합니다',
  });
  const appeal = await appealCase(deps, appealId);
  await decideAppeal(deps, {
    moderatorId: second,
    appealId,
    rev: appeal?.appeal.rev ?? -1,
    outcome: 'upheld',
  });
  await sanctionReader(deps, {
    moderatorId: moderator,
    accountId: c,
    rev: 0,
    sanction: 'warn',
    clauses: [1],
  });
  await setMeta(handle.db, 'demo_loaded_at', '2026-11-30T00:00:00.000Z');
}

for (const source of testBackends()) {
  for (const target of testBackends()) {
    describe(`backup on ${source.name}, restore on ${target.name}`, () => {
      let from: DatabaseHandle;
      let to: DatabaseHandle;
      before(async () => {
        [from, to] = await Promise.all([source.open(), target.open()]);
      });
      after(async () => {
        await Promise.all([from.close(), to.close()]);
      });

      it('restores every table with the same row count and hash', async (t) => {
        await fillNewsroom(from);
        const file = archivePath();
        let started = performance.now();
        const backedUp = await backupDatabase(from, file);
        const backupMs = performance.now() - started;
        started = performance.now();
        const restored = await restoreDatabase(to.db, file);
        const restoreMs = performance.now() - started;
        const [expected, actual] = await Promise.all([hashesOf(from), hashesOf(to)]);
        assert.deepEqual(actual, expected);
        // The self-references dropped for the load (translations, replies) are back, unchanged.
        assert.deepEqual(await constraintsOf(to), await constraintsOf(from));
        assert.deepEqual(restored, { tables: backedUp.tables, rows: backedUp.rows });
        const empty = Object.entries(expected)
          .filter(([, h]) => h.rows === 0)
          .map(([name]) => name);
        t.diagnostic(
          `${source.name} → ${target.name}: ${String(backedUp.tables)} tables, ${String(backedUp.rows)} rows, ` +
            `${String(backedUp.bytes)} bytes; backup ${backupMs.toFixed(0)} ms, restore ${restoreMs.toFixed(0)} ms; ` +
            `row hashes identical; empty tables: ${empty.join(', ') || 'none'}`,
        );
      });

      it('moves every sequence past the restored rows, so new rows get new ids', async () => {
        const ids = async (handle: DatabaseHandle) =>
          (
            await sql<{ id: string }>`
              insert into moderation_log (at, action) values (now(), 'words_changed')
              returning id`.execute(handle.db)
          ).rows[0]?.id;
        assert.equal(await ids(to), await ids(from));
      });

      it('refuses to restore into a database that holds rows, changing nothing', async () => {
        const file = archivePath();
        await backupDatabase(from, file);
        const before = await hashesOf(to);
        const error = await refused(restoreDatabase(to.db, file), 'RESTORE_NOT_EMPTY');
        assert.match(error.message, /not empty \(rows in [a-z_, ]*articles/);
        assert.deepEqual(await hashesOf(to), before);
      });
    });
  }
}

for (const backend of testBackends()) {
  describe(`refused archives on ${backend.name}`, () => {
    let from: DatabaseHandle;
    let to: DatabaseHandle;
    let good: string;
    let pristine: Hashes;
    before(async () => {
      [from, to] = await Promise.all([backend.open(), backend.open()]);
      await fillNewsroom(from);
      good = archivePath();
      await backupDatabase(from, good);
      pristine = await hashesOf(to);
    });
    after(async () => {
      await Promise.all([from.close(), to.close()]);
    });

    /** Rewrites the archive's decompressed text. */
    function edited(edit: (text: string) => string): string {
      const file = archivePath();
      fs.writeFileSync(file, gzipSync(edit(gunzipSync(fs.readFileSync(good)).toString('utf8'))));
      return file;
    }

    it('holds nothing but the migrations’ own rows when freshly migrated', () => {
      const seeded = Object.entries(pristine)
        .filter(([, h]) => h.rows > 0)
        .map(([name]) => name);
      assert.deepEqual(seeded.sort(), Object.keys(MIGRATION_SEED).sort());
    });

    const cases: [string, () => string, BackupErrorCode][] = [
      [
        'a truncated file',
        () => {
          const file = archivePath();
          const bytes = fs.readFileSync(good);
          fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
          return file;
        },
        'ARCHIVE_CORRUPT',
      ],
      [
        'a flipped byte',
        () => {
          const file = archivePath();
          const bytes = Buffer.from(fs.readFileSync(good));
          const at = Math.floor(bytes.length / 2);
          bytes[at] = (bytes[at] ?? 0) ^ 0xff;
          fs.writeFileSync(file, bytes);
          return file;
        },
        'ARCHIVE_CORRUPT',
      ],
      [
        'a file that is not gzip',
        () => {
          const file = archivePath();
          fs.writeFileSync(file, '{"format":"byline-backup"}\n');
          return file;
        },
        'ARCHIVE_CORRUPT',
      ],
      ['a missing file', () => path.join(dir, 'missing.jsonl.gz'), 'ARCHIVE_UNREADABLE'],
      [
        'a whole archive cut after a row',
        () => edited((text) => text.split('\n').slice(0, 40).join('\n')),
        'ARCHIVE_CORRUPT',
      ],
      [
        'a row that PostgreSQL cannot read',
        () =>
          edited((text) =>
            text.replace(/\n(\{"id":\d+,"article_id")/, '\n{"id":"not a number","article_id"'),
          ),
        'ARCHIVE_CORRUPT',
      ],
      [
        'an archive from a newer Byline',
        () =>
          // After the last migration, whichever it is: a newer build's list extends this one's.
          edited((text) => text.replace(/("migrations":\[[^\]]*)\]/, '$1,"9999-future"]')),
        'ARCHIVE_NEWER',
      ],
      [
        'a header whose hash does not match its rows',
        () =>
          edited((text) =>
            text.replace(
              /("name":"comments",.*?"hash":")([0-9a-f])/,
              (_, before: string, digit: string) => `${before}${digit === '0' ? '1' : '0'}`,
            ),
          ),
        'RESTORE_HASH_MISMATCH',
      ],
    ];
    for (const [name, make, code] of cases) {
      it(`refuses ${name} with ${code} and writes nothing`, async () => {
        const file = make();
        await refused(restoreDatabase(to.db, file), code);
        assert.deepEqual(await hashesOf(to), pristine);
      });
    }

    it('checks a whole archive without a database, and refuses a corrupt one', async () => {
      const header = await checkArchive(good);
      assert.equal(header.format, 'byline-backup');
      assert.ok(header.tables.some((t) => t.name === 'moderation_log' && t.rows > 0));
      await assert.rejects(
        checkArchive(edited((text) => text.replace(/\n[^\n]*\n$/, '\n'))),
        (e: unknown) => e instanceof BackupError && e.code === 'ARCHIVE_CORRUPT',
      );
    });
  });
}
