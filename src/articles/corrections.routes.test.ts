import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../app.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import { PageCache } from '../http/page-cache.js';
import { textOf } from '../http/routes.testing.js';
import { CORRECTIONS_PER_PAGE } from './article-corrections.js';
import { englishArticle, koreanArticle } from './articles.fixtures.js';
import {
  addCorrection,
  archiveArticle,
  findArticleIdAt,
  saveArticles,
} from './articles.service.js';

const ARTICLE = '/2023/01/29/national/north-denies-sending-arms';
const KO_PATH = '/ko/2023/01/29/national/북한-러시아-무기-공급-부인';
const KO_ARTICLE = encodeURI(KO_PATH);
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;

function jsonLd(html: string): Record<string, unknown> {
  const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(match?.[1], 'JSON-LD present');
  return JSON.parse(match[1]) as Record<string, unknown>;
}

/** The boxed notes at the end of an article, as text. */
function notesOf(html: string): string {
  const match = /<aside class="article-corrections"[\s\S]*?<\/aside>/.exec(html);
  assert.ok(match, 'the article has a box of notes');
  return textOf(match[0]).trim();
}

for (const backend of testBackends()) {
  describe(`corrections pages on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let app: FastifyInstance;
    let deps: AppDeps;
    let now: Date;
    let accountId: string;
    let enId: string;
    let koId: string;
    const cache = new PageCache(true);

    before(async () => {
      handle = await backend.open();
      deps = testDeps(handle, {
        clock: () => now,
        contentChanged: (change) => cache.apply(change),
      });
      app = await buildApp(deps, { cache });
      accountId = (
        await handle.db
          .insertInto('accounts')
          .values({ display_name: '편집자', role: 'editor', staff_email: 'desk@example.com' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    });
    after(async () => {
      await app.close();
      await handle.close();
    });
    beforeEach(async () => {
      await sql`truncate articles, article_bylines, article_tags, article_redirects, article_corrections, sections, people, tags restart identity cascade`.execute(
        handle.db,
      );
      cache.clear();
      now = new Date('2026-12-08T09:30:00+09:00');
      await saveArticles(deps, [
        englishArticle({ translation: koreanArticle().slug }),
        koreanArticle(),
      ]);
      enId = (await findArticleIdAt(deps, ARTICLE)) ?? '';
      koId = (await findArticleIdAt(deps, KO_PATH)) ?? '';
    });

    function correct(articleId: string, body: string, kind: 'correction' | 'clarification') {
      return addCorrection(deps, { articleId, kind, body, accountId });
    }

    it('boxes each note, dated, at the end of the article, below the byline', async () => {
      await correct(enId, 'An earlier version misstated the date.', 'correction');
      now = new Date('2026-12-09T10:00:00+09:00');
      await correct(enId, 'The talks were in Seoul.', 'clarification');
      const html = (await app.inject({ url: ARTICLE })).body;
      assert.equal(
        notesOf(html),
        'Correction, 08 Dec. 2026 : An earlier version misstated the date. ' +
          'Clarification, 09 Dec. 2026 : The talks were in Seoul. All corrections',
      );
      assert.ok(html.indexOf('class="byline"') < html.indexOf('class="article-corrections"'));
      assert.match(html, /<a href="\/corrections">All corrections<\/a>/);
      assert.doesNotMatch(notesOf(html), HANGUL);
    });

    it('boxes the notes in Korean on a Korean article', async () => {
      await correct(koId, '기사의 날짜를 바로잡습니다.', 'correction');
      await correct(koId, '회담 장소는 서울이었습니다.', 'clarification');
      const html = (await app.inject({ url: KO_ARTICLE })).body;
      assert.equal(
        notesOf(html),
        '바로잡습니다 (2026.12.08) : 기사의 날짜를 바로잡습니다. ' +
          '알려드립니다 (2026.12.08) : 회담 장소는 서울이었습니다. 정정 보도 모음',
      );
      assert.match(html, /<a href="\/ko\/corrections">정정 보도 모음<\/a>/);
    });

    it('shows no box on an article without notes', async () => {
      const html = (await app.inject({ url: ARTICLE })).body;
      assert.doesNotMatch(html, /article-corrections/);
      assert.equal(jsonLd(html).correction, undefined);
    });

    it('shows Updated in the Korean form on an updated Korean article', async () => {
      await saveArticles(deps, [
        koreanArticle({ updatedAt: new Date('2023-01-30T09:05:00+09:00') }),
      ]);
      const text = textOf((await app.inject({ url: KO_ARTICLE })).body);
      assert.match(text, /입력: 2023\.01\.29 18:00 수정: 2023\.01\.30 09:05/);
    });

    it('lists the notes in the JSON-LD, and dates the last change by the newest', async () => {
      await correct(enId, 'An earlier version misstated the date.', 'correction');
      const ld = jsonLd((await app.inject({ url: ARTICLE })).body);
      assert.deepEqual(ld.correction, [
        {
          '@type': 'CorrectionComment',
          text: 'An earlier version misstated the date.',
          datePublished: '2026-12-08T00:30:00.000Z',
        },
      ]);
      assert.equal(ld.datePublished, '2023-01-29T08:25:00.000Z');
      assert.equal(ld.dateModified, '2026-12-08T00:30:00.000Z');
    });

    it('shows a new note on an article page that was kept in the cache', async () => {
      assert.equal((await app.inject({ url: ARTICLE })).statusCode, 200);
      assert.ok(cache.get(ARTICLE), 'the page is kept');
      await correct(enId, 'An earlier version misstated the date.', 'correction');
      const html = (await app.inject({ url: ARTICLE })).body;
      assert.match(notesOf(html), /An earlier version misstated the date\./);
    });

    it("lists each edition's notes on its own corrections page, newest first", async () => {
      await correct(enId, 'An earlier version misstated the date.', 'correction');
      now = new Date('2026-12-09T10:00:00+09:00');
      await correct(koId, '회담 장소는 서울이었습니다.', 'clarification');
      await correct(enId, 'The talks were in Seoul.', 'clarification');

      const en = await app.inject({ url: '/corrections' });
      assert.equal(en.statusCode, 200);
      const enText = textOf(en.body);
      assert.match(
        enText,
        /09 Dec\. 2026 · Clarification North denies .* The talks were in Seoul\. 08 Dec\. 2026 · Correction North denies .* An earlier version misstated the date\./,
      );
      assert.match(en.body, /<a href="\/2023\/01\/29\/national\/north-denies-sending-arms">/);
      assert.doesNotMatch(enText, /회담/);
      assert.match(en.body, /<link rel="canonical" href="http:\/\/localhost:3000\/corrections"\/>/);

      const ko = await app.inject({ url: '/ko/corrections' });
      const koText = textOf(ko.body);
      assert.match(
        koText,
        /2026\.12\.09 · 알려드립니다 북한, 러시아 .* 회담 장소는 서울이었습니다\./,
      );
      assert.doesNotMatch(koText, /The talks|misstated/);
      assert.match(ko.body, /<h1>바로잡습니다·알려드립니다<\/h1>/);
    });

    it('says so when an edition has no notes yet, and links the page from every footer', async () => {
      const en = await app.inject({ url: '/corrections' });
      assert.equal(en.statusCode, 200);
      assert.match(textOf(en.body), /No corrections yet\./);
      const ko = await app.inject({ url: '/ko/corrections' });
      assert.match(textOf(ko.body), /아직 정정 보도가 없습니다\./);
      assert.match(
        (await app.inject({ url: '/' })).body,
        /<a href="\/corrections">Corrections<\/a>/,
      );
      assert.match(
        (await app.inject({ url: KO_ARTICLE })).body,
        /<a href="\/ko\/corrections">정정 보도<\/a>/,
      );
    });

    it('pages by 20 with ?page=, each page kept and answered as itself', async () => {
      for (let i = 0; i < CORRECTIONS_PER_PAGE + 1; i += 1) {
        now = new Date(now.getTime() + 60_000);
        await correct(enId, `Note number ${i}.`, 'correction');
      }
      const first = await app.inject({ url: '/corrections' });
      assert.equal((first.body.match(/<li id="correction-/g) ?? []).length, CORRECTIONS_PER_PAGE);
      assert.match(first.body, /<a href="\/corrections\?page=2" rel="next">Older<\/a>/);
      assert.doesNotMatch(first.body, /rel="prev"/);
      // Asked twice: the second answer comes from the cache, which must not give page 1.
      for (let round = 0; round < 2; round += 1) {
        const second = await app.inject({ url: '/corrections?page=2' });
        assert.equal(second.statusCode, 200);
        assert.match(textOf(second.body), /Note number 0\./);
        assert.doesNotMatch(textOf(second.body), /Note number 20\./);
        assert.match(second.body, /<a href="\/corrections" rel="prev">Newer<\/a>/);
      }
      assert.equal((await app.inject({ url: '/corrections?page=3' })).statusCode, 404);
      assert.equal((await app.inject({ url: '/corrections?page=x' })).statusCode, 400);
    });

    it('drops the kept corrections page when a note is added or its article withdrawn', async () => {
      await app.inject({ url: '/corrections' });
      assert.ok(cache.get('/corrections'));
      await correct(enId, 'An earlier version misstated the date.', 'correction');
      assert.match(textOf((await app.inject({ url: '/corrections' })).body), /misstated/);
      await archiveArticle(deps, 'en', englishArticle().slug);
      assert.doesNotMatch(textOf((await app.inject({ url: '/corrections' })).body), /misstated/);
    });
  });
}
