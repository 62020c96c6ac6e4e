import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { CommentStatusColumn } from '../db/db-schema.js';
import type { ModerationSettings } from '../config.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import { isAppError } from '../http/app-error.js';
import { publishedArticle, resetComments, testReader } from '../comments/comments.testing.js';
import { screenComment } from './moderation-screening.js';
import { listWordLists, saveWordLists } from './moderation-words.service.js';

/** Screening against the real database: the word lists, and each rule that holds a comment. */

const NOW = new Date('2026-12-01T10:00:00+09:00');
const DAY_MS = 86_400_000;

/** Every rule off but the ones a test turns on. */
const OFF: ModerationSettings = {
  holdMaxLinks: 1_000,
  holdNewReaderDays: 0,
  holdMinApproved: 0,
  holdRejectionRate: 0,
  holdRejectionMinDecided: 4,
  claimMinutes: 10,
};

for (const backend of testBackends()) {
  describe(`comment screening on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let deps: AppDeps;
    let articleId: string;
    let adminId: string;
    let commentNumber = 0;

    before(async () => {
      handle = await backend.open();
      deps = testDeps(handle, { clock: () => NOW });
    });
    after(async () => {
      await handle.close();
    });
    beforeEach(async () => {
      await resetComments(handle);
      await handle.db.deleteFrom('moderation_words').execute();
      articleId = (await publishedArticle(deps)).id;
      adminId = (
        await handle.db
          .insertInto('accounts')
          .values({ display_name: '관리자', role: 'admin', staff_email: 'admin@example.com' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    });

    /** Comments by a reader, straight into the table, in the given states. */
    async function pastComments(authorId: string, statuses: CommentStatusColumn[]): Promise<void> {
      for (const status of statuses) {
        commentNumber += 1;
        await handle.db
          .insertInto('comments')
          .values({
            article_id: articleId,
            parent_id: null,
            root_id: null,
            author_id: authorId,
            body: `지난 댓글 ${String(commentNumber)}`,
            body_hash: `hash-${String(commentNumber)}`,
            status,
            policy_version: 1,
            created_at: new Date(NOW.getTime() - DAY_MS),
          })
          .execute();
      }
    }

    async function readerCreatedDaysAgo(name: string, days: number): Promise<string> {
      const id = await testReader(deps, name);
      await handle.db
        .updateTable('accounts')
        .set({ created_at: new Date(NOW.getTime() - days * DAY_MS) })
        .where('id', '=', id)
        .execute();
      return id;
    }

    /** Screens inside a transaction, as posting does. */
    function screen(
      authorId: string,
      text: string,
      settings: Partial<ModerationSettings> = {},
      premoderated = false,
    ) {
      return handle.db
        .transaction()
        .execute((trx) =>
          screenComment(trx, { ...OFF, ...settings }, { authorId, text, premoderated, now: NOW }),
        );
    }

    async function wordsChangedEntries() {
      return handle.db
        .selectFrom('moderation_log')
        .select(['actor_id', 'detail', 'at'])
        .where('action', '=', 'words_changed')
        .where('actor_id', '=', adminId)
        .execute();
    }

    it('publishes an ordinary comment under the default settings', async () => {
      const reader = await testReader(deps, '김독자');
      const result = await screenComment(handle.db, deps.config.moderation, {
        authorId: reader,
        text: '좋은 기사 감사합니다. https://news.example/a 참고하세요.',
        premoderated: false,
        now: NOW,
      });
      assert.deepEqual(result, { hold: [], suspectWords: [] });
    });

    it('holds every comment in a premoderated thread', async () => {
      const reader = await testReader(deps, '김독자');
      assert.deepEqual(await screen(reader, '좋은 기사입니다', {}, true), {
        hold: ['premoderated'],
        suspectWords: [],
      });
    });

    it('holds a comment with a suspect word and names every one found', async () => {
      await saveWordLists(deps, { adminId, banned: '', suspect: '광고\n도박\nCasino\n주식' });
      const reader = await testReader(deps, '김독자');
      assert.deepEqual(await screen(reader, '도박 광고는 CASINO 말고 여기서'), {
        hold: ['suspect_word'],
        suspectWords: ['casino', '광고', '도박'],
      });
      assert.deepEqual(await screen(reader, '광고판이 멋지네요'), {
        hold: ['suspect_word'],
        suspectWords: ['광고'],
      });
      assert.deepEqual(await screen(reader, 'occasional casinos? 아니요'), {
        hold: [],
        suspectWords: [],
      });
    });

    it('refuses a banned word with COMMENT_BANNED_WORD naming it, before any hold', async () => {
      await saveWordLists(deps, { adminId, banned: '바보\nIdiot', suspect: '광고' });
      const reader = await testReader(deps, '김독자');
      await assert.rejects(screen(reader, '광고하는 이 바보야', {}, true), (error: unknown) => {
        assert.ok(isAppError(error));
        assert.equal(error.code, 'COMMENT_BANNED_WORD');
        assert.deepEqual(error.params, { word: '바보' });
        return true;
      });
      await assert.rejects(screen(reader, 'You IDIOT!'), (error: unknown) => {
        assert.ok(isAppError(error));
        assert.deepEqual(error.params, { word: 'idiot' });
        return true;
      });
      assert.deepEqual(await screen(reader, 'idiotic은 괜찮습니다'), {
        hold: [],
        suspectWords: [],
      });
    });

    it('holds a comment with more links than the setting allows, and any link at 0', async () => {
      const reader = await testReader(deps, '김독자');
      const two = '출처 https://a.example/1 그리고 www.b.example 입니다';
      const three = `${two} https://c.example/기사`;
      assert.deepEqual((await screen(reader, two, { holdMaxLinks: 2 })).hold, []);
      assert.deepEqual((await screen(reader, three, { holdMaxLinks: 2 })).hold, ['links']);
      assert.deepEqual((await screen(reader, '링크 없는 글', { holdMaxLinks: 0 })).hold, []);
      assert.deepEqual((await screen(reader, '여기 https://a.example', { holdMaxLinks: 0 })).hold, [
        'links',
      ]);
    });

    it('holds a reader whose account is younger than the setting, and no one when it is 0', async () => {
      const young = await readerCreatedDaysAgo('새독자', 6);
      const old = await readerCreatedDaysAgo('오랜독자', 8);
      assert.deepEqual((await screen(young, '안녕하세요', { holdNewReaderDays: 7 })).hold, [
        'new_reader',
      ]);
      assert.deepEqual((await screen(old, '안녕하세요', { holdNewReaderDays: 7 })).hold, []);
      assert.deepEqual((await screen(young, '안녕하세요', { holdNewReaderDays: 0 })).hold, []);
    });

    it('holds a reader with fewer published comments than the setting; pending and hidden do not count', async () => {
      const few = await testReader(deps, '이독자');
      await pastComments(few, ['published', 'pending', 'hidden', 'deleted']);
      const enough = await testReader(deps, '박독자');
      await pastComments(enough, ['published', 'published']);
      assert.deepEqual((await screen(few, '댓글', { holdMinApproved: 2 })).hold, ['few_approved']);
      assert.deepEqual((await screen(enough, '댓글', { holdMinApproved: 2 })).hold, []);
      assert.deepEqual((await screen(few, '댓글', { holdMinApproved: 0 })).hold, []);
    });

    it('holds a reader whose hidden share reaches the rate once enough comments are decided', async () => {
      const settings = { holdRejectionRate: 0.5, holdRejectionMinDecided: 4 };
      const half = await testReader(deps, '최독자');
      await pastComments(half, ['hidden', 'hidden', 'published', 'published']);
      const fewer = await testReader(deps, '정독자');
      await pastComments(fewer, ['hidden', 'published', 'published', 'published']);
      // Three hidden out of three decided: too few decided to judge; the rest never count.
      const undecided = await testReader(deps, '강독자');
      await pastComments(undecided, ['hidden', 'hidden', 'hidden', 'pending', 'deleted']);
      assert.deepEqual((await screen(half, '댓글', settings)).hold, ['rejection_rate']);
      assert.deepEqual((await screen(fewer, '댓글', settings)).hold, []);
      assert.deepEqual((await screen(undecided, '댓글', settings)).hold, []);
      assert.deepEqual(
        (await screen(half, '댓글', { ...settings, holdRejectionRate: 0 })).hold,
        [],
        'a rate of 0 is off',
      );
    });

    it('names every reason that applies, in one order', async () => {
      await saveWordLists(deps, { adminId, banned: '', suspect: '광고' });
      const reader = await readerCreatedDaysAgo('한독자', 1);
      await pastComments(reader, ['hidden', 'hidden', 'hidden', 'hidden']);
      const result = await screen(
        reader,
        '광고 https://a.example',
        {
          holdMaxLinks: 0,
          holdNewReaderDays: 3,
          holdMinApproved: 1,
          holdRejectionRate: 0.5,
          holdRejectionMinDecided: 4,
        },
        true,
      );
      assert.deepEqual(result, {
        hold: [
          'premoderated',
          'suspect_word',
          'links',
          'new_reader',
          'few_approved',
          'rejection_rate',
        ],
        suspectWords: ['광고'],
      });
    });

    describe('the word lists', () => {
      it('saves both lists folded and sorted, and logs the change with their sizes', async () => {
        const saved = await saveWordLists(deps, {
          adminId,
          banned: '씨발\n바보\nIDIOT\n바보',
          suspect: '도박\n\n광고',
        });
        assert.deepEqual(saved, { banned: ['idiot', '바보', '씨발'], suspect: ['광고', '도박'] });
        assert.deepEqual(await listWordLists(deps), saved);
        const rows = await handle.db.selectFrom('moderation_words').selectAll().execute();
        assert.equal(rows.length, 5);
        for (const row of rows) {
          assert.equal(row.added_by, adminId);
          assert.equal(row.added_at.getTime(), NOW.getTime());
        }
        const log = await wordsChangedEntries();
        const [entry, ...others] = log;
        assert.ok(entry);
        assert.equal(others.length, 0);
        assert.deepEqual(entry.detail, { banned: 3, suspect: 2 });
        assert.equal(entry.at.getTime(), NOW.getTime());
      });

      it('replaces the lists whole, so a word left out is no longer listed', async () => {
        await saveWordLists(deps, { adminId, banned: '바보', suspect: '광고' });
        await saveWordLists(deps, { adminId, banned: '멍청이', suspect: '' });
        assert.deepEqual(await listWordLists(deps), { banned: ['멍청이'], suspect: [] });
        const reader = await testReader(deps, '김독자');
        assert.deepEqual(await screen(reader, '바보 광고'), { hold: [], suspectWords: [] });
        assert.deepEqual((await wordsChangedEntries()).map((e) => e.detail).at(-1), {
          banned: 1,
          suspect: 0,
        });
      });

      it('refuses a bad entry or a word in both lists with WORD_LIST_INVALID and keeps the old lists', async () => {
        await saveWordLists(deps, { adminId, banned: '바보', suspect: '광고' });
        const refused = [
          { banned: `멍청이\n${'가'.repeat(61)}`, suspect: '' },
          { banned: '멍청이', suspect: '나쁜\t말' },
          { banned: '멍청이\nSpam', suspect: 'spam' },
        ];
        for (const lists of refused)
          await assert.rejects(saveWordLists(deps, { adminId, ...lists }), (error: unknown) => {
            assert.ok(isAppError(error));
            assert.equal(error.code, 'WORD_LIST_INVALID');
            return true;
          });
        assert.deepEqual(await listWordLists(deps), { banned: ['바보'], suspect: ['광고'] });
        assert.equal((await wordsChangedEntries()).length, 1);
      });

      it('lets two admins save at once, the later save winning whole', async () => {
        await Promise.all([
          saveWordLists(deps, { adminId, banned: '바보\n멍청이', suspect: '광고' }),
          saveWordLists(deps, { adminId, banned: '바보\n멍청이', suspect: '도박' }),
        ]);
        const lists = await listWordLists(deps);
        assert.deepEqual(lists.banned, ['멍청이', '바보']);
        assert.equal(lists.suspect.length, 1);
      });
    });
  });
}
