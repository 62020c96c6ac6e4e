import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import { isAppError } from '../http/app-error.js';
import type { PolicyClause } from './policy.js';
import {
  acceptPolicy,
  findClause,
  findPolicyVersion,
  getCurrentPolicy,
  hasAcceptedCurrentPolicy,
  listPolicyVersions,
  nextClauseNumber,
  publishPolicyVersion,
} from './policy.service.js';
import { resetPolicy } from './policy.testing.js';

/** The policy as versioned data: the seeded first version, publishing, numbering, acceptance. */

const V1_EFFECTIVE = new Date('2026-11-30T00:00:00+09:00');

function clause(number: number, ko: string, en = `Rule ${String(number)}`): PolicyClause {
  return {
    number,
    title: { en, ko: `${ko} 제목` },
    text: { en: `${en}: the text.`, ko: `${ko}에 관한 내용입니다.` },
    reportable: true,
  };
}

const INTRO = { en: 'Comments follow these rules.', ko: '댓글은 다음 원칙을 따릅니다.' };
const NOTE = { en: 'Clause 8 was removed.', ko: '제8조를 삭제했습니다.' };

function rejectsWith(code: string) {
  return (error: unknown) => {
    assert.ok(isAppError(error), String(error));
    assert.equal(error.code, code, error.message);
    return true;
  };
}

for (const backend of testBackends()) {
  describe(`the policy service on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let now: Date;
    let deps: AppDeps;
    let adminId: string;
    let readerId: string;

    before(async () => {
      handle = await backend.open();
      deps = testDeps(handle, { clock: () => now });
    });
    after(async () => {
      await handle.close();
    });
    beforeEach(async () => {
      now = new Date('2026-12-01T10:00:00+09:00');
      await resetPolicy(handle);
      const accounts = await handle.db
        .insertInto('accounts')
        .values([
          { display_name: '관리자', role: 'admin', staff_email: 'admin@example.com' },
          { display_name: '김독자' },
        ])
        .returning('id')
        .execute();
      adminId = accounts[0]?.id ?? assert.fail('an admin');
      readerId = accounts[1]?.id ?? assert.fail('a reader');
    });

    /** Version 1's clauses, with clause 8 dropped and clause 2 reworded, plus one new clause. */
    async function publishSecondVersion() {
      const v1 = await getCurrentPolicy(deps);
      const kept = v1.clauses.filter((c) => c.number !== 8);
      const reworded = kept.map((c) =>
        c.number === 2
          ? { ...c, text: { en: 'No abuse of anyone.', ko: '누구도 모욕하지 마세요.' } }
          : c,
      );
      return publishPolicyVersion(deps, {
        adminId,
        intro: INTRO,
        note: NOTE,
        clauses: [...reworded, clause(await nextClauseNumber(deps), '신설 조항')],
      });
    }

    async function rowCounts() {
      const count = async (table: 'policy_versions' | 'policy_clauses') =>
        Number(
          (
            await handle.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return { versions: await count('policy_versions'), clauses: await count('policy_clauses') };
    }

    it('seeds version 1 with the published text in English and Korean', async () => {
      const policy = await getCurrentPolicy(deps);
      assert.equal(policy.version, 1);
      assert.equal(policy.effectiveAt.getTime(), V1_EFFECTIVE.getTime());
      assert.match(policy.intro.en, /^Comments are a place for readers to discuss/);
      assert.match(policy.intro.ko, /^댓글은 독자가 기사에 대해 의견을 나누는 공간입니다\./);
      assert.deepEqual(policy.note, { en: '', ko: '' });
      assert.deepEqual(
        policy.clauses.map((c) => c.number),
        [1, 2, 3, 4, 5, 6, 7, 8],
      );
      assert.deepEqual(policy.clauses[1]?.title, { en: 'No abuse', ko: '욕설·모욕 금지' });
      // Clause 8, "Decisions and appeals", is about the board: no comment can break it.
      assert.deepEqual(
        policy.clauses.filter((c) => !c.reportable).map((c) => c.number),
        [8],
      );
      assert.equal(
        policy.clauses[6]?.text.ko,
        '댓글은 보이는 글자 기준 250자 이내의 일반 텍스트입니다. 링크는 허용되며 일반 링크로 표시됩니다.',
      );
      assert.deepEqual(await listPolicyVersions(deps), [
        { version: 1, effectiveAt: V1_EFFECTIVE, note: { en: '', ko: '' } },
      ]);
    });

    it('shows version 1 as the policy announced before it comes into force', async () => {
      now = new Date('2026-11-29T12:00:00+09:00');
      assert.equal((await getCurrentPolicy(deps)).version, 1);
    });

    it('publishes version 2 in force at once, keeping clause numbers and numbering a new clause after the highest ever', async () => {
      assert.equal(await nextClauseNumber(deps), 9);
      const published = await publishSecondVersion();
      assert.equal(published.version, 2);
      assert.equal(published.effectiveAt.getTime(), now.getTime());

      const current = await getCurrentPolicy(deps);
      assert.deepEqual(current, published);
      assert.deepEqual(
        current.clauses.map((c) => c.number),
        [1, 2, 3, 4, 5, 6, 7, 9],
      );
      assert.equal(current.clauses[1]?.text.ko, '누구도 모욕하지 마세요.');
      assert.equal(current.clauses[7]?.title.ko, '신설 조항 제목');
      assert.deepEqual(current.note, NOTE);
      const history = await listPolicyVersions(deps);
      assert.deepEqual(
        history.map((v) => [v.version, v.note.ko]),
        [
          [2, '제8조를 삭제했습니다.'],
          [1, ''],
        ],
      );

      // Version 1 is still there, word for word, for the decisions that cite it.
      const v1 = await findPolicyVersion(deps, 1);
      assert.equal(v1?.clauses.length, 8);
      assert.equal((await findClause(deps, 1, 8))?.title.ko, '결정과 이의 제기');
      assert.equal((await findClause(deps, 1, 2))?.text.en.startsWith('Insults, threats'), true);
      assert.equal(await findClause(deps, 2, 8), undefined);
      assert.equal((await findClause(deps, 2, 9))?.title.ko, '신설 조항 제목');

      // Clause 9 is removed in version 3: the next new clause is 10, and 8 and 9 stay retired.
      assert.equal(await nextClauseNumber(deps), 9 + 1);
      const v3 = await publishPolicyVersion(deps, {
        adminId,
        intro: INTRO,
        note: { en: '', ko: '' },
        clauses: [clause(1, '첫째'), { ...clause(10, '열째'), reportable: false }],
      });
      assert.deepEqual(
        v3.clauses.map((c) => c.number),
        [1, 10],
      );
      assert.equal((await findClause(deps, v3.version, 1))?.reportable, true);
      assert.equal((await findClause(deps, v3.version, 10))?.reportable, false);
      for (const reused of [8, 9])
        await assert.rejects(
          publishPolicyVersion(deps, {
            adminId,
            intro: INTRO,
            note: NOTE,
            clauses: [clause(1, '첫째'), clause(reused, '되살린 조항')],
          }),
          rejectsWith('POLICY_INVALID'),
        );
    });

    it('stores texts trimmed and in NFC, and accepts a 2000-character Korean clause', async () => {
      const long = '가'.repeat(2000);
      const decomposed = '\u1100\u1161 규칙'; // 가 규칙, typed as jamo
      const published = await publishPolicyVersion(deps, {
        adminId,
        intro: { en: '  Rules.  ', ko: ' 원칙입니다.\r\n' },
        note: NOTE,
        clauses: [
          {
            number: 1,
            title: { en: 'Long', ko: decomposed },
            text: { en: 'x', ko: long },
            reportable: true,
          },
        ],
      });
      const stored = (await findPolicyVersion(deps, published.version)) ?? assert.fail('stored');
      assert.deepEqual(stored.intro, { en: 'Rules.', ko: '원칙입니다.' });
      const first = stored.clauses[0] ?? assert.fail('a clause');
      assert.equal(first.title.ko, '가 규칙');
      assert.equal(first.text.ko, long);
    });

    it('refuses invalid drafts with POLICY_INVALID and saves nothing', async () => {
      const v1 = await getCurrentPolicy(deps);
      const cases: [string, PolicyClause[], typeof NOTE?][] = [
        ['no clauses', []],
        ['an empty Korean title', [{ ...clause(1, '첫째'), title: { en: 'One', ko: '   ' } }]],
        ['an empty English text', [{ ...clause(1, '첫째'), text: { en: '', ko: '내용' } }]],
        [
          'a 2001-character Korean text',
          [{ ...clause(1, '첫째'), text: { en: 'x', ko: '가'.repeat(2001) } }],
        ],
        [
          'a 2001-character English title',
          [{ ...clause(1, '첫째'), title: { en: 'a'.repeat(2001), ko: '제목' } }],
        ],
        ['a clause number twice', [clause(1, '첫째'), clause(1, '또 첫째')]],
        ['clause number 0', [clause(0, '영')]],
        ['a fractional clause number', [clause(1.5, '반')]],
        ['a negative clause number', [clause(-3, '음수')]],
        // Clause 3 was removed by version 2, published below.
        ['a removed number given to a new rule', [clause(1, '첫째'), clause(3, '새 규칙')]],
        ['a note in English only', v1.clauses, { en: 'Changed.', ko: '' }],
        ['a note of 501 characters', v1.clauses, { en: 'x'.repeat(501), ko: '바뀜' }],
      ];
      await publishPolicyVersion(deps, {
        adminId,
        intro: INTRO,
        note: NOTE,
        clauses: v1.clauses.filter((c) => c.number !== 3),
      });
      const before = await rowCounts();
      for (const [label, clauses, note] of cases)
        await assert.rejects(
          publishPolicyVersion(deps, { adminId, intro: INTRO, note: note ?? NOTE, clauses }),
          rejectsWith('POLICY_INVALID'),
          label,
        );
      await assert.rejects(
        publishPolicyVersion(deps, {
          adminId,
          intro: { en: 'Rules.', ko: '' },
          note: NOTE,
          clauses: v1.clauses,
        }),
        rejectsWith('POLICY_INVALID'),
        'an intro in English only',
      );
      assert.deepEqual(await rowCounts(), before);
      assert.equal((await getCurrentPolicy(deps)).version, 2);
    });

    it('refuses to publish over a version that is no longer in force', async () => {
      await publishSecondVersion();
      const v1 = (await findPolicyVersion(deps, 1)) ?? assert.fail('version 1');
      await assert.rejects(
        publishPolicyVersion(deps, {
          adminId,
          intro: v1.intro,
          note: NOTE,
          clauses: v1.clauses,
          basedOn: 1,
        }),
        rejectsWith('POLICY_CHANGED'),
      );
      assert.equal((await getCurrentPolicy(deps)).version, 2);
    });

    it('records a reader’s acceptance once, however often they accept', async () => {
      assert.deepEqual(await hasAcceptedCurrentPolicy(deps, readerId), {
        accepted: false,
        version: 1,
      });
      await acceptPolicy(deps, readerId, 1);
      const first = now;
      now = new Date(now.getTime() + 60_000);
      await acceptPolicy(deps, readerId, 1);
      assert.deepEqual(await hasAcceptedCurrentPolicy(deps, readerId), {
        accepted: true,
        version: 1,
      });
      const rows = await handle.db.selectFrom('policy_acceptances').selectAll().execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.accepted_at.getTime(), first.getTime());
      assert.deepEqual(await hasAcceptedCurrentPolicy(deps, adminId), {
        accepted: false,
        version: 1,
      });
    });

    it('asks for acceptance again after a new version, and refuses an old one with POLICY_CHANGED', async () => {
      await acceptPolicy(deps, readerId, 1);
      await publishSecondVersion();
      assert.deepEqual(await hasAcceptedCurrentPolicy(deps, readerId), {
        accepted: false,
        version: 2,
      });
      await assert.rejects(acceptPolicy(deps, readerId, 1), rejectsWith('POLICY_CHANGED'));
      await assert.rejects(acceptPolicy(deps, readerId, 3), rejectsWith('POLICY_CHANGED'));
      await acceptPolicy(deps, readerId, 2);
      assert.equal((await hasAcceptedCurrentPolicy(deps, readerId)).accepted, true);
    });

    it('finds nothing for a version or clause that does not exist', async () => {
      assert.equal(await findPolicyVersion(deps, 2), undefined);
      assert.equal(await findPolicyVersion(deps, Number.NaN), undefined);
      assert.equal(await findClause(deps, 1, 99), undefined);
      assert.equal(await findClause(deps, 7, 1), undefined);
    });
  });
}
