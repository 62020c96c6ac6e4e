import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { testClock, type TestClock } from '../accounts/accounts.testing.js';
import { addStaffAccount } from '../accounts/staff.service.js';
import { reportComment } from '../comments/comments.reports.js';
import {
  commentCount,
  deleteComment,
  editComment,
  postComment,
} from '../comments/comments.service.js';
import { setThreadSettings } from '../comments/comments.settings.js';
import { acceptPolicy, getCurrentPolicy } from '../policy/policy.service.js';
import { publishedArticle, resetComments, testReader } from '../comments/comments.testing.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testConfig, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import { isAppError, type ErrorCode } from '../http/app-error.js';
import type { CommentDecision } from './moderation.js';
import { commentDecisions } from './moderation-gate.service.js';
import { transparencyReport, type TransparencyFigures } from './moderation-transparency.service.js';
import {
  appealCase,
  claimComment,
  commentCase,
  claimNext,
  decideAppeal,
  decideBulk,
  decideComment,
  fileAppeal,
  sanctionReader,
} from './moderation.service.js';

/**
 * The standards board's desk against the real database, on every backend: what screening holds
 * or refuses at posting, decisions and their checks (clauses, revisions, claims), two moderators
 * at once, bulk decisions, appeals, the audit log, and the transparency report it feeds.
 */

async function refused(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isAppError(error), `expected AppError ${code}, got ${String(error)}`);
    assert.equal(error.code, code);
    return;
  }
  assert.fail(`expected ${code}`);
}

const codeOf = (reason: unknown) => (isAppError(reason) ? reason.code : String(reason));

for (const backend of testBackends()) {
  describe(`the moderation desk on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let clock: TestClock;
    let deps: AppDeps;
    let articleId: string;
    let staffNumber = 0;

    before(async () => {
      handle = await backend.open();
    });
    after(async () => {
      await handle.close();
    });
    beforeEach(async () => {
      await resetComments(handle);
      for (const table of ['comment_appeals', 'reader_standing', 'moderation_words'] as const)
        await handle.db.deleteFrom(table).execute();
      clock = testClock();
      // No posting gap and no hold for a reader's record: each test sets its own holds.
      const config = testConfig({
        BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
        BYLINE_HOLD_REJECTION_RATE: '0',
      });
      deps = testDeps(handle, { clock: clock.clock, config });
      articleId = (await publishedArticle(deps)).id;
    });

    async function moderator(name: string): Promise<string> {
      staffNumber += 1;
      const email = `board-${String(staffNumber)}@example.com`;
      return (await addStaffAccount(deps, { email, role: 'moderator', displayName: name }))
        .accountId;
    }

    async function post(authorId: string, body: string, article = articleId) {
      return postComment(deps, { articleId: article, authorId, body });
    }

    async function premoderate(byId: string): Promise<void> {
      const overrides = { state: null, closeAfterHours: null, premoderated: true };
      await setThreadSettings(deps, { scope: 'article', id: articleId, overrides, by: byId });
    }

    async function row(commentId: string) {
      return handle.db
        .selectFrom('comments')
        .select(['status', 'moderation_rev as rev', 'featured_at', 'claimed_by'])
        .where('id', '=', commentId)
        .executeTakeFirstOrThrow();
    }

    async function logOf(commentId: string) {
      return handle.db
        .selectFrom('moderation_log')
        .selectAll()
        .where('comment_id', '=', commentId)
        .orderBy('id')
        .execute();
    }

    /** A decision on the revision the moderator sees now. */
    async function decide(
      moderatorId: string,
      commentId: string,
      decision: CommentDecision,
      clauses: number[] = [],
      note?: string,
    ): Promise<void> {
      const { rev } = await row(commentId);
      await decideComment(deps, { moderatorId, commentId, rev, decision, clauses, note });
    }

    async function words(list: Record<string, 'banned' | 'suspect'>): Promise<void> {
      for (const [word, kind] of Object.entries(list))
        await handle.db
          .insertInto('moderation_words')
          .values({ word, kind, added_by: null, added_at: clock.now })
          .execute();
    }

    // 1. Screening at posting -----------------------------------------------------------------

    it('holds a comment with a suspect word and logs why, and refuses one with a banned word outright', async () => {
      const reader = await testReader(deps, '김독자');
      await words({ 수상한: 'suspect', 금칙어: 'banned' });

      const held = await post(reader, '정말 수상한 기사네요');
      assert.equal(held.status, 'pending');
      assert.equal(held.count, 0);
      const [entry, ...rest] = await logOf(held.id);
      assert.equal(rest.length, 0);
      assert.equal(entry?.action, 'comment_held');
      assert.equal(entry.actor_id, null);
      assert.equal(entry.to_state, 'pending');
      assert.deepEqual(entry.detail, { reasons: ['suspect_word'], words: ['수상한'] });

      await refused(post(reader, '이건 금칙어 입니다'), 'COMMENT_BANNED_WORD');
      const stored = await handle.db
        .selectFrom('comments')
        .select('id')
        .where('author_id', '=', reader)
        .execute();
      assert.deepEqual(
        stored.map((c) => c.id),
        [held.id],
      );
    });

    it('holds every comment of a premoderated thread with the reason premoderated', async () => {
      await premoderate(await moderator('심의위원'));
      const posted = await post(await testReader(deps, '이독자'), '좋은 기사 감사합니다');
      assert.equal(posted.status, 'pending');
      const [entry] = await logOf(posted.id);
      assert.deepEqual(entry?.detail, { reasons: ['premoderated'], words: [] });
    });

    it('refuses a suspended reader until the suspension ends, and a banned one until reinstated', async () => {
      const mod = await moderator('심의위원');
      const reader = await testReader(deps, '박독자');
      const sanction = (rev: number, s: 'suspend' | 'ban' | 'reinstate') =>
        sanctionReader(deps, {
          moderatorId: mod,
          accountId: reader,
          rev,
          sanction: s,
          days: s === 'suspend' ? 1 : undefined,
          clauses: s === 'reinstate' ? [] : [1],
        });

      await sanction(0, 'suspend');
      await refused(post(reader, '정지 중의 댓글'), 'COMMENTER_SUSPENDED');
      clock.advance(86_400 + 1);
      assert.equal((await post(reader, '정지가 끝난 뒤의 댓글')).status, 'published');

      await sanction(1, 'ban');
      await refused(post(reader, '차단 중의 댓글'), 'COMMENTER_BANNED');
      await sanction(2, 'reinstate');
      assert.equal((await post(reader, '복권된 뒤의 댓글')).status, 'published');
      await refused(sanction(2, 'ban'), 'MODERATION_STALE');
    });

    // 2. Decisions -----------------------------------------------------------------------------

    it('refuses a rejection citing no clause, a clause the policy in force lacks, or one no comment can break, and leaves the comment as it was', async () => {
      const mod = await moderator('심의위원');
      const posted = await post(await testReader(deps, '김독자'), '평범한 댓글');
      const before = await row(posted.id);
      await refused(decide(mod, posted.id, 'reject'), 'MODERATION_CLAUSE_REQUIRED');
      await refused(decide(mod, posted.id, 'reject', [99]), 'MODERATION_CLAUSE_REQUIRED');
      // Clause 8 of the seeded policy, "Decisions and appeals", is about the board itself.
      await refused(decide(mod, posted.id, 'reject', [8]), 'MODERATION_CLAUSE_REQUIRED');
      await refused(decide(mod, posted.id, 'reject', [2, 8]), 'MODERATION_CLAUSE_REQUIRED');
      assert.deepEqual(await row(posted.id), before);
      assert.equal(await commentCount(deps, articleId), 1);
      assert.deepEqual(
        (await logOf(posted.id)).map((l) => l.action),
        ['comment_published'],
      );
    });

    it('hides a rejected comment: the count drops, open reports are settled, and the log says who, why and under which policy', async () => {
      const mod = await moderator('심의위원');
      const author = await testReader(deps, '김독자');
      const posted = await post(author, '거친 표현이 담긴 댓글');
      await reportComment(deps, {
        commentId: posted.id,
        reporterId: await testReader(deps, '이신고'),
        clause: 2,
        note: '욕설입니다',
      });
      assert.equal(await commentCount(deps, articleId), 1);

      await decide(mod, posted.id, 'reject', [3, 2, 3], '표현을 고쳐 주세요');
      const after = await row(posted.id);
      assert.equal(after.status, 'hidden');
      assert.equal(after.rev, 1);
      assert.equal(await commentCount(deps, articleId), 0);
      const reports = await handle.db
        .selectFrom('comment_reports')
        .select('resolved_at')
        .where('comment_id', '=', posted.id)
        .execute();
      assert.deepEqual(reports, [{ resolved_at: clock.now }]);
      const entry = (await logOf(posted.id)).at(-1);
      assert.equal(entry?.action, 'comment_rejected');
      assert.deepEqual(entry.clauses, [2, 3]);
      assert.equal(entry.policy_version, 1);
      assert.equal(entry.from_state, 'published');
      assert.equal(entry.to_state, 'hidden');
      assert.equal(entry.actor_id, mod);
      assert.equal(entry.account_id, author);
      assert.equal(entry.note, '표현을 고쳐 주세요');
      assert.deepEqual(entry.detail, { reportsSettled: 1 });
    });

    it('approves a held comment into the count, restores a hidden one, features and unfeatures, and refuses what does not apply', async () => {
      const mod = await moderator('심의위원');
      await premoderate(mod);
      const posted = await post(await testReader(deps, '김독자'), '기다리는 댓글');
      await refused(decide(mod, posted.id, 'feature'), 'MODERATION_NOT_APPLICABLE');
      await refused(decide(mod, posted.id, 'restore'), 'MODERATION_NOT_APPLICABLE');

      await decide(mod, posted.id, 'approve');
      assert.equal((await row(posted.id)).status, 'published');
      assert.equal(await commentCount(deps, articleId), 1);

      await decide(mod, posted.id, 'feature');
      assert.notEqual((await row(posted.id)).featured_at, null);
      await refused(decide(mod, posted.id, 'feature'), 'MODERATION_NOT_APPLICABLE');
      await decide(mod, posted.id, 'unfeature');
      assert.equal((await row(posted.id)).featured_at, null);

      await decide(mod, posted.id, 'reject', [1]);
      await refused(decide(mod, posted.id, 'approve'), 'MODERATION_NOT_APPLICABLE');
      await decide(mod, posted.id, 'restore');
      assert.equal((await row(posted.id)).status, 'published');
      assert.equal(await commentCount(deps, articleId), 1);
      assert.deepEqual(
        (await logOf(posted.id)).map((l) => [l.action, l.from_state, l.to_state, l.actor_id]),
        [
          ['comment_held', null, 'pending', null],
          ['comment_approved', 'pending', 'published', mod],
          ['comment_featured', 'published', 'published', mod],
          ['comment_unfeatured', 'published', 'published', mod],
          ['comment_rejected', 'published', 'hidden', mod],
          ['comment_restored', 'hidden', 'published', mod],
        ],
      );
    });

    it('ends the feature when the author edits a featured comment, logs it as the system, and shows the desk the text before', async () => {
      const mod = await moderator('심의위원');
      const author = await testReader(deps, '김독자');
      await words({ 광고: 'suspect' });
      const [plain, spam] = [
        (await post(author, '추천받을 좋은 댓글')).id,
        (await post(author, '추천받을 둘째 댓글')).id,
      ];
      await decide(mod, plain, 'feature');
      await decide(mod, spam, 'feature');
      const seen = (await row(plain)).rev;

      clock.advance(60);
      await editComment(deps, { commentId: plain, authorId: author, body: '고친 댓글' });
      await editComment(deps, { commentId: spam, authorId: author, body: '광고 광고 광고' });

      const [edited, held] = [await row(plain), await row(spam)];
      assert.equal(edited.featured_at, null);
      assert.equal(edited.status, 'published');
      assert.equal(held.featured_at, null);
      assert.equal(held.status, 'pending', 'the new text goes back to the desk');
      const ended = (await logOf(plain)).at(-1);
      assert.equal(ended?.action, 'comment_unfeatured');
      assert.equal(ended.actor_id, null);
      assert.deepEqual(ended.detail, { edited: true });
      assert.deepEqual(
        (await logOf(spam)).slice(-2).map((l) => [l.action, l.actor_id]),
        [
          ['comment_unfeatured', null],
          ['comment_held', null],
        ],
      );
      // A decision taken on the text the moderator read before the edit is stale.
      await refused(
        decideComment(deps, {
          moderatorId: mod,
          commentId: plain,
          rev: seen,
          decision: 'unfeature',
          clauses: [],
        }),
        'MODERATION_STALE',
      );
      const desk = await commentCase(deps, plain);
      assert.deepEqual(
        desk?.revisions.map((r) => r.body),
        ['추천받을 좋은 댓글'],
      );
    });

    it('refuses a decision made on a stale revision and changes nothing', async () => {
      const mod = await moderator('심의위원');
      const posted = await post(await testReader(deps, '김독자'), '두 번 결정될 댓글');
      await decide(mod, posted.id, 'feature');
      const before = await row(posted.id);
      const logged = (await logOf(posted.id)).length;
      const stale = { moderatorId: mod, commentId: posted.id, rev: 0, clauses: [1] };
      await refused(decideComment(deps, { ...stale, decision: 'reject' }), 'MODERATION_STALE');
      assert.deepEqual(await row(posted.id), before);
      assert.equal((await logOf(posted.id)).length, logged);
      assert.equal(await commentCount(deps, articleId), 1);
    });

    it("refuses moderator B's decision on a comment moderator A holds, until A's claim expires", async () => {
      const [a, b] = [await moderator('심의위원 가'), await moderator('심의위원 나')];
      const posted = await post(await testReader(deps, '김독자'), '검토 중인 댓글');
      await claimComment(deps, { commentId: posted.id, moderatorId: a });
      await refused(
        claimComment(deps, { commentId: posted.id, moderatorId: b }),
        'MODERATION_CLAIMED',
      );
      await refused(decide(b, posted.id, 'reject', [1]), 'MODERATION_CLAIMED');
      assert.equal((await row(posted.id)).status, 'published');

      clock.advance(deps.config.moderation.claimMinutes * 60 - 1);
      await refused(decide(b, posted.id, 'reject', [1]), 'MODERATION_CLAIMED');
      clock.advance(1);
      await decide(b, posted.id, 'reject', [1]);
      const after = await row(posted.id);
      assert.equal(after.status, 'hidden');
      assert.equal(after.claimed_by, null);
    });

    // 3. Two moderators at once (on PostgreSQL, two connections of the handle's pool) --------

    it('hands each held comment to exactly one of two moderators claiming at the same moment', async () => {
      const [a, b] = [await moderator('심의위원 가'), await moderator('심의위원 나')];
      await premoderate(a);
      const reader = await testReader(deps, '김독자');
      const held: string[] = [];
      for (let i = 1; i <= 7; i += 1)
        held.push((await post(reader, `보류된 댓글 ${String(i)}`)).id);

      const claimedBy = new Map<string, string[]>();
      const claim = (moderatorId: string) =>
        claimNext(deps, { queue: 'pending', filters: { articleId }, moderatorId });
      for (let round = 0; round < 10; round += 1) {
        const [forA, forB] = await Promise.all([claim(a), claim(b)]);
        if (forA === undefined && forB === undefined) break;
        assert.notEqual(forA, forB);
        const mine: [string, string | undefined][] = [
          [a, forA],
          [b, forB],
        ];
        await Promise.all(
          mine.map(async ([moderatorId, id]) => {
            if (id === undefined) return;
            claimedBy.set(id, [...(claimedBy.get(id) ?? []), moderatorId]);
            await decide(moderatorId, id, 'approve');
          }),
        );
      }
      assert.deepEqual([...claimedBy.keys()].sort(), [...held].sort());
      for (const [id, by] of claimedBy) {
        assert.equal(by.length, 1, `comment ${id} claimed by ${by.join(', ')}`);
        const approved = (await logOf(id)).filter((l) => l.action === 'comment_approved');
        assert.deepEqual(
          approved.map((l) => l.actor_id),
          by,
        );
      }
      assert.equal(await commentCount(deps, articleId), held.length);
    });

    it('lets only one of two moderators deciding the same revision at once succeed, and logs one decision', async () => {
      const [a, b] = [await moderator('심의위원 가'), await moderator('심의위원 나')];
      const posted = await post(await testReader(deps, '김독자'), '동시에 결정될 댓글');
      const { rev } = await row(posted.id);
      const input = { commentId: posted.id, rev };
      const results = await Promise.allSettled([
        decideComment(deps, { ...input, moderatorId: a, decision: 'feature', clauses: [] }),
        decideComment(deps, { ...input, moderatorId: b, decision: 'reject', clauses: [4] }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [codeOf(r.reason)] : []));
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      assert.ok(['MODERATION_STALE', 'MODERATION_CLAIMED'].includes(lost[0] ?? ''), lost[0]);
      const decisions = (await logOf(posted.id)).filter((l) => l.action !== 'comment_published');
      assert.equal(decisions.length, 1);
      const winner = results[0].status === 'fulfilled' ? 'comment_featured' : 'comment_rejected';
      assert.equal(decisions[0]?.action, winner);
      assert.equal((await row(posted.id)).rev, rev + 1);
    });

    // 4. Bulk --------------------------------------------------------------------------------

    it('decides a bulk selection but for the comment that changed meanwhile, which it names', async () => {
      const mod = await moderator('심의위원');
      const reader = await testReader(deps, '김독자');
      const ids: string[] = [];
      for (const body of ['첫째 댓글', '둘째 댓글', '셋째 댓글'])
        ids.push((await post(reader, body)).id);
      const items = await Promise.all(ids.map(async (id) => ({ id, rev: (await row(id)).rev })));
      await decide(mod, ids[1] ?? '', 'feature');

      const result = await decideBulk(deps, {
        moderatorId: mod,
        decision: 'reject',
        clauses: [5],
        items,
      });
      assert.deepEqual(result.decided, [ids[0], ids[2]]);
      assert.deepEqual(result.skipped, [{ id: ids[1], code: 'MODERATION_STALE' }]);
      assert.deepEqual(await Promise.all(ids.map(async (id) => (await row(id)).status)), [
        'hidden',
        'published',
        'hidden',
      ]);
      const first = (await logOf(ids[0] ?? '')).at(-1);
      assert.deepEqual(first?.detail, { reportsSettled: 0, bulk: true });
    });

    it('refuses a bulk rejection without a clause before changing anything', async () => {
      const mod = await moderator('심의위원');
      const reader = await testReader(deps, '김독자');
      const ids = [(await post(reader, '하나')).id, (await post(reader, '둘')).id];
      const items = ids.map((id) => ({ id, rev: 0 }));
      await refused(
        decideBulk(deps, { moderatorId: mod, decision: 'reject', clauses: [], items }),
        'MODERATION_CLAUSE_REQUIRED',
      );
      for (const id of ids) {
        assert.deepEqual(await row(id), {
          status: 'published',
          rev: 0,
          featured_at: null,
          claimed_by: null,
        });
        assert.equal((await logOf(id)).length, 1);
      }
    });

    // 5. Appeals -----------------------------------------------------------------------------

    it('takes one appeal, with a reason, from the author of a rejected comment only', async () => {
      const mod = await moderator('심의위원');
      const author = await testReader(deps, '김독자');
      const other = await testReader(deps, '이독자');
      const hidden = (await post(author, '숨겨질 댓글')).id;
      const shown = (await post(author, '남을 댓글')).id;
      await decide(mod, hidden, 'reject', [2]);
      const appeal = (authorId: string, commentId: string, reason = '다시 봐 주세요') =>
        fileAppeal(deps, { authorId, commentId, reason });

      await refused(appeal(other, hidden), 'APPEAL_NOT_ALLOWED');
      await refused(appeal(author, shown), 'APPEAL_NOT_ALLOWED');
      await refused(appeal(author, hidden, '   '), 'APPEAL_INVALID');
      await refused(appeal(author, hidden, '가'.repeat(501)), 'APPEAL_INVALID');
      const id = await appeal(author, hidden, '가'.repeat(500));
      await refused(appeal(author, hidden), 'APPEAL_EXISTS');

      const filed = (await logOf(hidden)).filter((l) => l.action === 'appeal_filed');
      assert.equal(filed.length, 1);
      assert.equal(filed[0]?.actor_id, author);
      assert.deepEqual(filed[0].clauses, [2]);
      assert.equal((await appealCase(deps, id))?.appeal.status, 'open');
    });

    it('has an appeal heard by another moderator: granted publishes the comment again, upheld keeps it hidden', async () => {
      const [a, b] = [await moderator('심의위원 가'), await moderator('심의위원 나')];
      const author = await testReader(deps, '김독자');
      const [first, second] = [
        (await post(author, '첫 댓글')).id,
        (await post(author, '둘째 댓글')).id,
      ];
      await decide(a, first, 'reject', [1]);
      await decide(a, second, 'reject', [2]);
      const grantId = await fileAppeal(deps, {
        authorId: author,
        commentId: first,
        reason: '오해입니다',
      });
      const upholdId = await fileAppeal(deps, {
        authorId: author,
        commentId: second,
        reason: '억울합니다',
      });
      const hear = async (moderatorId: string, appealId: string, outcome: 'granted' | 'upheld') => {
        const rev = (await appealCase(deps, appealId))?.appeal.rev ?? -1;
        await decideAppeal(deps, { moderatorId, appealId, rev, outcome, note: '재검토 결과' });
      };

      await refused(hear(a, grantId, 'granted'), 'MODERATION_SAME_MODERATOR');
      assert.equal((await row(first)).status, 'hidden');
      await hear(b, grantId, 'granted');
      await hear(b, upholdId, 'upheld');
      await refused(hear(b, grantId, 'upheld'), 'MODERATION_STALE');

      assert.equal((await row(first)).status, 'published');
      assert.equal((await row(second)).status, 'hidden');
      assert.equal(await commentCount(deps, articleId), 1);
      assert.equal((await appealCase(deps, grantId))?.appeal.status, 'granted');
      assert.equal((await appealCase(deps, upholdId))?.appeal.status, 'upheld');
      const granted = (await logOf(first)).at(-1);
      assert.equal(granted?.action, 'appeal_granted');
      assert.equal(granted.actor_id, b);
      assert.deepEqual([granted.from_state, granted.to_state], ['hidden', 'published']);
      assert.deepEqual(granted.clauses, [1]);
      assert.equal((await logOf(second)).at(-1)?.action, 'appeal_upheld');
    });

    it('never hands a moderator an appeal against their own decision from the appeals queue', async () => {
      const [a, b] = [await moderator('심의위원 가'), await moderator('심의위원 나')];
      const author = await testReader(deps, '김독자');
      const [byA, byB] = [
        (await post(author, '가의 결정')).id,
        (await post(author, '나의 결정')).id,
      ];
      await decide(a, byA, 'reject', [1]);
      await decide(b, byB, 'reject', [1]);
      const againstA = await fileAppeal(deps, { authorId: author, commentId: byA, reason: '재심' });
      const againstB = await fileAppeal(deps, { authorId: author, commentId: byB, reason: '재심' });
      const next = (moderatorId: string) =>
        claimNext(deps, { queue: 'appeals', filters: {}, moderatorId });

      assert.equal(await next(a), againstB);
      await decideAppeal(deps, { moderatorId: a, appealId: againstB, rev: 0, outcome: 'upheld' });
      assert.equal(await next(a), undefined);
      assert.equal(await next(b), againstA);
    });

    it('refuses a moderator every decision on their own comment and their own appeal, and never hands them either from a queue', async () => {
      const [self, other, third] = [
        await moderator('댓글 쓴 심의위원'),
        await moderator('심의위원 나'),
        await moderator('심의위원 다'),
      ];
      await acceptPolicy(deps, self, (await getCurrentPolicy(deps)).version);
      await premoderate(other);
      const own = (await post(self, '심의위원이 직접 쓴 댓글')).id;
      assert.equal((await row(own)).status, 'pending');
      const next = (moderatorId: string, queue: 'pending' | 'recent' | 'appeals') =>
        claimNext(deps, { queue, filters: {}, moderatorId });

      // Held: the queue skips it for its author, and every decision on it is refused.
      assert.equal(await next(self, 'pending'), undefined);
      await refused(
        claimComment(deps, { commentId: own, moderatorId: self }),
        'MODERATION_OWN_COMMENT',
      );
      await refused(decide(self, own, 'approve'), 'MODERATION_OWN_COMMENT');
      await refused(decide(self, own, 'reject', [1]), 'MODERATION_OWN_COMMENT');
      const bulk = await decideBulk(deps, {
        moderatorId: self,
        items: [{ id: own, rev: (await row(own)).rev }],
        decision: 'approve',
        clauses: [],
      });
      assert.deepEqual(bulk, {
        decided: [],
        skipped: [{ id: own, code: 'MODERATION_OWN_COMMENT' }],
      });
      assert.equal((await row(own)).status, 'pending');
      assert.equal(await next(other, 'pending'), own);

      // Published and featured by another: its author may neither feature nor stop featuring it.
      await decide(other, own, 'approve');
      await refused(decide(self, own, 'feature'), 'MODERATION_OWN_COMMENT');
      await decide(other, own, 'feature');
      await refused(decide(self, own, 'unfeature'), 'MODERATION_OWN_COMMENT');
      assert.equal(await next(self, 'recent'), undefined);

      // Hidden by another: its author may not restore it, and their appeal goes to a third.
      await decide(other, own, 'reject', [1]);
      await refused(decide(self, own, 'restore'), 'MODERATION_OWN_COMMENT');
      const appealId = await fileAppeal(deps, { authorId: self, commentId: own, reason: '재심' });
      assert.equal(await next(self, 'appeals'), undefined);
      for (const outcome of ['granted', 'upheld'] as const)
        await refused(
          decideAppeal(deps, { moderatorId: self, appealId, rev: 0, outcome }),
          'MODERATION_OWN_COMMENT',
        );
      assert.equal((await row(own)).status, 'hidden');
      assert.equal((await appealCase(deps, appealId))?.appeal.status, 'open');
      assert.equal(await next(third, 'appeals'), appealId);
      await decideAppeal(deps, { moderatorId: third, appealId, rev: 0, outcome: 'granted' });
      assert.equal((await row(own)).status, 'published');
      assert.deepEqual(
        (await logOf(own)).map((l) => [l.action, l.actor_id]).filter(([, by]) => by === self),
        [['appeal_filed', self]],
        'the log holds no decision by the author',
      );
    });

    it('grants an appeal on a comment its author deleted meanwhile without logging a restoration', async () => {
      const [a, b] = [await moderator('심의위원 가'), await moderator('심의위원 나')];
      const author = await testReader(deps, '김독자');
      const posted = (await post(author, '지워질 댓글')).id;
      await decide(a, posted, 'reject', [1]);
      const appealId = await fileAppeal(deps, {
        authorId: author,
        commentId: posted,
        reason: '재심',
      });
      await deleteComment(deps, { commentId: posted, authorId: author });
      await decideAppeal(deps, { moderatorId: b, appealId, rev: 0, outcome: 'granted' });
      assert.equal((await row(posted)).status, 'deleted');
      const granted = (await logOf(posted)).at(-1);
      assert.equal(granted?.action, 'appeal_granted');
      assert.deepEqual([granted.from_state, granted.to_state], ['deleted', 'deleted']);
    });

    // 6. The audit log -----------------------------------------------------------------------

    it('keeps the entries the desk wrote: an update of the log fails in the database', async () => {
      const mod = await moderator('심의위원');
      const posted = await post(await testReader(deps, '김독자'), '기록될 댓글');
      await decide(mod, posted.id, 'reject', [1], '기록');
      const before = await logOf(posted.id);
      await assert.rejects(
        sql`update moderation_log set note = 'x' where comment_id = ${posted.id}`.execute(
          handle.db,
        ),
        (error: unknown) => error instanceof Error && 'code' in error && error.code === '42501',
      );
      assert.deepEqual(await logOf(posted.id), before);
    });

    // 7. Transparency ------------------------------------------------------------------------

    it('reports for a month exactly what a hand count of that month of the log gives', async () => {
      // A month no other test here writes in.
      clock.now = new Date('2027-03-15T09:00:00+09:00');
      const start = new Date('2027-03-01T00:00:00+09:00');
      const end = new Date('2027-04-01T00:00:00+09:00');
      const [a, b] = [await moderator('심의위원 가'), await moderator('심의위원 나')];
      const [r1, r2, r3] = [
        await testReader(deps, '김독자'),
        await testReader(deps, '이독자'),
        await testReader(deps, '박독자'),
      ];
      await words({ 수상한: 'suspect' });
      const c1 = (await post(r1, '첫 댓글입니다')).id;
      const c2 = (await post(r2, '수상한 링크 모음')).id;
      await decide(a, c2, 'approve');
      await reportComment(deps, { commentId: c1, reporterId: r3, clause: 2, note: '' });
      await reportComment(deps, { commentId: c1, reporterId: r2, clause: 1, note: '모욕' });
      await decide(a, c1, 'reject', [1, 2]);
      const c3 = (await post(r1, '둘째 댓글입니다')).id;
      await decide(a, c3, 'approve');
      await decide(b, c3, 'reject', [2]);
      const c4 = (await post(r2, '지울 댓글')).id;
      await deleteComment(deps, { commentId: c4, authorId: r2 });
      const appealId = await fileAppeal(deps, { authorId: r1, commentId: c1, reason: '오해' });
      await decideAppeal(deps, { moderatorId: b, appealId, rev: 0, outcome: 'granted' });
      await sanctionReader(deps, {
        moderatorId: a,
        accountId: r3,
        rev: 0,
        sanction: 'warn',
        clauses: [1],
      });
      await decide(a, c3, 'restore');

      const log = await handle.db
        .selectFrom('moderation_log')
        .selectAll()
        .where('at', '>=', start)
        .where('at', '<', end)
        .execute();
      const is = (...actions: string[]) => log.filter((l) => actions.includes(l.action)).length;
      const byHand: TransparencyFigures = {
        published:
          is('comment_published') +
          log.filter((l) => l.action === 'comment_approved' && l.from_state === 'pending').length,
        held: is('comment_held'),
        hidden: is('comment_rejected'),
        restored: is('comment_restored', 'appeal_granted'),
        deleted: is('comment_deleted'),
        reported: is('comment_reported'),
        appealsFiled: is('appeal_filed'),
        appealsUpheld: is('appeal_upheld'),
        appealsGranted: is('appeal_granted'),
        warnings: is('reader_warned'),
        suspensions: is('reader_suspended'),
        bans: is('reader_banned'),
      };
      const clauses = new Map<string, number>();
      for (const l of log.filter((e) => e.action === 'comment_rejected'))
        for (const clause of new Set(l.clauses)) {
          const key = `${String(l.policy_version)}/${String(clause)}`;
          clauses.set(key, (clauses.get(key) ?? 0) + 1);
        }

      const report = await transparencyReport(deps, { months: 1 });
      assert.equal(report.months.length, 1);
      const month = report.months[0];
      assert.ok(month);
      assert.deepEqual([month.year, month.month], [2027, 3]);
      assert.deepEqual(month.figures, byHand);
      assert.deepEqual(
        new Map(
          month.hiddenByClause.map((h) => [
            `${String(h.policyVersion)}/${String(h.clause)}`,
            h.count,
          ]),
        ),
        clauses,
      );
      // The flow above, so the hand count is not of an empty log.
      assert.deepEqual(
        [byHand.published, byHand.held, byHand.hidden, byHand.restored, byHand.reported],
        [4, 1, 2, 2, 2],
      );
      assert.deepEqual(Object.fromEntries(clauses), { '1/1': 1, '1/2': 2 });
    });

    // 8. What the author sees ----------------------------------------------------------------

    it('shows the author the rejection with its clause and note, and offers an appeal until they make one', async () => {
      const mod = await moderator('심의위원');
      const author = await testReader(deps, '김독자');
      const posted = await post(author, '숨겨질 댓글');
      await decide(mod, posted.id, 'reject', [3], '개인정보가 담겨 있습니다');
      const shown = async () =>
        (
          await commentDecisions(deps, [{ id: posted.id, status: (await row(posted.id)).status }])
        ).get(posted.id);

      const before = await shown();
      assert.equal(before?.decision.action, 'comment_rejected');
      assert.deepEqual(before.decision.clauses, [3]);
      assert.equal(before.decision.note, '개인정보가 담겨 있습니다');
      assert.equal(before.decision.actorName, '심의위원');
      assert.equal(before.mayAppeal, true);

      await fileAppeal(deps, { authorId: author, commentId: posted.id, reason: '지웠습니다' });
      const after = await shown();
      assert.equal(after?.mayAppeal, false);
      assert.equal(after.appeal?.status, 'open');
    });
  });
}
