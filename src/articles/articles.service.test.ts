import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testDeps } from '../db/db-test.js';
import { AppError } from '../http/app-error.js';
import { englishArticle, koreanArticle } from './articles.fixtures.js';
import { countArticles } from './articles.queries.js';
import { listAuthor, listHome, listSection, listTag } from './articles.listing.js';
import type { ArticleInput } from './article.js';
import {
  archiveArticle,
  findArticleAt,
  saveArticles,
  type ArticleDeps,
  type SaveResult,
} from './articles.service.js';

/** Saves one article and returns its result. */
async function saveOne(deps: ArticleDeps, inputs: ArticleInput[]): Promise<SaveResult> {
  const [result] = await saveArticles(deps, inputs);
  assert.ok(result);
  return result;
}

for (const backend of testBackends()) {
  describe(`articles storage on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    before(async () => {
      handle = await backend.open();
    });
    after(async () => {
      await handle.close();
    });
    beforeEach(async () => {
      await sql`truncate articles, article_bylines, article_tags, article_redirects, sections, people, tags restart identity cascade`.execute(
        handle.db,
      );
    });

    it('saves an article at its dated, sectioned address in the newsroom time zone', async () => {
      const result = await saveOne(testDeps(handle), [englishArticle()]);
      assert.equal(result.path, '/2023/01/29/national/north-denies-sending-arms');
      const found = await findArticleAt(
        testDeps(handle),
        '/2023/01/29/national/north-denies-sending-arms',
      );
      assert.equal(found.kind, 'article');
      assert.equal(found.article.headline, englishArticle().headline);
      assert.deepEqual(found.article.authors, [
        { slug: 'sarah-kim', name: 'Sarah Kim', email: 'kim.sarah@joongang.co.kr' },
      ]);
      assert.deepEqual(
        found.article.tags.map((t) => t.slug),
        ['north-korea', 'russia'],
      );
      assert.equal(found.article.creditLine, 'with the Korea JoongAng Daily');
      assert.deepEqual(found.article.body, englishArticle().body);
      assert.equal(found.article.publishedAt.getTime(), englishArticle().publishedAt.getTime());
    });

    it('dates the address by the newsroom day, not the UTC one', async () => {
      // 07:30 in Seoul on 30 January is still 29 January in UTC.
      const result = await saveOne(testDeps(handle), [
        englishArticle({ publishedAt: new Date('2023-01-30T07:30:00+09:00') }),
      ]);
      assert.equal(result.path, '/2023/01/30/national/north-denies-sending-arms');
    });

    it('keeps Hangul in Korean addresses, under the Korean edition', async () => {
      const result = await saveOne(testDeps(handle), [koreanArticle()]);
      assert.equal(result.path, '/ko/2023/01/29/national/북한-러시아-무기-공급-부인');
      const found = await findArticleAt(testDeps(handle), result.path);
      assert.equal(found.kind, 'article');
    });

    it('saves the same input twice without a second article', async () => {
      const deps = testDeps(handle);
      const first = await saveOne(deps, [englishArticle()]);
      const second = await saveOne(deps, [englishArticle({ headline: 'A corrected headline' })]);
      assert.equal(first.created, true);
      assert.equal(second.created, false);
      const row = await handle.db
        .selectFrom('articles')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(row.n, '1');
      const found = await findArticleAt(deps, second.path);
      assert.equal(found.kind === 'article' && found.article.headline, 'A corrected headline');
    });

    it('answers the old address with the new one when the section changes', async () => {
      const deps = testDeps(handle);
      const before = await saveOne(deps, [englishArticle()]);
      const moved = await saveOne(deps, [englishArticle({ section: 'Politics' })]);
      assert.notEqual(before.path, moved.path);
      assert.deepEqual(await findArticleAt(deps, before.path), {
        kind: 'moved',
        path: moved.path,
      });
      // Moving back makes the first address live again, not a redirect to itself.
      await saveArticles(deps, [englishArticle()]);
      assert.equal((await findArticleAt(deps, before.path)).kind, 'article');
      assert.deepEqual(await findArticleAt(deps, moved.path), {
        kind: 'moved',
        path: before.path,
      });
    });

    it('saves a batch all or nothing', async () => {
      const deps = testDeps(handle);
      const broken = englishArticle({ slug: 'second', authors: [{ name: '!!!' }] });
      await assert.rejects(
        saveArticles(deps, [englishArticle(), broken]),
        (error) => error instanceof AppError && error.code === 'ARTICLE_INVALID',
      );
      assert.equal(
        (await findArticleAt(deps, '/2023/01/29/national/north-denies-sending-arms')).kind,
        'missing',
      );
    });

    it('refuses an article dated in a year no address can carry, saving nothing', async () => {
      const deps = testDeps(handle);
      for (const publishedAt of [
        new Date('0001-01-29T17:25:00Z'),
        new Date('9999-12-31T23:00:00Z'),
      ]) {
        await assert.rejects(
          saveArticles(deps, [englishArticle({ publishedAt })]),
          (error) => error instanceof AppError && error.code === 'ARTICLE_INVALID',
        );
      }
      assert.equal(await countArticles(handle.db), 0);
    });

    it('refuses a batch naming one article twice', async () => {
      await assert.rejects(
        saveArticles(testDeps(handle), [englishArticle(), englishArticle()]),
        (error) => error instanceof AppError && error.code === 'ARTICLE_BATCH_DUPLICATE',
      );
    });

    it('links translations both ways, whichever is saved first', async () => {
      const deps = testDeps(handle);
      const ko = await saveOne(deps, [koreanArticle({ translation: 'north-denies-sending-arms' })]);
      assert.equal(ko.translationMissing, 'north-denies-sending-arms');
      const en = await saveOne(deps, [englishArticle({ translation: koreanArticle().slug })]);
      const enPage = await findArticleAt(deps, en.path);
      const koPage = await findArticleAt(deps, ko.path);
      assert.equal(enPage.kind === 'article' && enPage.article.translation?.path, ko.path);
      assert.equal(koPage.kind === 'article' && koPage.article.translation?.path, en.path);
    });

    it('answers gone for an archived article and for its old addresses', async () => {
      const deps = testDeps(handle);
      const first = await saveOne(deps, [englishArticle()]);
      const moved = await saveOne(deps, [englishArticle({ section: 'Politics' })]);
      await archiveArticle(deps, 'en', englishArticle().slug);
      assert.deepEqual(await findArticleAt(deps, moved.path), { kind: 'gone' });
      assert.deepEqual(await findArticleAt(deps, first.path), { kind: 'gone' });
    });

    it('lists published articles newest first per edition, section, tag and author', async () => {
      const deps = testDeps(handle);
      await saveArticles(deps, [
        englishArticle(),
        englishArticle({
          slug: 'later',
          headline: 'Later',
          publishedAt: new Date('2023-02-01T09:00:00+09:00'),
          section: 'Business',
          tags: ['Russia'],
        }),
        koreanArticle(),
      ]);
      const home = await listHome(deps, 'en');
      assert.deepEqual(
        home.latest.map((a) => a.headline),
        ['Later', englishArticle().headline],
      );
      assert.deepEqual(
        home.sections.map((s) => s.section.slug),
        ['national', 'business'],
      );
      const koHome = await listHome(deps, 'ko');
      assert.deepEqual(
        koHome.latest.map((a) => a.headline),
        [koreanArticle().headline],
      );
      assert.equal((await listSection(deps, 'en', 'business'))?.articles.length, 1);
      assert.equal(await listSection(deps, 'en', 'no-such-section'), undefined);
      assert.deepEqual(
        (await listTag(deps, 'en', 'russia'))?.articles.map((a) => a.headline),
        ['Later', englishArticle().headline],
      );
      assert.deepEqual(
        (await listTag(deps, 'ko', '북한'))?.articles.map((a) => a.headline),
        [koreanArticle().headline],
      );
      const author = await listAuthor(deps, 'en', 'sarah-kim');
      assert.equal(author?.person.email, 'kim.sarah@joongang.co.kr');
      assert.equal(author.articles.length, 2);
    });
  });
}
