import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testDeps } from '../db/db-test.js';
import { projectRoot } from '../lib/project-root.js';
import { ArticleFileError } from './article-file-error.js';
import { MAX_ARTICLE_FILE_BYTES } from './article-file-io.js';
import { listAuthor, listHome, listTag } from './articles.listing.js';
import * as q from './articles.queries.js';
import { findArticleAt } from './articles.service.js';
import {
  collectArticleFiles,
  exportArticles,
  ExportError,
  ImportError,
  importArticleFiles,
  ImportReplaceError,
  loadDemoContentOnce,
} from './articles.transfer.js';

const DEMO = path.join(projectRoot(), 'demo', 'articles');
const FIXTURE = path.join(projectRoot(), 'test', 'fixtures', 'north-denies.md');

async function wipe(handle: DatabaseHandle): Promise<void> {
  await sql`truncate articles, article_bylines, article_tags, article_redirects, sections, people, tags, site_meta restart identity cascade`.execute(
    handle.db,
  );
}

const FIXTURE_PATH =
  '/2023/01/29/national/north-denies-sending-arms-to-russia-slams-u-s-for-groundless-rumors';

/** The one problem an import refused with, after checking that it wrote nothing. */
async function refusal(handle: DatabaseHandle, files: string[]): Promise<ArticleFileError> {
  const before = await q.countArticles(handle.db);
  let problem: ArticleFileError | undefined;
  await assert.rejects(importArticleFiles(testDeps(handle), files), (error) => {
    assert.ok(error instanceof ImportError, String(error));
    assert.equal(error.problems.length, 1);
    problem = error.problems[0];
    return true;
  });
  assert.equal(await q.countArticles(handle.db), before, 'nothing was written');
  assert.ok(problem);
  return problem;
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
      const { translation } = found.article;
      pages.set(summary.path, {
        ...found.article,
        id: undefined,
        translation: translation && { ...translation, id: undefined },
      });
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

    // The timeout only turns the hang this guards against into a failure; a pass takes no time.
    it(
      'refuses a file that is not a regular file (a FIFO) at once instead of waiting on it',
      {
        timeout: 30_000,
      },
      async () => {
        await wipe(handle);
        const fifo = path.join(folder, 'waiting.md');
        execFileSync('mkfifo', [fifo]);
        try {
          const problem = await refusal(handle, [FIXTURE, fifo]);
          assert.equal(problem.file, fifo);
          assert.equal(problem.field, 'file');
        } finally {
          fs.rmSync(fifo);
        }
      },
    );

    it('walks a folder whose name ends in .md instead of reading it as a file', async () => {
      await wipe(handle);
      const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-tree-'));
      try {
        fs.mkdirSync(path.join(tree, 'january.md'));
        fs.copyFileSync(FIXTURE, path.join(tree, 'january.md', 'north.md'));
        const files = await collectArticleFiles([tree]);
        assert.deepEqual(files, [path.join(tree, 'january.md', 'north.md')]);
        await importArticleFiles(testDeps(handle), files);
        assert.equal(await q.countArticles(handle.db), 1);
      } finally {
        fs.rmSync(tree, { recursive: true, force: true });
      }
    });

    it('refuses a file that is not UTF-8 at its line, instead of replacing the bytes', async () => {
      await wipe(handle);
      const latin1 = path.join(folder, 'latin1.md');
      const text = fs.readFileSync(FIXTURE, 'utf8').replace('Russia]', 'Russia, Caf\u00e9]');
      fs.writeFileSync(latin1, Buffer.from(text, 'latin1'));
      const problem = await refusal(handle, [latin1]);
      assert.deepEqual([problem.file, problem.line, problem.field], [latin1, 9, 'file']);
    });

    it('refuses a file larger than the cap, naming it, without reading it into an article', async () => {
      await wipe(handle);
      const large = path.join(folder, 'large.md');
      const text = fs.readFileSync(FIXTURE, 'utf8');
      const padding = 'A long paragraph. '.repeat(MAX_ARTICLE_FILE_BYTES / 18 + 1);
      fs.writeFileSync(large, `${text}\n${padding}\n`);
      assert.ok(fs.statSync(large).size > MAX_ARTICLE_FILE_BYTES);
      const problem = await refusal(handle, [large]);
      assert.deepEqual([problem.file, problem.field], [large, 'file']);
    });

    it('refuses to replace an article already there without --replace, saying what would change', async () => {
      await wipe(handle);
      await importArticleFiles(testDeps(handle), [FIXTURE]);
      const moved = path.join(folder, 'moved.md');
      fs.writeFileSync(
        moved,
        fs
          .readFileSync(FIXTURE, 'utf8')
          .replace('2023-01-29T17:25', '2023-01-30T09:00')
          .replace(
            'language: en',
            'language: en\nslug: north-denies-sending-arms-to-russia-slams-u-s-for-groundless-rumors',
          )
          .replace('title: "North denies', 'title: "North again denies'),
      );
      await assert.rejects(importArticleFiles(testDeps(handle), [moved]), (error) => {
        assert.ok(error instanceof ImportReplaceError, String(error));
        const [change] = error.changes;
        assert.equal(change?.file, moved);
        assert.deepEqual(change.before.path, FIXTURE_PATH);
        assert.equal(change.after.path, FIXTURE_PATH.replace('/01/29/', '/01/30/'));
        assert.match(change.after.headline, /^North again denies/);
        return true;
      });
      assert.equal((await findArticleAt(testDeps(handle), FIXTURE_PATH)).kind, 'article');

      const [replaced] = await importArticleFiles(testDeps(handle), [moved], { replace: true });
      assert.equal(replaced?.outcome, 'replaced');
      assert.deepEqual(await findArticleAt(testDeps(handle), FIXTURE_PATH), {
        kind: 'moved',
        path: FIXTURE_PATH.replace('/01/29/', '/01/30/'),
      });
    });

    it('refuses to overwrite an earlier export without force, writing nothing', async () => {
      await wipe(handle);
      await importArticleFiles(testDeps(handle), await collectArticleFiles([DEMO]));
      const target = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-again-'));
      try {
        fs.mkdirSync(path.join(target, 'en'));
        const kept = path.join(target, 'en', 'seoul-extends-night-bus-routes.md');
        fs.writeFileSync(kept, 'a file someone kept\n');
        await assert.rejects(exportArticles(testDeps(handle), target), (error) => {
          assert.ok(error instanceof ExportError);
          assert.deepEqual(error.problems.length, 1);
          assert.match(error.problems[0] ?? '', /seoul-extends-night-bus-routes\.md/);
          return true;
        });
        assert.equal(fs.readFileSync(kept, 'utf8'), 'a file someone kept\n');
        assert.deepEqual(fs.readdirSync(path.join(target, 'en')), [path.basename(kept)]);
        assert.equal(fs.existsSync(path.join(target, 'ko')), false);

        const written = await exportArticles(testDeps(handle), target, { force: true });
        assert.ok(written.includes(kept));
        assert.match(fs.readFileSync(kept, 'utf8'), /^title: "?Seoul adds/m);
      } finally {
        fs.rmSync(target, { recursive: true, force: true });
      }
    });

    it('never writes through a symbolic link, even with force', async () => {
      await wipe(handle);
      await importArticleFiles(testDeps(handle), [FIXTURE]);
      const target = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-links-'));
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-outside-'));
      try {
        fs.symlinkSync(outside, path.join(target, 'en'));
        await assert.rejects(
          exportArticles(testDeps(handle), target, { force: true }),
          (error) => error instanceof ExportError && /symbolic link/.test(error.problems[0] ?? ''),
        );
        fs.rmSync(path.join(target, 'en'));
        fs.mkdirSync(path.join(target, 'en'));
        const file = path.join(target, 'en', `${path.basename(FIXTURE_PATH)}.md`);
        fs.symlinkSync(path.join(outside, 'victim.md'), file);
        await assert.rejects(
          exportArticles(testDeps(handle), target, { force: true }),
          (error) => error instanceof ExportError && /symbolic link/.test(error.problems[0] ?? ''),
        );
        assert.deepEqual(fs.readdirSync(outside), []);
      } finally {
        fs.rmSync(target, { recursive: true, force: true });
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });

    it('links the demo’s people across editions by e-mail, and its tags to their translations', async () => {
      await wipe(handle);
      await loadDemoContentOnce(testDeps(handle));
      const deps = testDeps(handle);
      assert.equal((await listAuthor(deps, 'en', 'sarah-kim'))?.otherEdition, '김사라');
      assert.equal((await listAuthor(deps, 'ko', '김사라'))?.otherEdition, 'sarah-kim');
      assert.equal((await listAuthor(deps, 'en', 'jung-ha-eun'))?.otherEdition, '정하은');
      assert.equal((await listAuthor(deps, 'en', 'choi-dong-hyun'))?.otherEdition, undefined);
      assert.equal((await listTag(deps, 'en', 'seoul'))?.otherEdition, '서울');
      assert.equal((await listTag(deps, 'ko', '지하철'))?.otherEdition, undefined);
    });

    it('gives every Korean demo article Korean metadata: credit line, section, tags and bylines', async () => {
      await wipe(handle);
      await loadDemoContentOnce(testDeps(handle));
      const korean = (await listHome(testDeps(handle), 'ko')).latest;
      assert.ok(korean.length >= 4);
      for (const summary of korean) {
        const found = await findArticleAt(testDeps(handle), summary.path);
        assert.equal(found.kind, 'article');
        const { article } = found;
        const visible = [
          article.creditLine ?? '',
          article.section.name,
          ...article.tags.map((tag) => tag.name),
          ...article.authors.map((author) => author.name),
        ];
        for (const text of visible) {
          // Latin letters where a Korean reader expects Korean: the English edition's text.
          assert.match(text, /\p{Script=Hangul}/u, `${article.slug}: ${JSON.stringify(text)}`);
          assert.doesNotMatch(text, /[A-Za-z]/, `${article.slug}: ${JSON.stringify(text)}`);
        }
      }
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
