import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { TestBrowser, testApp, type TestApp } from '../accounts/accounts.testing.js';
import { createSession } from '../accounts/sessions.js';
import { setThreadSettings } from '../comments/comments.settings.js';
import { publishedArticle, resetComments, testReader } from '../comments/comments.testing.js';
import type { DatabaseHandle } from '../db/db.js';
import type { RoleColumn } from '../db/db-schema.js';
import { testBackends } from '../db/db-test.js';
import { getCurrentPolicy } from '../policy/policy.service.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import { textOf } from '../http/routes.testing.js';

/**
 * The standards board's desk through HTTP, as its members and readers use it: the queues and
 * their filters, one comment's page, decisions and their refusals, taking the next item, bulk
 * decisions, sanctions, a reader's appeal and its hearing by another moderator, who may use the
 * desk at all, and the public transparency report the decisions feed.
 */

const ENV = {
  BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
  BYLINE_COMMENT_DUPLICATE_HOURS: '0',
  BYLINE_COMMENTS_PER_ARTICLE_PER_DAY: '1000',
  // A reader whose comments were hidden would otherwise be held: each test sets its own holds.
  BYLINE_HOLD_REJECTION_RATE: '0',
};
const JSON_ACCEPT = { accept: 'application/json' };

type Member = { browser: TestBrowser; id: string };

function codeOf(response: LightMyRequestResponse): string {
  return response.json<{ error: { code: string } }>().error.code;
}

/** The moderation revision a comment's page offers its decision form. */
function revOnPage(html: string): string {
  const match = /name="rev" value="(\d+)"/.exec(html);
  assert.ok(match?.[1], 'the page has a decision form');
  return match[1];
}

/** The number in "Hidden by moderators N" of the report's newest month, or 0 without one. */
function hiddenFigure(html: string): number {
  const match = /Hidden by moderators (\d+) /.exec(textOf(html));
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

for (const backend of testBackends()) {
  describe(`the moderation desk's pages on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    let accountNumber = 0;

    before(async () => {
      handle = await backend.open();
      t = await testApp(handle, { env: ENV });
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });
    beforeEach(async () => {
      for (const table of ['comment_appeals', 'reader_standing', 'moderation_words'] as const)
        await handle.db.deleteFrom(table).execute();
      await resetComments(handle);
    });

    /** A browser holding a session for an account, and a CSRF cookie. */
    async function signedIn(id: string, kind: 'reader' | 'staff'): Promise<TestBrowser> {
      const { token } = await createSession(t.deps, {
        accountId: id,
        kind,
        method: kind === 'staff' ? 'password+totp' : 'email',
        userAgent: 'moderation.routes.test',
        ip: '203.0.113.10',
      });
      const browser = new TestBrowser(t.app);
      browser.cookies.set('byline_session', token);
      await browser.get('/login'); // sets the CSRF cookie
      return browser;
    }

    /** A member of staff in a role, signed in as staff (password and TOTP). */
    async function staff(role: Exclude<RoleColumn, 'reader'>, name: string): Promise<Member> {
      accountNumber += 1;
      const account = await handle.db
        .insertInto('accounts')
        .values({
          display_name: name,
          role,
          staff_email: `desk${String(accountNumber)}@example.com`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { browser: await signedIn(account.id, 'staff'), id: account.id };
    }

    /** A reader who has accepted the policy in force, signed in. */
    async function reader(name: string): Promise<Member> {
      const id = await testReader(t.deps, name);
      return { browser: await signedIn(id, 'reader'), id };
    }

    /** Posts a comment (or a reply) as the enhanced form does; returns its id. */
    async function comment(
      author: Member,
      articleId: string,
      body: string,
      parentId?: string,
    ): Promise<string> {
      const posted = await author.browser.post(
        `/articles/${articleId}/comments`,
        { body, acceptPolicy: '1', ...(parentId ? { parentId } : {}) },
        JSON_ACCEPT,
      );
      assert.equal(posted.statusCode, 201, posted.body);
      return posted.json<{ comment: { id: string } }>().comment.id;
    }

    /** Posts repeated fields (the bulk form's checkboxes), which TestBrowser.post cannot. */
    function postFields(
      browser: TestBrowser,
      url: string,
      fields: [string, string][],
      headers: Record<string, string> = {},
    ) {
      const body = new URLSearchParams([['_csrf', browser.cookie('byline_csrf') ?? ''], ...fields]);
      return t.app.inject({
        method: 'POST',
        url,
        remoteAddress: browser.ip,
        headers: {
          cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
          ...headers,
        },
        payload: body.toString(),
      });
    }

    /** Hides a comment citing clause 1 with a note, as a moderator does from its page. */
    async function hide(moderator: Member, commentId: string, note = '욕설이 포함되어 있습니다') {
      const page = await moderator.browser.get(`/moderation/comments/${commentId}`);
      const decided = await moderator.browser.post(`/moderation/comments/${commentId}/decide`, {
        rev: revOnPage(page.body),
        decision: 'reject',
        clause: '1',
        note,
      });
      assert.equal(decided.statusCode, 303, decided.body);
    }

    async function statusOf(commentId: string): Promise<string> {
      const row = await handle.db
        .selectFrom('comments')
        .select('status')
        .where('id', '=', commentId)
        .executeTakeFirstOrThrow();
      return row.status;
    }

    async function premoderate(articleId: string, by: string): Promise<void> {
      await setThreadSettings(t.deps, {
        scope: 'article',
        id: articleId,
        overrides: { state: null, closeAfterHours: null, premoderated: true },
        by,
      });
    }

    it('lists a reported comment with its report count and clause, and shows it in its thread with the article, the reader and the report', async () => {
      const article = await publishedArticle(t.deps, { headline: '시험용 기사: 독자위원회' });
      const first = await reader('박첫째');
      const author = await reader('김작성');
      const reporter = await reader('이신고');
      const moderator = await staff('moderator', '최위원');
      const parent = await comment(first, article.id, '처음 단 댓글입니다');
      const reply = await comment(author, article.id, '신고될 답글입니다', parent);
      const report = await reporter.browser.post(`/comments/${reply}/report`, {
        clause: '2',
        note: '모욕적입니다',
      });
      assert.equal(report.statusCode, 200);

      const queue = await moderator.browser.get('/moderation/queue/reported');
      assert.equal(queue.statusCode, 200);
      const queueText = textOf(queue.body);
      assert.match(queueText, /신고될 답글입니다/);
      assert.doesNotMatch(queueText, /처음 단 댓글입니다/);
      assert.match(queueText, /1 open report: clause 2 ×1/);
      assert.ok(queue.body.includes(`value="${reply}:`), 'the comment can be selected');

      const page = await moderator.browser.get(`/moderation/comments/${reply}`);
      assert.equal(page.statusCode, 200);
      const text = textOf(page.body);
      assert.match(text, /처음 단 댓글입니다/, 'the thread it replies in');
      assert.match(text, /신고될 답글입니다/);
      assert.match(text, /시험용 기사: 독자위원회/);
      assert.ok(page.body.includes(`href="${article.path}"`), 'a link to the article');
      assert.match(text, /The reader: 김작성/);
      assert.match(text, /1 published, 0 hidden, 0 awaiting review, 0 deleted by them/);
      assert.match(text, /Reported by 이신고/);
      assert.ok(page.body.includes('href="/policy/versions/1#clause-2"'), 'the clause reported');
      assert.match(text, /모욕적입니다/);

      const ko = await moderator.browser.get(`/ko/moderation/comments/${reply}`);
      assert.equal(ko.statusCode, 200);
      assert.ok(ko.body.includes('href="/ko/policy/versions/1#clause-2"'));
    });

    it('narrows the queue by section, article, reader and text, and answers a bad filter with 400', async () => {
      const culture = await publishedArticle(t.deps, { section: 'Culture' });
      const national = await publishedArticle(t.deps);
      const apple = await reader('사과댁');
      const pear = await reader('배서방');
      const moderator = await staff('moderator', '최위원');
      await comment(apple, culture.id, '사과가 맛있는 계절입니다');
      await comment(pear, national.id, '배는 시원합니다');

      const shown = async (query: string) => {
        const page = await moderator.browser.get(`/moderation/queue/recent?${query}`);
        assert.equal(page.statusCode, 200, `${query}: ${page.body}`);
        const text = textOf(page.body);
        return ['사과가', '배는'].filter((word) => text.includes(word));
      };
      assert.deepEqual(await shown(''), ['사과가', '배는']);
      assert.deepEqual(await shown('section=culture'), ['사과가']);
      assert.deepEqual(await shown(`article=${national.id}`), ['배는']);
      assert.deepEqual(await shown(`reader=${apple.id}`), ['사과가']);
      assert.deepEqual(await shown(`q=${encodeURIComponent('시원')}`), ['배는']);
      assert.deepEqual(await shown(`section=culture&reader=${pear.id}`), []);

      for (const bad of ['article=abc', 'reader=-1', 'section=%3Cb%3E', `q=${'가'.repeat(201)}`]) {
        const refused = await moderator.browser.get(`/moderation/queue/recent?${bad}`, JSON_ACCEPT);
        assert.equal(refused.statusCode, 400, bad);
        assert.equal(codeOf(refused), 'INVALID_PARAMETER', bad);
      }
      const html = await moderator.browser.get('/ko/moderation/queue/recent?article=abc');
      assert.equal(html.statusCode, 400);
    });

    it('narrows the queue by section name, headline and reader name in either case and script, and folds the filters away', async () => {
      const culture = await publishedArticle(t.deps, {
        section: 'Culture',
        headline: 'Autumn Festival opens in 서울',
      });
      const national = await publishedArticle(t.deps, { headline: 'Budget talks stall' });
      const apple = await reader('Alice 사과댁');
      const pear = await reader('배서방');
      const moderator = await staff('moderator', '최위원');
      await comment(apple, culture.id, '사과가 맛있는 계절입니다');
      await comment(pear, national.id, '배는 시원합니다');

      const page = await moderator.browser.get('/moderation/queue/recent');
      assert.match(page.body, /<details class="desk-filters">/, 'folded while no filter applies');
      assert.match(page.body, /<option value="culture">Culture<\/option>/, 'sections by name');
      assert.doesNotMatch(textOf(page.body), /number|address name/i);
      const ko = await moderator.browser.get('/ko/moderation/queue/recent');
      assert.match(ko.body, /<label for="f-section">섹션<\/label><select id="f-section"/);

      const shown = async (query: string) => {
        const found = await moderator.browser.get(`/moderation/queue/recent?${query}`);
        assert.equal(found.statusCode, 200, `${query}: ${found.body}`);
        const text = textOf(found.body);
        return ['사과가', '배는'].filter((word) => text.includes(word));
      };
      assert.deepEqual(await shown('headline=festival'), ['사과가']);
      assert.deepEqual(await shown(`headline=${encodeURIComponent('서울')}`), ['사과가']);
      assert.deepEqual(await shown('headline=BUDGET'), ['배는']);
      assert.deepEqual(await shown('author=alice'), ['사과가']);
      assert.deepEqual(await shown(`author=${encodeURIComponent('서방')}`), ['배는']);
      assert.deepEqual(await shown('author=100%25'), []);
      assert.deepEqual(await shown(`section=culture&author=${encodeURIComponent('배')}`), []);

      // A filter a link carries is shown by name and undone by unticking it.
      const linked = await moderator.browser.get(`/moderation/queue/recent?reader=${pear.id}`);
      assert.match(linked.body, /<details class="desk-filters" open/);
      assert.match(textOf(linked.body), /Only comments by 배서방/);
      assert.match(linked.body, new RegExp(`name="reader" value="${pear.id}" checked`));
    });

    it('refuses to hide a comment without a clause, hides it citing clause 1, and refuses a decision on the revision before', async () => {
      const article = await publishedArticle(t.deps);
      const author = await reader('김작성');
      const moderator = await staff('moderator', '최위원');
      const id = await comment(author, article.id, '숨겨질 댓글입니다');
      const page = await moderator.browser.get(`/moderation/comments/${id}`);
      const rev = revOnPage(page.body);

      const noClause = await moderator.browser.post(
        `/moderation/comments/${id}/decide`,
        { rev, decision: 'reject' },
        JSON_ACCEPT,
      );
      assert.equal(noClause.statusCode, 422);
      assert.equal(codeOf(noClause), 'MODERATION_CLAUSE_REQUIRED');
      assert.equal(await statusOf(id), 'published');
      const unknownClause = await moderator.browser.post(
        `/moderation/comments/${id}/decide`,
        { rev, decision: 'reject', clause: '99' },
        JSON_ACCEPT,
      );
      assert.equal(codeOf(unknownClause), 'MODERATION_CLAUSE_REQUIRED');
      assert.equal(await statusOf(id), 'published');
      const unchanged = await moderator.browser.get(`/moderation/comments/${id}`);
      assert.equal(revOnPage(unchanged.body), rev, 'the refusals left no new revision');

      const hidden = await moderator.browser.post(`/moderation/comments/${id}/decide`, {
        rev,
        decision: 'reject',
        clause: '1',
      });
      assert.equal(hidden.statusCode, 303);
      assert.equal(hidden.headers.location, `/moderation/comments/${id}?decided=1`);
      assert.equal(await statusOf(id), 'hidden');
      const after = await moderator.browser.get(`/moderation/comments/${id}?decided=1`);
      assert.match(after.body, /Decision recorded\./);

      const stale = await moderator.browser.post(
        `/moderation/comments/${id}/decide`,
        { rev, decision: 'restore' },
        JSON_ACCEPT,
      );
      assert.equal(stale.statusCode, 409);
      assert.equal(codeOf(stale), 'MODERATION_STALE');
      assert.equal(await statusOf(id), 'hidden');
    });

    it('sends a refused hide back as the case page, the note kept and the reason beside the clause list', async () => {
      const article = await publishedArticle(t.deps);
      const author = await reader('김작성');
      const moderator = await staff('moderator', '최위원');
      const id = await comment(author, article.id, '숨길지 말지 고민되는 댓글');
      const rev = revOnPage((await moderator.browser.get(`/moderation/comments/${id}`)).body);
      const note = '욕설이 포함된 댓글 & <b>태그</b>';

      const noClause = await moderator.browser.post(`/moderation/comments/${id}/decide`, {
        rev,
        decision: 'reject',
        note,
      });
      assert.equal(noClause.statusCode, 422);
      assert.ok(noClause.body.includes(`/moderation/comments/${id}/decide`), 'the form again');
      assert.ok(
        noClause.body.includes('욕설이 포함된 댓글 &amp; &lt;b>태그&lt;/b></textarea>'),
        'the note kept, as text',
      );
      assert.match(noClause.body, /id="decision-reject"[^>]* checked/);
      assert.match(
        noClause.body,
        /<fieldset class="clause-choices" aria-describedby="decide-clauses-error"><legend>[^<]*<\/legend><p id="decide-clauses-error" class="field-error" role="alert">Cite at least one clause/,
      );
      assert.equal(await statusOf(id), 'published');

      const longNote = await moderator.browser.post(`/moderation/comments/${id}/decide`, {
        rev,
        decision: 'reject',
        clause: '2',
        note: '가'.repeat(501),
      });
      assert.equal(longNote.statusCode, 422);
      assert.match(longNote.body, /id="decide-clause-2"[^>]* checked/, 'the clause kept');
      assert.doesNotMatch(longNote.body, /id="decide-clause-1"[^>]* checked/);
      // Clause 8, the board's own decisions and appeals, is no clause a comment can break.
      assert.match(longNote.body, /id="decide-clause-7"/);
      assert.doesNotMatch(longNote.body, /id="decide-clause-8"/);
      assert.match(longNote.body, /id="decide-note-error" class="field-error"/);
      assert.ok(longNote.body.includes(`${'가'.repeat(501)}</textarea>`));

      const ko = await moderator.browser.post(`/ko/moderation/comments/${id}/decide`, {
        rev,
        decision: 'reject',
        note,
      });
      assert.equal(ko.statusCode, 422);
      assert.match(textOf(ko.body), /조항을 하나 이상 인용해야 합니다/);
    });

    it('sends a refused sanction, bulk decision, appeal decision and filter back with what was typed', async () => {
      const article = await publishedArticle(t.deps);
      const author = await reader('김작성');
      const first = await staff('moderator', '최위원');
      const second = await staff('moderator', '정위원');
      const id = await comment(author, article.id, '제재 대상 댓글');
      const other = await comment(author, article.id, '일괄 처리 대상 댓글');

      const sanction = await first.browser.post(`/moderation/readers/${author.id}/sanction`, {
        rev: '0',
        sanction: 'suspend',
        days: '7',
        note: '일주일 정지',
        comment: id,
      });
      assert.equal(sanction.statusCode, 422);
      assert.match(sanction.body, /id="sanction-suspend"[^>]* checked/);
      assert.match(sanction.body, /<option value="7" selected/);
      assert.ok(sanction.body.includes('일주일 정지</textarea>'));
      assert.match(sanction.body, /id="sanction-clauses-error"/);

      const none = await postFields(first.browser, '/moderation/bulk', [
        ['queue', 'recent'],
        ['decision', 'reject'],
        ['clause', '1'],
        ['note', '도배입니다'],
        ['q', '대상'],
      ]);
      assert.equal(none.statusCode, 422);
      assert.match(textOf(none.body), /Tick at least one comment/);
      assert.ok(none.body.includes('도배입니다</textarea>'));
      assert.match(none.body, /id="bulk-clause-1"[^>]* checked/);
      assert.match(none.body, /<option value="reject" selected/);
      assert.match(none.body, /name="q"[^>]* value="대상"/, 'the filters kept');
      const item = new RegExp(`value="(${other}:\\d+)"`).exec(none.body)?.[1];
      assert.ok(item);
      const noClause = await postFields(first.browser, '/moderation/bulk', [
        ['queue', 'recent'],
        ['item', item],
        ['decision', 'reject'],
        ['note', '도배입니다'],
      ]);
      assert.equal(noClause.statusCode, 422);
      assert.match(noClause.body, new RegExp(`value="${item}"[^>]* checked`), 'selection kept');
      assert.match(noClause.body, /id="bulk-clauses-error"/);
      assert.deepEqual([await statusOf(id), await statusOf(other)], ['published', 'published']);

      await hide(first, id);
      const filed = await author.browser.post(`/account/comments/${id}/appeal`, { reason: '재심' });
      assert.equal(filed.statusCode, 303);
      const appeal = await handle.db
        .selectFrom('comment_appeals')
        .select(['id', 'rev'])
        .where('comment_id', '=', id)
        .executeTakeFirstOrThrow();
      const hearing = await second.browser.post(`/moderation/appeals/${appeal.id}/decide`, {
        rev: String(appeal.rev),
        outcome: 'granted',
        note: '나'.repeat(501),
      });
      assert.equal(hearing.statusCode, 422);
      assert.match(hearing.body, /id="outcome-granted"[^>]* checked/);
      assert.ok(hearing.body.includes(`${'나'.repeat(501)}</textarea>`));
      assert.match(hearing.body, /id="appeal-note-error"/);

      const filter = await first.browser.get(`/moderation/queue/recent?q=${'가'.repeat(201)}`);
      assert.equal(filter.statusCode, 400);
      assert.match(filter.body, /<details class="desk-filters" open/);
      assert.match(filter.body, /id="f-text-error" class="field-error"/);
      assert.ok(filter.body.includes(`value="${'가'.repeat(201)}"`), 'the words kept');
    });

    it('gives each moderator who takes the next item a different held comment, then says nothing is left', async () => {
      const article = await publishedArticle(t.deps);
      const author = await reader('김작성');
      const first = await staff('moderator', '최위원');
      const second = await staff('moderator', '정위원');
      const third = await staff('admin', '한관리');
      await premoderate(article.id, third.id);
      const held = [
        await comment(author, article.id, '검토를 기다리는 첫 댓글'),
        await comment(author, article.id, '검토를 기다리는 둘째 댓글'),
      ];
      assert.deepEqual(await Promise.all(held.map(statusOf)), ['pending', 'pending']);

      const taken: string[] = [];
      for (const member of [first, second]) {
        const next = await member.browser.post('/moderation/queue/pending/next');
        assert.equal(next.statusCode, 303);
        const match = /^\/moderation\/comments\/(\d+)$/.exec(String(next.headers.location));
        assert.ok(match?.[1], `a comment page: ${String(next.headers.location)}`);
        taken.push(match[1]);
      }
      assert.deepEqual([...taken].sort(), [...held].sort(), 'two moderators, two comments');
      // What the first took is theirs while they review it: the second cannot decide it.
      const page = await second.browser.get(`/moderation/comments/${taken[0] ?? ''}`);
      const claimed = await second.browser.post(
        `/moderation/comments/${taken[0] ?? ''}/decide`,
        { rev: revOnPage(page.body), decision: 'approve' },
        JSON_ACCEPT,
      );
      assert.equal(claimed.statusCode, 409);
      assert.equal(codeOf(claimed), 'MODERATION_CLAIMED');

      const none = await third.browser.post('/ko/moderation/queue/pending/next');
      assert.equal(none.statusCode, 303);
      assert.equal(none.headers.location, '/ko/moderation/queue/pending?nothing=1');
      const notice = await third.browser.get('/moderation/queue/pending?nothing=1');
      assert.match(notice.body, /Nothing is left in this queue/);
    });

    it('decides two selected comments at once from the bulk form', async () => {
      const article = await publishedArticle(t.deps);
      const author = await reader('김작성');
      const moderator = await staff('moderator', '최위원');
      const ids = [
        await comment(author, article.id, '일괄 처리될 첫 댓글'),
        await comment(author, article.id, '일괄 처리될 둘째 댓글'),
      ];
      const queue = await moderator.browser.get('/moderation/queue/recent');
      const items = ids.map((id) => {
        const match = new RegExp(`value="(${id}:\\d+)"`).exec(queue.body);
        assert.ok(match?.[1], `comment ${id} can be selected`);
        return match[1];
      });

      const bulk = await postFields(moderator.browser, '/moderation/bulk', [
        ['queue', 'recent'],
        ...items.map((item): [string, string] => ['item', item]),
        ['decision', 'reject'],
        ['clause', '1'],
        ['clause', '3'],
        ['note', '도배입니다'],
      ]);
      assert.equal(bulk.statusCode, 303, bulk.body);
      const done = '/moderation/queue/recent?decided=2&skipped=0';
      assert.equal(bulk.headers.location, done);
      assert.deepEqual(await Promise.all(ids.map(statusOf)), ['hidden', 'hidden']);
      const notice = await moderator.browser.get(done);
      assert.match(textOf(notice.body), /2 decided\./);
    });

    it('suspends a reader from the sanction form, and their next comment is refused with the end of the suspension', async () => {
      const article = await publishedArticle(t.deps);
      const author = await reader('김작성');
      const moderator = await staff('moderator', '최위원');
      const id = await comment(author, article.id, '문제가 된 댓글입니다');

      const sanction = await moderator.browser.post(`/moderation/readers/${author.id}/sanction`, {
        rev: '0',
        sanction: 'suspend',
        days: '3',
        clause: '1',
        note: '사흘간 정지합니다',
        comment: id,
      });
      assert.equal(sanction.statusCode, 303, sanction.body);
      assert.equal(sanction.headers.location, `/moderation/comments/${id}?decided=1`);
      const page = await moderator.browser.get(`/moderation/comments/${id}`);
      assert.match(textOf(page.body), /Suspended from commenting until/);

      const refused = await author.browser.post(
        `/articles/${article.id}/comments`,
        { body: '정지 중에 쓴 댓글', acceptPolicy: '1' },
        JSON_ACCEPT,
      );
      assert.equal(refused.statusCode, 403);
      const { error } = refused.json<{ error: { code: string; message: string; until: string } }>();
      assert.equal(error.code, 'COMMENTER_SUSPENDED');
      const until = new Date(t.clock.now.getTime() + 3 * 86_400_000);
      assert.equal(error.until, until.toISOString());
      assert.ok(
        error.message.includes(formatNewsroomDateTime(until, 'Asia/Seoul', 'en')),
        error.message,
      );
      const mine = await author.browser.get('/account/comments');
      assert.match(textOf(mine.body), /suspended you from commenting until/);
    });

    it('shows the author why their comment was hidden, takes their appeal, and a second moderator grants it', async () => {
      const article = await publishedArticle(t.deps);
      const author = await reader('김작성');
      const first = await staff('moderator', '최위원');
      const second = await staff('moderator', '정위원');
      const id = await comment(author, article.id, '억울하게 숨겨질 댓글');
      const before = hiddenFigure((await t.app.inject({ url: '/transparency' })).body);
      await hide(first, id, '표현이 지나칩니다');

      const clause1 = (await getCurrentPolicy(t.deps)).clauses.find((c) => c.number === 1);
      assert.ok(clause1);
      const mine = await author.browser.get('/account/comments');
      const mineText = textOf(mine.body);
      assert.match(mineText, /Hidden by the standards board, citing clause 1/);
      assert.ok(mineText.includes(`clause 1 (${clause1.title.en})`), mineText);
      assert.match(mineText, /Note from the board: 표현이 지나칩니다/);
      const appealPath = `/account/comments/${id}/appeal`;
      assert.ok(mine.body.includes(`href="${appealPath}"`), 'a link to appeal');
      const mineKo = await author.browser.get('/ko/account/comments');
      assert.ok(textOf(mineKo.body).includes(clause1.title.ko));

      const form = await author.browser.get(appealPath);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /억울하게 숨겨질 댓글/);
      const empty = await author.browser.post(appealPath, { reason: '' });
      assert.equal(empty.statusCode, 422);
      assert.match(empty.body, /aria-invalid="true"/);
      assert.match(empty.body, /id="appeal-error"/);
      const long = '가'.repeat(501);
      const tooLong = await author.browser.post(appealPath, { reason: long });
      assert.equal(tooLong.statusCode, 422);
      assert.ok(tooLong.body.includes(long), 'the reason is kept');
      assert.deepEqual(await handle.db.selectFrom('comment_appeals').select('id').execute(), []);

      const filed = await author.browser.post(appealPath, { reason: '비판이었지 욕설이 아닙니다' });
      assert.equal(filed.statusCode, 303);
      assert.equal(filed.headers.location, `/account/comments#comment-${id}`);
      const pending = textOf((await author.browser.get('/account/comments')).body);
      assert.match(pending, /You appealed; a different moderator will decide\./);
      assert.doesNotMatch(pending, /Appeal this decision/);
      const again = await author.browser.post(
        appealPath,
        { reason: '다시 이의를 제기합니다' },
        JSON_ACCEPT,
      );
      assert.equal(codeOf(again), 'APPEAL_EXISTS');

      const appeal = await handle.db
        .selectFrom('comment_appeals')
        .select(['id', 'rev'])
        .where('comment_id', '=', id)
        .executeTakeFirstOrThrow();
      const queue = await second.browser.get('/moderation/queue/appeals');
      assert.match(textOf(queue.body), /비판이었지 욕설이 아닙니다/);
      const hearing = await second.browser.get(`/moderation/appeals/${appeal.id}`);
      assert.equal(hearing.statusCode, 200);
      assert.match(hearing.body, /억울하게 숨겨질 댓글/);
      const granted = await second.browser.post(`/moderation/appeals/${appeal.id}/decide`, {
        rev: String(appeal.rev),
        outcome: 'granted',
        note: '비판으로 봅니다',
      });
      assert.equal(granted.statusCode, 303, granted.body);
      assert.equal(granted.headers.location, '/moderation/queue/appeals?decided=1');
      assert.equal(await statusOf(id), 'published');
      const restored = textOf((await author.browser.get('/account/comments')).body);
      assert.match(restored, /Your appeal was granted: the comment is published again\./);

      // The report counts the hiding (the appeal does not undo that it happened), by its clause.
      const report = await t.app.inject({ url: '/transparency' });
      assert.equal(report.statusCode, 200);
      assert.equal(hiddenFigure(report.body), before + 1);
      assert.match(textOf(report.body), /Comment restored on appeal [1-9]/);
      assert.ok(report.body.includes('href="/policy/versions/1#clause-1"'), 'the clause cited');
      const ko = await t.app.inject({ url: '/ko/transparency' });
      assert.ok(textOf(ko.body).includes(clause1.title.ko));
    });

    it('refuses the appeal to the moderator whose decision it is against', async () => {
      const article = await publishedArticle(t.deps);
      const author = await reader('김작성');
      const moderator = await staff('moderator', '최위원');
      const id = await comment(author, article.id, '이의 제기할 댓글');
      await hide(moderator, id);
      const filed = await author.browser.post(`/account/comments/${id}/appeal`, {
        reason: '다시 봐 주세요',
      });
      assert.equal(filed.statusCode, 303);
      const appeal = await handle.db
        .selectFrom('comment_appeals')
        .select(['id', 'rev'])
        .where('comment_id', '=', id)
        .executeTakeFirstOrThrow();

      const page = await moderator.browser.get(`/moderation/appeals/${appeal.id}`);
      assert.match(page.body, /You made the decision appealed/);
      const refused = await moderator.browser.post(
        `/moderation/appeals/${appeal.id}/decide`,
        { rev: String(appeal.rev), outcome: 'granted' },
        JSON_ACCEPT,
      );
      assert.equal(refused.statusCode, 403);
      assert.equal(codeOf(refused), 'MODERATION_SAME_MODERATOR');
      assert.equal(await statusOf(id), 'hidden');
      const still = await handle.db
        .selectFrom('comment_appeals')
        .select('status')
        .where('id', '=', appeal.id)
        .executeTakeFirstOrThrow();
      assert.equal(still.status, 'open');
    });

    it('offers a moderator no decision on their own comment or its appeal, and refuses one posted anyway', async () => {
      const article = await publishedArticle(t.deps);
      const self = await staff('moderator', '최위원');
      const other = await staff('moderator', '정위원');
      const id = await comment(self, article.id, '심의위원이 쓴 댓글');

      const page = await self.browser.get(`/moderation/comments/${id}`);
      assert.equal(page.statusCode, 200);
      assert.ok(!page.body.includes(`/moderation/comments/${id}/decide`), 'no decision form');
      assert.ok(!page.body.includes(`/moderation/comments/${id}/claim`), 'nothing to take');
      assert.match(textOf(page.body), /You wrote this comment/);
      const queue = await self.browser.get('/moderation/queue/recent');
      assert.ok(!queue.body.includes(`value="${id}:`), 'not selectable for a bulk decision');
      const theirs = await other.browser.get(`/moderation/comments/${id}`);
      const rev = revOnPage(theirs.body);

      for (const decision of ['feature', 'approve', 'reject']) {
        const posted = await self.browser.post(
          `/moderation/comments/${id}/decide`,
          { rev, decision, clause: '1' },
          JSON_ACCEPT,
        );
        assert.equal(posted.statusCode, 403, decision);
        assert.equal(codeOf(posted), 'MODERATION_OWN_COMMENT', decision);
      }
      const next = await self.browser.post('/moderation/queue/recent/next');
      assert.equal(next.headers.location, '/moderation/queue/recent?nothing=1');

      await hide(other, id);
      const filed = await self.browser.post(`/account/comments/${id}/appeal`, {
        reason: '다시 봐 주세요',
      });
      assert.equal(filed.statusCode, 303, filed.body);
      const appeal = await handle.db
        .selectFrom('comment_appeals')
        .select(['id', 'rev'])
        .where('comment_id', '=', id)
        .executeTakeFirstOrThrow();
      const appealPage = await self.browser.get(`/moderation/appeals/${appeal.id}`);
      assert.ok(!appealPage.body.includes(`/moderation/appeals/${appeal.id}/decide`));
      assert.match(textOf(appealPage.body), /You wrote this comment/);
      const granted = await self.browser.post(
        `/moderation/appeals/${appeal.id}/decide`,
        { rev: String(appeal.rev), outcome: 'granted' },
        JSON_ACCEPT,
      );
      assert.equal(granted.statusCode, 403);
      assert.equal(codeOf(granted), 'MODERATION_OWN_COMMENT');
      assert.equal(await statusOf(id), 'hidden');
    });

    it('takes the feature off a comment its author edits, and shows the desk the edit and the text before', async () => {
      const article = await publishedArticle(t.deps);
      const author = await reader('김작성');
      const moderator = await staff('moderator', '최위원');
      const id = await comment(author, article.id, '추천받은 원래 댓글');
      const page = await moderator.browser.get(`/moderation/comments/${id}`);
      const featured = await moderator.browser.post(`/moderation/comments/${id}/decide`, {
        rev: revOnPage(page.body),
        decision: 'feature',
      });
      assert.equal(featured.statusCode, 303, featured.body);
      assert.match(
        textOf((await author.browser.get(article.path)).body),
        /Featured by the standards board/,
      );

      const edited = await author.browser.post(`/comments/${id}/edit`, { body: '고쳐 쓴 댓글' });
      assert.equal(edited.statusCode, 303, edited.body);
      const articleText = textOf((await author.browser.get(article.path)).body);
      assert.match(articleText, /고쳐 쓴 댓글/);
      assert.doesNotMatch(articleText, /Featured by the standards board/);

      const desk = textOf((await moderator.browser.get(`/moderation/comments/${id}`)).body);
      assert.match(desk, /No longer featured · by the system · after its author edited it/);
      assert.match(desk, /Earlier versions of this comment/);
      assert.match(desk, /추천받은 원래 댓글/);
      const ko = textOf((await moderator.browser.get(`/ko/moderation/comments/${id}`)).body);
      assert.match(ko, /이 댓글의 이전 버전/);
    });

    it('answers what no desk form sends with the code it always had, and reads an empty or repeated page as the first', async () => {
      const article = await publishedArticle(t.deps);
      const author = await reader('김작성');
      const moderator = await staff('moderator', '최위원');
      const id = await comment(author, article.id, '형식 검사 대상 댓글');
      const rev = revOnPage((await moderator.browser.get(`/moderation/comments/${id}`)).body);
      const refusals: [string, Promise<LightMyRequestResponse>, number, string][] = [
        [
          'an unknown queue',
          moderator.browser.get('/moderation/queue/old', JSON_ACCEPT),
          404,
          'NOT_FOUND',
        ],
        [
          'a malformed comment id',
          moderator.browser.get('/moderation/comments/abc', JSON_ACCEPT),
          404,
          'NOT_FOUND',
        ],
        [
          'a malformed page',
          moderator.browser.get('/moderation/queue/recent?page=x', JSON_ACCEPT),
          400,
          'INVALID_PARAMETER',
        ],
        [
          'a decision the form does not offer',
          moderator.browser.post(
            `/moderation/comments/${id}/decide`,
            { rev, decision: 'purge', clause: '1' },
            JSON_ACCEPT,
          ),
          400,
          'BAD_REQUEST',
        ],
        [
          'a malformed revision',
          moderator.browser.post(
            `/moderation/comments/${id}/decide`,
            { rev: 'x', decision: 'reject', clause: '1' },
            JSON_ACCEPT,
          ),
          400,
          'BAD_REQUEST',
        ],
        [
          'a malformed comment id in the sanction form',
          moderator.browser.post(
            `/moderation/readers/${author.id}/sanction`,
            { rev: '0', sanction: 'warn', clause: '1', comment: 'abc' },
            JSON_ACCEPT,
          ),
          404,
          'NOT_FOUND',
        ],
        [
          'a malformed filter on "take the next item"',
          moderator.browser.post('/moderation/queue/recent/next?article=abc', {}, JSON_ACCEPT),
          400,
          'INVALID_PARAMETER',
        ],
      ];
      for (const [what, response, status, code] of refusals) {
        const answer = await response;
        assert.equal(answer.statusCode, status, what);
        assert.equal(codeOf(answer), code, what);
      }
      const bulk = await postFields(
        moderator.browser,
        '/moderation/bulk',
        [
          ['queue', 'recent'],
          ['item', `${id}:${rev}`],
          ['decision', 'reject'],
          ['clause', '1'],
          ['article', 'abc'],
        ],
        JSON_ACCEPT,
      );
      assert.equal(bulk.statusCode, 400, 'a malformed filter on the bulk form');
      assert.equal(codeOf(bulk), 'INVALID_PARAMETER');
      const refusedBulk = await postFields(
        moderator.browser,
        '/moderation/bulk',
        [
          ['queue', 'recent'],
          ['decision', 'reject'],
          ['page', 'x'],
        ],
        JSON_ACCEPT,
      );
      assert.equal(refusedBulk.statusCode, 400, 'a refused bulk form with a malformed page');
      assert.equal(codeOf(refusedBulk), 'INVALID_PARAMETER');
      assert.equal(await statusOf(id), 'published');

      for (const query of ['page=', 'page=2&page=3'])
        assert.equal(
          (await moderator.browser.get(`/moderation/queue/recent?${query}`)).statusCode,
          200,
          query,
        );
    });

    it('refuses the desk to a reader and to an editor, and opens it to an editor the admin seats on the board', async () => {
      const someone = await reader('김독자');
      const editor = await staff('editor', '오편집');
      const admin = await staff('admin', '한관리');
      for (const member of [someone, editor]) {
        const refused = await member.browser.get('/moderation/queue/pending', JSON_ACCEPT);
        assert.equal(refused.statusCode, 403);
        assert.equal(codeOf(refused), 'FORBIDDEN');
      }

      const seated = await admin.browser.post(`/admin/accounts/${editor.id}/board`, {
        board: 'on',
      });
      assert.equal(seated.statusCode, 303);
      // Seating ends the editor's sessions, as a role change does: they sign in again.
      const ended = await editor.browser.get('/moderation/queue/pending', JSON_ACCEPT);
      assert.equal(ended.statusCode, 401);
      const again = await signedIn(editor.id, 'staff');
      assert.equal((await again.get('/moderation/queue/pending')).statusCode, 200);
      assert.equal((await again.get('/staff/comments')).statusCode, 200);
      assert.equal((await again.get('/admin/moderation/words', JSON_ACCEPT)).statusCode, 403);
    });
  });
}
