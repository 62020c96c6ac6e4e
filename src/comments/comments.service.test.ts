import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testClock, type TestClock } from '../accounts/accounts.testing.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testConfig, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import { isAppError, type ErrorCode } from '../http/app-error.js';
import { getCurrentPolicy, publishPolicyVersion } from '../policy/policy.service.js';
import { decodeCursor, encodeCursor, wilsonLowerBound, type CommentSort } from './comment.js';
import { reportComment } from './comments.reports.js';
import {
  deleteComment,
  editComment,
  findCommentThread,
  listCommentRevisions,
  listMyComments,
  listThreadPage,
  postComment,
} from './comments.service.js';
import { setThreadSettings } from './comments.settings.js';
import { publishedArticle, resetComments, testReader } from './comments.testing.js';
import { voteOnComment } from './comments.voting.js';

/** Comments' rules, on every real database the tests have (PGlite, and PostgreSQL when set). */

async function refused(
  promise: Promise<unknown>,
  code: ErrorCode,
): Promise<import('../http/app-error.js').AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isAppError(error), `expected AppError ${code}, got ${String(error)}`);
    assert.equal(error.code, code);
    return error;
  }
  assert.fail(`expected ${code}`);
}

const KOREAN_250 = '가나다라마바사아자차'.repeat(25);

for (const backend of testBackends()) {
  describe(`comments on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let clock: TestClock;
    let deps: AppDeps;
    const withEnv = (env: Record<string, string>): AppDeps => ({
      ...deps,
      config: testConfig(env),
    });

    before(async () => {
      handle = await backend.open();
    });
    after(async () => {
      await handle.close();
    });
    beforeEach(async () => {
      await resetComments(handle);
      clock = testClock();
      deps = testDeps(handle, { clock: clock.clock });
    });

    const count = async (table: 'comments' | 'comment_votes' | 'comment_reports') =>
      Number(
        (
          await handle.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('posts 250 Korean characters and stores them composed (NFC), counted once', async () => {
      const article = await publishedArticle(deps);
      const reader = await testReader(deps, '김독자');
      const decomposed = KOREAN_250.normalize('NFD');
      const posted = await postComment(deps, {
        articleId: article.id,
        authorId: reader,
        body: decomposed,
      });
      assert.equal(posted.status, 'published');
      assert.equal(posted.count, 1);
      const page = await listThreadPage(deps, {
        articleId: article.id,
        sort: 'newest',
        after: undefined,
        viewer: null,
      });
      assert.equal(page.comments[0]?.body, KOREAN_250);
    });

    it('refuses 251 visible characters naming the limit and the count, and stores nothing', async () => {
      const article = await publishedArticle(deps);
      const reader = await testReader(deps, '김독자');
      const error = await refused(
        postComment(deps, { articleId: article.id, authorId: reader, body: `${KOREAN_250}👍🏽` }),
        'COMMENT_TOO_LONG',
      );
      assert.deepEqual(error.params, { count: 251, limit: 250 });
      assert.equal(await count('comments'), 0);
    });

    it('refuses empty, blank, NUL, control and broken text', async () => {
      const article = await publishedArticle(deps);
      const reader = await testReader(deps, '김독자');
      const post = (body: string) =>
        postComment(deps, { articleId: article.id, authorId: reader, body });
      await refused(post(''), 'COMMENT_EMPTY');
      await refused(post(' \n\t　'), 'COMMENT_EMPTY');
      await refused(post('a\u0000b'), 'COMMENT_INVALID_TEXT');
      await refused(post('벨\u0007'), 'COMMENT_INVALID_TEXT');
      await refused(post('surrogate \uD800 alone'), 'COMMENT_INVALID_TEXT');
      assert.equal(await count('comments'), 0);
    });

    it('asks for the policy before a first comment and records the acceptance with it', async () => {
      const article = await publishedArticle(deps);
      const reader = await testReader(deps, '새독자', { accept: false });
      await refused(
        postComment(deps, { articleId: article.id, authorId: reader, body: '첫 댓글' }),
        'POLICY_NOT_ACCEPTED',
      );
      assert.equal(await count('comments'), 0);
      const version = (await getCurrentPolicy(deps)).version;
      await postComment(deps, {
        articleId: article.id,
        authorId: reader,
        body: '첫 댓글',
        acceptPolicyVersion: version,
      });
      assert.equal(await count('comments'), 1);
    });

    it('asks again after the policy changes, and refuses acceptance of the old version', async () => {
      const article = await publishedArticle(deps);
      const reader = await testReader(deps, '김독자');
      const admin = await testReader(deps, '관리자');
      const current = await getCurrentPolicy(deps);
      clock.advance(60);
      await publishPolicyVersion(deps, {
        adminId: admin,
        intro: current.intro,
        note: { en: 'Clause 2 reworded.', ko: '2조 문구 수정.' },
        clauses: current.clauses,
      });
      const post = (acceptPolicyVersion?: number) =>
        postComment(deps, {
          articleId: article.id,
          authorId: reader,
          body: '다시 동의',
          acceptPolicyVersion,
        });
      await refused(post(), 'POLICY_NOT_ACCEPTED');
      await refused(post(current.version), 'POLICY_CHANGED');
      await post(current.version + 1);
      assert.equal(await count('comments'), 1);
    });

    it("keeps a minimum gap between one reader's comments and says when to try again", async () => {
      const article = await publishedArticle(deps);
      const reader = await testReader(deps, '김독자');
      await postComment(deps, { articleId: article.id, authorId: reader, body: '하나' });
      clock.advance(5);
      const error = await refused(
        postComment(deps, { articleId: article.id, authorId: reader, body: '둘' }),
        'COMMENT_TOO_SOON',
      );
      assert.equal(error.retryAfterSeconds, 10);
      clock.advance(10);
      await postComment(deps, { articleId: article.id, authorId: reader, body: '둘' });
    });

    it('holds the gap when two posts by one reader race (the account row lock)', async () => {
      const article = await publishedArticle(deps);
      const reader = await testReader(deps, '김독자');
      const results = await Promise.allSettled([
        postComment(deps, { articleId: article.id, authorId: reader, body: '동시에 하나' }),
        postComment(deps, { articleId: article.id, authorId: reader, body: '동시에 둘' }),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      assert.equal(await count('comments'), 1);
    });

    it('keeps no gap at all when the gap is 0, even when a post of the same reader is stamped later', async () => {
      // Two posts of one reader race: the one that waited for the lock took its time first, so
      // the comment it finds is stamped after its own time. With no gap that is never too soon.
      const d = withEnv({ BYLINE_COMMENT_MIN_GAP_SECONDS: '0' });
      const article = await publishedArticle(d);
      const reader = await testReader(d, '김독자');
      await postComment(d, { articleId: article.id, authorId: reader, body: '나중에 찍힌 글' });
      clock.advance(-1);
      await postComment(d, { articleId: article.id, authorId: reader, body: '먼저 시작한 글' });
    });

    it('caps comments per article per day, and refuses the same text twice (case and spaces aside)', async () => {
      const d = withEnv({
        BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
        BYLINE_COMMENTS_PER_ARTICLE_PER_DAY: '3',
      });
      const article = await publishedArticle(d);
      const other = await publishedArticle(d);
      const reader = await testReader(d, '김독자');
      const post = (articleId: string, body: string) =>
        postComment(d, { articleId, authorId: reader, body });
      await post(article.id, 'Same Words');
      await refused(post(other.id, '  same   words '), 'COMMENT_DUPLICATE');
      await post(article.id, '둘째');
      await post(article.id, '셋째');
      const error = await refused(post(article.id, '넷째'), 'COMMENT_DAILY_LIMIT');
      assert.equal(error.retryAfterSeconds, 86_400);
      await post(other.id, '다른 기사에는 됩니다');
      clock.advance(86_400);
      await post(article.id, '다음 날');
    });

    it('takes replies one level deep, counting them on the thread', async () => {
      const d = withEnv({ BYLINE_COMMENT_MIN_GAP_SECONDS: '0' });
      const article = await publishedArticle(d);
      const a = await testReader(d, '가');
      const b = await testReader(d, '나');
      const root = await postComment(d, { articleId: article.id, authorId: a, body: '원 댓글' });
      const reply = await postComment(d, {
        articleId: article.id,
        authorId: b,
        body: '답글',
        parentId: root.id,
      });
      await refused(
        postComment(d, {
          articleId: article.id,
          authorId: a,
          body: '답글의 답글',
          parentId: reply.id,
        }),
        'COMMENT_REPLY_NOT_ALLOWED',
      );
      const other = await publishedArticle(d);
      await refused(
        postComment(d, { articleId: other.id, authorId: a, body: '다른 기사', parentId: root.id }),
        'COMMENT_UNAVAILABLE',
      );
      const page = await listThreadPage(d, {
        articleId: article.id,
        sort: 'newest',
        after: undefined,
        viewer: null,
      });
      assert.equal(page.comments.length, 1);
      assert.equal(page.comments[0]?.replyCount, 1);
      assert.deepEqual(
        page.comments[0].replies.map((r) => r.body),
        ['답글'],
      );
      assert.equal(page.count, 2);
    });

    it("takes one vote per reader per comment: cast, change, withdraw; never on one's own", async () => {
      const article = await publishedArticle(deps);
      const author = await testReader(deps, '작성자');
      const voter = await testReader(deps, '독자');
      const { id } = await postComment(deps, {
        articleId: article.id,
        authorId: author,
        body: '공감해 주세요',
      });
      const vote = (v: 'up' | 'down') =>
        voteOnComment(deps, { commentId: id, accountId: voter, vote: v });
      assert.deepEqual(await vote('up'), { up: 1, down: 0, mine: 'up' });
      assert.deepEqual(await vote('down'), { up: 0, down: 1, mine: 'down' });
      assert.deepEqual(await vote('down'), { up: 0, down: 0, mine: null });
      assert.equal(await count('comment_votes'), 0);
      await refused(
        voteOnComment(deps, { commentId: id, accountId: author, vote: 'up' }),
        'COMMENT_OWN_VOTE',
      );
    });

    it('caps votes per reader per day, changes included', async () => {
      const d = withEnv({ BYLINE_COMMENT_VOTES_PER_DAY: '2' });
      const article = await publishedArticle(d);
      const author = await testReader(d, '작성자');
      const voter = await testReader(d, '독자');
      const { id } = await postComment(d, {
        articleId: article.id,
        authorId: author,
        body: '투표',
      });
      await voteOnComment(d, { commentId: id, accountId: voter, vote: 'up' });
      await voteOnComment(d, { commentId: id, accountId: voter, vote: 'down' });
      const error = await refused(
        voteOnComment(d, { commentId: id, accountId: voter, vote: 'up' }),
        'VOTE_DAILY_LIMIT',
      );
      assert.equal(error.retryAfterSeconds, 86_400);
    });

    it('ranks by the Wilson lower bound, not the raw ratio', () => {
      assert.ok(wilsonLowerBound(90, 10) > wilsonLowerBound(9, 1));
      assert.ok(wilsonLowerBound(1, 0) < wilsonLowerBound(40, 10));
      assert.equal(wilsonLowerBound(0, 0), 0);
    });

    it('sorts by newest, oldest, most 공감 and ratio, and pages by cursor through every comment once', async () => {
      const d = withEnv({
        BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
        BYLINE_COMMENTS_PER_ARTICLE_PER_DAY: '100',
        BYLINE_COMMENT_PAGE_SIZE: '5',
      });
      const article = await publishedArticle(d);
      const authors = [await testReader(d, '가'), await testReader(d, '나')];
      const voters = [
        await testReader(d, '다'),
        await testReader(d, '라'),
        await testReader(d, '마'),
      ];
      const ids: string[] = [];
      for (let i = 0; i < 13; i += 1) {
        clock.advance(1);
        ids.push(
          (
            await postComment(d, {
              articleId: article.id,
              authorId: authors[i % 2] ?? '',
              body: `댓글 ${i}`,
            })
          ).id,
        );
      }
      // Comment 3: 3 up; comment 7: 2 up 1 down; comment 11: 1 up.
      for (const [index, votes] of [
        [3, ['up', 'up', 'up']],
        [7, ['up', 'up', 'down']],
        [11, ['up']],
      ] as const)
        for (const [v, vote] of votes.entries())
          await voteOnComment(d, { commentId: ids[index] ?? '', accountId: voters[v] ?? '', vote });
      const all = async (sort: CommentSort) => {
        const seen: string[] = [];
        let after;
        for (let pages = 0; pages < 10; pages += 1) {
          const page = await listThreadPage(d, {
            articleId: article.id,
            sort,
            after,
            viewer: null,
          });
          seen.push(...page.comments.map((c) => c.body));
          if (!page.next) break;
          after = decodeCursor(page.next, sort);
          assert.ok(after);
        }
        return seen;
      };
      const bodies = ids.map((_, i) => `댓글 ${i}`);
      assert.deepEqual(await all('oldest'), bodies);
      assert.deepEqual(await all('newest'), [...bodies].reverse());
      const top = await all('top');
      assert.deepEqual(top.slice(0, 3), ['댓글 3', '댓글 7', '댓글 11']);
      assert.equal(new Set(top).size, 13);
      const ratio = await all('ratio');
      assert.deepEqual(ratio.slice(0, 3), ['댓글 3', '댓글 7', '댓글 11']);
      assert.equal(new Set(ratio).size, 13);
    });

    it('refuses a cursor that was tampered with', () => {
      assert.equal(decodeCursor('not-a-cursor', 'newest'), undefined);
      assert.equal(
        decodeCursor(encodeCursor({ sort: 'top', key: 3, id: '5' }), 'newest'),
        undefined,
      );
      assert.equal(
        decodeCursor(Buffer.from('["ratio",7,"5"]').toString('base64url'), 'ratio'),
        undefined,
      );
      assert.deepEqual(decodeCursor(encodeCursor({ sort: 'top', key: 3, id: '5' }), 'top'), {
        sort: 'top',
        key: 3,
        id: '5',
      });
    });

    it('lets the author edit within the window, keeping every earlier text', async () => {
      const article = await publishedArticle(deps);
      const author = await testReader(deps, '작성자');
      const other = await testReader(deps, '남');
      const { id } = await postComment(deps, {
        articleId: article.id,
        authorId: author,
        body: '오타가 잇다',
      });
      clock.advance(60);
      await editComment(deps, { commentId: id, authorId: author, body: '오타가 있다' });
      await refused(
        editComment(deps, { commentId: id, authorId: other, body: '남이 고침' }),
        'FORBIDDEN',
      );
      await refused(
        editComment(deps, { commentId: id, authorId: author, body: 'x'.repeat(251) }),
        'COMMENT_TOO_LONG',
      );
      clock.advance(15 * 60);
      await refused(
        editComment(deps, { commentId: id, authorId: author, body: '너무 늦음' }),
        'COMMENT_EDIT_CLOSED',
      );
      const found = await findCommentThread(deps, id, null);
      assert.equal(found?.comment.body, '오타가 있다');
      assert.ok(found.comment.editedAt);
      assert.deepEqual(
        (await listCommentRevisions(deps, id)).map((r) => r.body),
        ['오타가 잇다'],
      );
    });

    it("deletes the author's own comment, keeping a tombstone while replies hang from it", async () => {
      const d = withEnv({ BYLINE_COMMENT_MIN_GAP_SECONDS: '0' });
      const article = await publishedArticle(d);
      const a = await testReader(d, '가');
      const b = await testReader(d, '나');
      const root = await postComment(d, { articleId: article.id, authorId: a, body: '지울 댓글' });
      await postComment(d, {
        articleId: article.id,
        authorId: b,
        body: '남는 답글',
        parentId: root.id,
      });
      const lonely = await postComment(d, {
        articleId: article.id,
        authorId: a,
        body: '혼자인 댓글',
      });
      await refused(deleteComment(d, { commentId: root.id, authorId: b }), 'FORBIDDEN');
      await deleteComment(d, { commentId: root.id, authorId: a });
      await deleteComment(d, { commentId: lonely.id, authorId: a });
      const page = await listThreadPage(d, {
        articleId: article.id,
        sort: 'newest',
        after: undefined,
        viewer: null,
      });
      assert.equal(page.count, 1);
      assert.deepEqual(
        page.comments.map((c) => c.status),
        ['deleted'],
      );
      assert.deepEqual(
        page.comments[0]?.replies.map((r) => r.body),
        ['남는 답글'],
      );
      await refused(
        voteOnComment(d, { commentId: root.id, accountId: b, vote: 'up' }),
        'COMMENT_UNAVAILABLE',
      );
      await refused(
        postComment(d, {
          articleId: article.id,
          authorId: b,
          body: '죽은 댓글에 답글',
          parentId: root.id,
        }),
        'COMMENT_UNAVAILABLE',
      );
    });

    it('takes a report citing a clause of the policy in force, once per reader', async () => {
      const article = await publishedArticle(deps);
      const author = await testReader(deps, '작성자');
      const reporter = await testReader(deps, '신고자');
      const { id } = await postComment(deps, {
        articleId: article.id,
        authorId: author,
        body: '문제의 댓글',
      });
      await refused(
        reportComment(deps, { commentId: id, reporterId: reporter, clause: 99, note: '' }),
        'COMMENT_REPORT_INVALID',
      );
      await refused(
        reportComment(deps, { commentId: id, reporterId: author, clause: 2, note: '' }),
        'COMMENT_REPORT_INVALID',
      );
      await refused(
        reportComment(deps, {
          commentId: id,
          reporterId: reporter,
          clause: 2,
          note: '가'.repeat(301),
        }),
        'COMMENT_REPORT_INVALID',
      );
      await reportComment(deps, {
        commentId: id,
        reporterId: reporter,
        clause: 2,
        note: '욕설입니다',
      });
      await refused(
        reportComment(deps, { commentId: id, reporterId: reporter, clause: 3, note: '' }),
        'COMMENT_ALREADY_REPORTED',
      );
      const row = await handle.db
        .selectFrom('comment_reports')
        .selectAll()
        .executeTakeFirstOrThrow();
      assert.equal(row.clause_number, 2);
      assert.equal(row.note, '욕설입니다');
      assert.equal(row.policy_version, (await getCurrentPolicy(deps)).version);
    });

    it('closes threads by article, by section and N hours after publishing', async () => {
      const editor = await testReader(deps, '편집자');
      const reader = await testReader(deps, '독자');
      const article = await publishedArticle(deps, {
        publishedAt: new Date('2026-11-30T08:00:00+09:00'),
      });
      const post = (body: string) =>
        postComment(deps, { articleId: article.id, authorId: reader, body });
      await setThreadSettings(deps, {
        scope: 'article',
        id: article.id,
        by: editor,
        overrides: { state: 'closed', closeAfterHours: null, premoderated: null },
      });
      await refused(post('닫힘'), 'COMMENTS_CLOSED');
      await setThreadSettings(deps, {
        scope: 'article',
        id: article.id,
        by: editor,
        overrides: { state: null, closeAfterHours: null, premoderated: null },
      });
      const section = await handle.db
        .selectFrom('articles')
        .select('section_id')
        .where('id', '=', article.id)
        .executeTakeFirstOrThrow();
      await setThreadSettings(deps, {
        scope: 'section',
        id: section.section_id,
        by: editor,
        overrides: { state: 'open', closeAfterHours: 2, premoderated: null },
      });
      await post('두 시간 안');
      clock.advance(3_600 * 2);
      await refused(post('두 시간 뒤'), 'COMMENTS_CLOSED');
      assert.equal(await count('comments'), 1);
    });

    it('holds comments of a pre-moderated thread for review, shown to their author alone', async () => {
      const editor = await testReader(deps, '편집자');
      const author = await testReader(deps, '작성자');
      const other = await testReader(deps, '남');
      const article = await publishedArticle(deps);
      await setThreadSettings(deps, {
        scope: 'article',
        id: article.id,
        by: editor,
        overrides: { state: null, closeAfterHours: null, premoderated: true },
      });
      const posted = await postComment(deps, {
        articleId: article.id,
        authorId: author,
        body: '검토 대기',
      });
      assert.equal(posted.status, 'pending');
      assert.equal(posted.count, 0);
      const view = (viewer: Parameters<typeof listThreadPage>[1]['viewer']) =>
        listThreadPage(deps, { articleId: article.id, sort: 'newest', after: undefined, viewer });
      assert.equal((await view(null)).comments.length, 0);
      assert.equal((await view({ accountId: other, moderator: false })).comments.length, 0);
      assert.deepEqual(
        (await view({ accountId: author, moderator: false })).comments.map((c) => c.status),
        ['pending'],
      );
      assert.equal((await view({ accountId: other, moderator: true })).comments.length, 1);
      await refused(
        voteOnComment(deps, { commentId: posted.id, accountId: other, vote: 'up' }),
        'COMMENT_UNAVAILABLE',
      );
    });

    it("lists a reader's own comments with their status and the replies to them", async () => {
      const d = withEnv({ BYLINE_COMMENT_MIN_GAP_SECONDS: '0' });
      const article = await publishedArticle(d);
      const me = await testReader(d, '나');
      const you = await testReader(d, '너');
      const first = await postComment(d, {
        articleId: article.id,
        authorId: me,
        body: '내 첫 댓글',
      });
      clock.advance(1);
      await postComment(d, {
        articleId: article.id,
        authorId: you,
        body: '너의 답글',
        parentId: first.id,
      });
      clock.advance(1);
      const second = await postComment(d, {
        articleId: article.id,
        authorId: me,
        body: '지운 댓글',
      });
      await deleteComment(d, { commentId: second.id, authorId: me });
      const mine = await listMyComments(d, { authorId: me, before: undefined });
      assert.deepEqual(
        mine.comments.map((c) => [c.body, c.status, c.replyTotal]),
        [
          ['지운 댓글', 'deleted', 0],
          ['내 첫 댓글', 'published', 1],
        ],
      );
      assert.deepEqual(
        mine.comments[1]?.replies.map((r) => r.body),
        ['너의 답글'],
      );
    });
  });
}
