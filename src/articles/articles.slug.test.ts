import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../app.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import { PageCache } from '../http/page-cache.js';
import { englishArticle, koreanArticle } from './articles.fixtures.js';
import { changeArticleSlug, findArticleIdAt, saveArticles } from './articles.service.js';

/** Slugs changed after publishing: every address an article had answers 301 to its newest. */

const EN = '/2023/01/29/national/';
const KO = '/ko/2023/01/29/national/';

function refusedWith(code: string) {
  return (error: unknown) => error instanceof AppError && error.code === code;
}

for (const backend of testBackends()) {
  describe(`addresses after a change of slug on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let app: FastifyInstance;
    let deps: AppDeps;
    const cache = new PageCache(true);

    before(async () => {
      handle = await backend.open();
      deps = testDeps(handle, { contentChanged: (change) => cache.apply(change) });
      app = await buildApp(deps, { cache });
    });
    after(async () => {
      await app.close();
      await handle.close();
    });
    beforeEach(async () => {
      await sql`truncate articles, article_bylines, article_tags, article_redirects, sections, people, tags restart identity cascade`.execute(
        handle.db,
      );
      cache.clear();
      await saveArticles(deps, [
        englishArticle({ translation: koreanArticle().slug }),
        koreanArticle(),
      ]);
    });

    /** Where an address sends the reader: its status, and the Location as a path. */
    async function answer(path: string): Promise<[number, string | undefined]> {
      const res = await app.inject({ url: encodeURI(path) });
      const location = res.headers.location;
      return [res.statusCode, typeof location === 'string' ? decodeURI(location) : undefined];
    }

    async function idAt(path: string): Promise<string> {
      const id = await findArticleIdAt(deps, path);
      assert.ok(id, `an article at ${path}`);
      return id;
    }

    for (const { edition, prefix, slugs } of [
      {
        edition: 'English',
        prefix: EN,
        slugs: ['north-denies-sending-arms', 'north-denies-arms-deal', 'north-rejects-arms-claims'],
      },
      {
        edition: 'Korean',
        prefix: KO,
        slugs: ['북한-러시아-무기-공급-부인', '북한-무기-공급-부인', '북한-무기-거래설-일축'],
      },
    ] as const) {
      it(`answers 301 to the newest address from both old ones after two renames (${edition})`, async () => {
        const [first, second, third] = slugs;
        const id = await idAt(`${prefix}${first}`);
        // Kept in the cache before the renames: the kept page must not outlive its address.
        assert.equal((await answer(`${prefix}${first}`))[0], 200);
        await changeArticleSlug(deps, { articleId: id, slug: second });
        const renamed = await changeArticleSlug(deps, { articleId: id, slug: third });
        assert.deepEqual(renamed, { slug: third, path: `${prefix}${third}` });
        assert.deepEqual(await answer(`${prefix}${first}`), [301, `${prefix}${third}`]);
        assert.deepEqual(await answer(`${prefix}${second}`), [301, `${prefix}${third}`]);
        assert.deepEqual(await answer(`${prefix}${third}`), [200, undefined]);
      });
    }

    it('makes an old address live again when the article takes its slug back', async () => {
      const id = await idAt(`${EN}north-denies-sending-arms`);
      await changeArticleSlug(deps, { articleId: id, slug: 'north-denies-arms-deal' });
      await changeArticleSlug(deps, { articleId: id, slug: 'north-denies-sending-arms' });
      assert.deepEqual(await answer(`${EN}north-denies-sending-arms`), [200, undefined]);
      assert.deepEqual(await answer(`${EN}north-denies-arms-deal`), [
        301,
        `${EN}north-denies-sending-arms`,
      ]);
    });

    it("moves the translation's link to the new address", async () => {
      const id = await idAt(`${EN}north-denies-sending-arms`);
      const koPage = `${KO}${koreanArticle().slug}`;
      assert.equal((await answer(koPage))[0], 200);
      await changeArticleSlug(deps, { articleId: id, slug: 'north-denies-arms-deal' });
      const html = (await app.inject({ url: encodeURI(koPage) })).body;
      assert.match(html, /href="\/2023\/01\/29\/national\/north-denies-arms-deal"/);
    });

    it('answers 301 along a chain of moves made by saving from a file', async () => {
      await saveArticles(deps, [englishArticle({ section: 'World' })]);
      await saveArticles(deps, [englishArticle({ section: 'Politics' })]);
      const newest = '/2023/01/29/politics/north-denies-sending-arms';
      for (const old of [
        `${EN}north-denies-sending-arms`,
        '/2023/01/29/world/north-denies-sending-arms',
      ])
        assert.deepEqual(await answer(old), [301, newest]);
    });

    it('refuses a slug another article of the edition has, or one that is not a slug', async () => {
      const id = await idAt(`${EN}north-denies-sending-arms`);
      await saveArticles(deps, [englishArticle({ slug: 'another-story' })]);
      await assert.rejects(
        changeArticleSlug(deps, { articleId: id, slug: 'another-story' }),
        refusedWith('ARTICLE_SLUG_TAKEN'),
      );
      for (const slug of ['', 'Upper-Case', 'two  spaces', '-dash', 'a/b'])
        await assert.rejects(
          changeArticleSlug(deps, { articleId: id, slug }),
          refusedWith('ARTICLE_INVALID'),
        );
      // The Korean edition may use the English slug: slugs are unique per edition.
      const koId = await idAt(`${KO}${koreanArticle().slug}`);
      const moved = await changeArticleSlug(deps, {
        articleId: koId,
        slug: 'north-denies-sending-arms',
      });
      assert.equal(moved.path, `${KO}north-denies-sending-arms`);
    });

    it('answers NOT_FOUND for an article that does not exist', async () => {
      for (const articleId of ['999999', 'x'])
        await assert.rejects(
          changeArticleSlug(deps, { articleId, slug: 'anything' }),
          refusedWith('NOT_FOUND'),
        );
    });
  });
}
