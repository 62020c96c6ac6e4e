import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import type { ContentChange } from '../lib/content-change.js';
import {
  CORRECTIONS_PER_PAGE,
  MAX_CORRECTION_LENGTH,
  type CorrectionKind,
} from './article-corrections.js';
import { englishArticle, koreanArticle } from './articles.fixtures.js';
import {
  addCorrection,
  archiveArticle,
  findArticleIdAt,
  listCorrections,
  listCorrectionsOf,
  saveArticles,
} from './articles.service.js';

const EN_PATH = '/2023/01/29/national/north-denies-sending-arms';
const KO_PATH = '/ko/2023/01/29/national/북한-러시아-무기-공급-부인';

function refusedWith(code: string) {
  return (error: unknown) => error instanceof AppError && error.code === code;
}

for (const backend of testBackends()) {
  describe(`corrections on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let deps: AppDeps;
    let now: Date;
    let changes: ContentChange[];
    let accountId: string;
    let enId: string;
    let koId: string;

    before(async () => {
      handle = await backend.open();
      accountId = (
        await handle.db
          .insertInto('accounts')
          .values({ display_name: '편집자', role: 'editor', staff_email: 'desk@example.com' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    });
    after(async () => {
      await handle.close();
    });
    beforeEach(async () => {
      await sql`truncate articles, article_bylines, article_tags, article_redirects, article_corrections, sections, people, tags restart identity cascade`.execute(
        handle.db,
      );
      now = new Date('2026-12-08T09:30:00+09:00');
      changes = [];
      deps = testDeps(handle, {
        clock: () => now,
        contentChanged: (change) => changes.push(change),
      });
      await saveArticles(deps, [englishArticle(), koreanArticle()]);
      enId = (await findArticleIdAt(deps, EN_PATH)) ?? '';
      koId = (await findArticleIdAt(deps, KO_PATH)) ?? '';
      changes = [];
    });

    it('adds a dated, trimmed note to a published article and says the article changed', async () => {
      const added = await addCorrection(deps, {
        articleId: enId,
        kind: 'correction',
        body: '  An earlier version misstated the date.\n',
        accountId,
      });
      assert.equal(added.publishedAt.getTime(), now.getTime());
      assert.deepEqual(await listCorrectionsOf(deps, enId), [
        {
          id: added.id,
          kind: 'correction',
          body: 'An earlier version misstated the date.',
          publishedAt: now,
        },
      ]);
      assert.deepEqual(changes, [{ kind: 'articles', ids: [enId] }]);
    });

    it('lists the notes of one article oldest first', async () => {
      await addCorrection(deps, { articleId: koId, kind: 'correction', body: '첫째', accountId });
      now = new Date(now.getTime() + 60_000);
      await addCorrection(deps, {
        articleId: koId,
        kind: 'clarification',
        body: '둘째',
        accountId,
      });
      const notes = await listCorrectionsOf(deps, koId);
      assert.deepEqual(
        notes.map((n) => [n.kind, n.body]),
        [
          ['correction', '첫째'],
          ['clarification', '둘째'],
        ],
      );
    });

    it('refuses a note on a draft, and on an archived article', async () => {
      await handle.db
        .updateTable('articles')
        .set({ status: 'draft' })
        .where('id', '=', enId)
        .execute();
      await assert.rejects(
        addCorrection(deps, { articleId: enId, kind: 'correction', body: 'x', accountId }),
        refusedWith('CORRECTION_NOT_PUBLISHED'),
      );
      await archiveArticle(deps, 'ko', koreanArticle().slug);
      await assert.rejects(
        addCorrection(deps, { articleId: koId, kind: 'clarification', body: '해명', accountId }),
        refusedWith('CORRECTION_NOT_PUBLISHED'),
      );
      assert.deepEqual(await listCorrectionsOf(deps, enId), []);
    });

    it('refuses an empty note, one that shows nothing, one of 2001 visible characters, and an unknown kind', async () => {
      for (const body of ['', '   \n', '\u200b\u3164', '가'.repeat(MAX_CORRECTION_LENGTH + 1)]) {
        await assert.rejects(
          addCorrection(deps, { articleId: enId, kind: 'correction', body, accountId }),
          refusedWith('CORRECTION_INVALID'),
        );
      }
      await assert.rejects(
        addCorrection(deps, {
          articleId: enId,
          kind: 'retraction' as CorrectionKind,
          body: 'A kind no form offers.',
          accountId,
        }),
        refusedWith('CORRECTION_INVALID'),
      );
      // 2000 syllables of decomposed Hangul are 6000 code units, and still 2000 characters.
      const decomposed = '한'.normalize('NFD').repeat(MAX_CORRECTION_LENGTH);
      await addCorrection(deps, {
        articleId: koId,
        kind: 'correction',
        body: decomposed,
        accountId,
      });
      assert.equal(changes.length, 1);
    });

    it('answers NOT_FOUND for an article that does not exist or could not', async () => {
      for (const articleId of ['999999', '0', 'abc', '1; drop table articles']) {
        await assert.rejects(
          addCorrection(deps, { articleId, kind: 'correction', body: 'x', accountId }),
          refusedWith('NOT_FOUND'),
        );
      }
    });

    it("lists an edition's notes newest first, 20 a page, with each article's headline and path", async () => {
      for (let i = 0; i < CORRECTIONS_PER_PAGE + 1; i += 1) {
        now = new Date(now.getTime() + 60_000);
        await addCorrection(deps, {
          articleId: i % 2 === 0 ? enId : koId,
          kind: 'correction',
          body: `note ${i}`,
          accountId,
        });
      }
      const first = await listCorrections(deps, { language: 'en', page: 1 });
      assert.equal(first.entries.length, 11);
      assert.equal(first.hasOlder, false);
      assert.equal(first.entries[0]?.body, 'note 20');
      assert.equal(first.entries[10]?.body, 'note 0');
      const [newest] = first.entries;
      assert.ok(newest);
      assert.deepEqual(newest.article, {
        id: enId,
        headline: englishArticle().headline,
        path: EN_PATH,
      });
      const korean = await listCorrections(deps, { language: 'ko', page: 1 });
      assert.deepEqual(
        korean.entries.map((e) => e.article.path),
        Array(10).fill(KO_PATH),
      );
    });

    it('pages by 20 without overlap, also between notes of one instant', async () => {
      for (let i = 0; i < CORRECTIONS_PER_PAGE + 2; i += 1) {
        await addCorrection(deps, {
          articleId: enId,
          kind: 'correction',
          body: `n${i}`,
          accountId,
        });
      }
      const first = await listCorrections(deps, { language: 'en', page: 1 });
      const second = await listCorrections(deps, { language: 'en', page: 2 });
      assert.equal(first.entries.length, CORRECTIONS_PER_PAGE);
      assert.equal(first.hasOlder, true);
      assert.deepEqual(
        second.entries.map((e) => e.body),
        ['n1', 'n0'],
      );
      assert.equal(second.hasOlder, false);
    });

    it('leaves out the notes of an article no longer published', async () => {
      await addCorrection(deps, { articleId: enId, kind: 'correction', body: 'gone', accountId });
      await archiveArticle(deps, 'en', englishArticle().slug);
      assert.deepEqual((await listCorrections(deps, { language: 'en', page: 1 })).entries, []);
      // The record stays: republishing brings the note back.
      assert.equal((await listCorrectionsOf(deps, enId)).length, 1);
    });
  });
}
