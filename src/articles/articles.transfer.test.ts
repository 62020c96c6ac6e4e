import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testDeps } from '../db/db-test.js';
import { projectRoot } from '../lib/project-root.js';
import { listHome } from './articles.listing.js';
import * as q from './articles.queries.js';
import { findArticleAt } from './articles.service.js';
import {
  collectArticleFiles,
  exportArticles,
  ImportError,
  importArticleFiles,
  loadDemoContentOnce,
} from './articles.transfer.js';

const DEMO = path.join(projectRoot(), 'demo', 'articles');
const FIXTURE = path.join(projectRoot(), 'test', 'fixtures', 'north-denies.md');

async function wipe(handle: DatabaseHandle): Promise<void> {
  await sql`truncate articles, article_bylines, article_tags, article_redirects, sections, people, tags, site_meta restart identity cascade`.execute(
    handle.db,
  );
}

/** Every article as readers see it, keyed by address, without database ids. */
async function snapshot(handle: DatabaseHandle): Promise<Map<string, unknown>> {
  const deps = testDeps(handle);
  const pages = new Map<string, unknown>();
  for (const language of ['en', 'ko'] as const) {
    for (const summary of (await listHome(deps, language)).latest) {
      const found = await findArticleAt(deps, summary.path);
      assert.equal(found.kind, 'article');
      // Ids differ between two databases; everything a reader sees must not.
      pages.set(summary.path, { ...found.article, id: undefined });
    }
  }
  return pages;
}

for (const backend of testBackends()) {
  describe(`article files on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let second: DatabaseHandle;
    let folder: string;
    before(async () => {
      [handle, second] = await Promise.all([backend.open(), backend.open()]);
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-export-'));
    });
    after(async () => {
      await Promise.all([handle.close(), second.close()]);
      fs.rmSync(folder, { recursive: true, force: true });
    });

    it('exports articles that import into an empty database as the same articles', async () => {
      await wipe(handle);
      await wipe(second);
      const files = await collectArticleFiles([DEMO, FIXTURE]);
      await importArticleFiles(testDeps(handle), files);
      const written = await exportArticles(testDeps(handle), folder);
      assert.equal(written.length, files.length);
      await importArticleFiles(testDeps(second), await collectArticleFiles([folder]));
      const original = await snapshot(handle);
      assert.equal(original.size, files.length);
      assert.deepEqual(await snapshot(second), original);
    });

    it('imports the same files twice without change', async () => {
      await wipe(handle);
      const files = await collectArticleFiles([DEMO]);
      const first = await importArticleFiles(testDeps(handle), files);
      const again = await importArticleFiles(testDeps(handle), files);
      assert.ok(first.every((r) => r.created));
      assert.ok(again.every((r) => !r.created));
      assert.equal(await q.countArticles(handle.db), files.length);
    });

    it('saves nothing from a run with one bad file, and names file, line and field', async () => {
      await wipe(handle);
      const bad = path.join(folder, 'bad.md');
      fs.writeFileSync(
        bad,
        fs.readFileSync(FIXTURE, 'utf8').replace('2023-01-29T17:25:00+09:00', '2023-01-29 17:25'),
      );
      await assert.rejects(importArticleFiles(testDeps(handle), [FIXTURE, bad]), (error) => {
        assert.ok(error instanceof ImportError);
        assert.equal(error.problems.length, 1);
        assert.equal(error.problems[0]?.file, bad);
        assert.equal(error.problems[0].field, 'published');
        assert.equal(error.problems[0].line, 3);
        return true;
      });
      assert.equal(await q.countArticles(handle.db), 0);
    });

    it('loads the demo content into an empty database once, and never over content', async () => {
      await wipe(handle);
      const loaded = await loadDemoContentOnce(testDeps(handle));
      assert.ok(loaded.length >= 6);
      assert.deepEqual(await loadDemoContentOnce(testDeps(handle)), []);
      const nav = await handle.db
        .selectFrom('sections')
        .select(['slug', 'name_ko'])
        .orderBy('slug')
        .execute();
      assert.ok(nav.some((s) => s.slug === 'national' && s.name_ko === '사회'));
      // A database that already has articles gets no demo, even if it never had one.
      await wipe(handle);
      await importArticleFiles(testDeps(handle), [FIXTURE]);
      assert.deepEqual(await loadDemoContentOnce(testDeps(handle)), []);
      assert.equal(await q.countArticles(handle.db), 1);
    });
  });
}
