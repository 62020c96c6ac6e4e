import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { TestBrowser, testClock, type TestClock } from '../accounts/accounts.testing.js';
import { createSession } from '../accounts/sessions.js';
import { buildApp } from '../app.js';
import type { DatabaseHandle } from '../db/db.js';
import type { RoleColumn } from '../db/db-schema.js';
import { testBackends, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import { isAppError } from '../http/app-error.js';
import { PageCache } from '../http/page-cache.js';
import { textOf } from '../http/routes.testing.js';
import { SITE_PAGE_MAX_CHARACTERS } from './site-page.js';
import { saveSitePage } from './site-pages.service.js';

/**
 * The site's own pages (issue 13, item 18): the privacy policy, terms and About page in both
 * editions, linked from every page; the admin's editor; the favicon.
 */

const PAGES = ['/privacy', '/terms', '/about', '/ko/privacy', '/ko/terms', '/ko/about'];

function mainOf(html: string): string {
  return /<main[\s\S]*?<\/main>/.exec(html)?.[0] ?? '';
}

for (const backend of testBackends()) {
  describe(`the site's own pages on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let app: FastifyInstance;
    let deps: AppDeps;
    let clock: TestClock;
    let accountNumber = 0;
    const cache = new PageCache(true);
    let seeded: { key: string; language: string; body: string }[] = [];

    before(async () => {
      handle = await backend.open();
      clock = testClock(new Date('2026-12-08T10:00:00+09:00'));
      deps = testDeps(handle, { clock: clock.clock, contentChanged: () => cache.clear() });
      app = await buildApp(deps, { cache, mailer: null, providers: [] });
      seeded = await handle.db
        .selectFrom('site_pages')
        .select(['key', 'language', 'body'])
        .execute();
    });
    after(async () => {
      await app.close();
      await handle.close();
    });
    // Each test starts from the migration's texts.
    afterEach(async () => {
      for (const row of seeded)
        await handle.db
          .updateTable('site_pages')
          .set({ body: row.body, updated_by: null })
          .where('key', '=', row.key as 'privacy')
          .where('language', '=', row.language as 'en')
          .execute();
      cache.clear();
    });

    async function browserAs(role: RoleColumn, kind: 'reader' | 'staff') {
      accountNumber += 1;
      const account = await handle.db
        .insertInto('accounts')
        .values({
          display_name: `운영자 ${String(accountNumber)}`,
          role,
          staff_email: kind === 'staff' ? `pages${String(accountNumber)}@example.com` : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { token } = await createSession(deps, {
        accountId: account.id,
        kind,
        method: kind === 'staff' ? 'password+totp' : 'email',
        userAgent: 'site-pages.test',
        ip: '203.0.113.10',
      });
      const browser = new TestBrowser(app);
      browser.cookies.set('byline_session', token);
      await browser.get('/login');
      return { browser, id: account.id };
    }

    const rows = () =>
      handle.db
        .selectFrom('site_pages')
        .select(['key', 'language', 'body', 'updated_by'])
        .orderBy('key')
        .orderBy('language')
        .execute();

    it('serves the privacy policy, terms and About page in both editions, linked from every page', async () => {
      const visitor = new TestBrowser(app);
      for (const path of PAGES) {
        const page = await visitor.get(path);
        assert.equal(page.statusCode, 200, path);
        assert.match(page.body, path.startsWith('/ko') ? /<html lang="ko"/ : /<html lang="en"/);
        // The switch leads to the same page in the other edition.
        const other = path.startsWith('/ko') ? path.slice(3) : `/ko${path}`;
        assert.ok(page.body.includes(`hreflang="${other.startsWith('/ko') ? 'ko' : 'en'}"`));
        assert.ok(page.body.includes(`href="${other}"`), `${path} switches to ${other}`);
      }
      for (const [home, prefix] of [
        ['/', ''],
        ['/ko', '/ko'],
        ['/policy', ''],
        ['/ko/login', '/ko'],
      ] as const) {
        const page = await visitor.get(home);
        const footer = /<footer[\s\S]*?<\/footer>/.exec(page.body)?.[0] ?? '';
        for (const key of ['privacy', 'terms', 'about'])
          assert.ok(footer.includes(`href="${prefix}/${key}"`), `${home} links ${prefix}/${key}`);
      }
    });

    it('says in the privacy policy what is kept, why, how long, and where to download or delete it', async () => {
      const visitor = new TestBrowser(app);
      const english = mainOf((await visitor.get('/privacy')).body);
      for (const words of [
        /e-mail address/,
        /IP address/,
        /browser name/,
        /comments/,
        /agreements and disagreements/,
        /reports/,
        /30 days/,
        /download/,
        /delete your account/,
      ])
        assert.match(textOf(english), words);
      assert.ok(english.includes('href="/account"'), 'links the account page');
      assert.doesNotMatch(textOf(english), /\p{Script=Hangul}/u);
      const korean = mainOf((await visitor.get('/ko/privacy')).body);
      for (const words of [
        /이메일 주소/,
        /IP 주소/,
        /브라우저 이름/,
        /공감·비공감/,
        /신고/,
        /30일/,
      ])
        assert.match(textOf(korean), words);
      assert.ok(korean.includes('href="/ko/account"'), 'links the Korean account page');
    });

    it('shows an admin’s saved texts at once in both editions, though the pages were cached', async () => {
      const visitor = new TestBrowser(app);
      assert.match((await visitor.get('/terms')).body, /These terms apply/);
      assert.match((await visitor.get('/ko/terms')).body, /이 약관은/);
      const admin = await browserAs('admin', 'staff');
      const saved = await admin.browser.post('/ko/admin/pages/terms', {
        bodyEn: 'New **terms** for [everyone](https://example.com/terms).',
        bodyKo: '새 **약관**입니다.',
      });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/ko/admin/pages?saved=1');
      const english = (await visitor.get('/terms')).body;
      assert.match(
        english,
        /New <strong>terms<\/strong> for <a href="https:\/\/example.com\/terms">/,
      );
      assert.doesNotMatch(english, /These terms apply/);
      assert.match((await visitor.get('/ko/terms')).body, /새 <strong>약관<\/strong>입니다/);
      assert.match(textOf((await visitor.get('/ko/terms')).body), /최종 수정 2026/);
      const terms = (await rows()).filter((r) => r.key === 'terms');
      assert.deepEqual(
        terms.map((r) => r.updated_by),
        [admin.id, admin.id],
      );
    });

    it('shows raw HTML in a page’s Markdown as text, never as markup', async () => {
      const admin = await browserAs('admin', 'staff');
      const payload = '<script>alert(1)</script> <img src=x onerror=alert(2)>';
      const saved = await admin.browser.post('/admin/pages/about', {
        bodyEn: payload,
        bodyKo: payload,
      });
      assert.equal(saved.statusCode, 303);
      const page = mainOf((await new TestBrowser(app).get('/about')).body);
      assert.ok(!page.includes('<script>alert'));
      assert.ok(!page.includes('<img src=x'));
      assert.ok(page.includes('&lt;script>alert(1)&lt;/script>'));
    });

    const refusals: [string, Record<string, string>, 'en' | 'ko'][] = [
      ['an empty English text', { bodyEn: '  \n ', bodyKo: '내용' }, 'en'],
      [
        'a Korean text one character too long',
        { bodyEn: 'Fine.', bodyKo: '가'.repeat(SITE_PAGE_MAX_CHARACTERS + 1) },
        'ko',
      ],
      ['a javascript: link', { bodyEn: 'Fine.', bodyKo: '[누르기](javascript:alert(1))' }, 'ko'],
      ['a relative link', { bodyEn: 'See [your account](/account).', bodyKo: '좋음' }, 'en'],
      ['a code block', { bodyEn: '```\ncode\n```', bodyKo: '좋음' }, 'en'],
      ['a control character', { bodyEn: 'Bell\u0007', bodyKo: '좋음' }, 'en'],
    ];
    for (const [name, form, wrong] of refusals)
      it(`refuses ${name} with 422, both texts kept as typed, and saves nothing`, async () => {
        const admin = await browserAs('admin', 'staff');
        const before = await rows();
        const response = await admin.browser.post('/admin/pages/privacy', form);
        assert.equal(response.statusCode, 422);
        assert.deepEqual(await rows(), before);
        // The error sits beside the text that is wrong, and only that one.
        assert.match(response.body, new RegExp(`id="site-page-${wrong}-error"`));
        const right = wrong === 'en' ? 'ko' : 'en';
        assert.doesNotMatch(response.body, new RegExp(`id="site-page-${right}-error"`));
        const kept = (form.bodyKo ?? '').slice(0, 200);
        assert.ok(response.body.includes(kept), 'the Korean text comes back');
      });

    it('refuses an invalid text in the service with SITE_PAGE_INVALID and writes neither text', async () => {
      const before = await rows();
      await assert.rejects(
        saveSitePage(deps, {
          key: 'about',
          adminId: '1',
          texts: { en: 'Fine.', ko: 'x'.repeat(SITE_PAGE_MAX_CHARACTERS + 1) },
        }),
        (error) => isAppError(error) && error.code === 'SITE_PAGE_INVALID',
      );
      assert.deepEqual(await rows(), before);
    });

    it('answers 404 for a page key that is not one of the three', async () => {
      const admin = await browserAs('admin', 'staff');
      assert.equal((await admin.browser.get('/admin/pages/nope')).statusCode, 404);
      const post = await admin.browser.post('/admin/pages/nope', { bodyEn: 'x', bodyKo: 'y' });
      assert.equal(post.statusCode, 404);
      assert.equal((await new TestBrowser(app).get('/contact')).statusCode, 404);
    });

    it('lets only an admin open the editor', async () => {
      const json = { accept: 'application/json' };
      for (const [role, kind] of [
        ['reader', 'reader'],
        ['editor', 'staff'],
        ['admin', 'reader'],
      ] as const) {
        const { browser } = await browserAs(role, kind);
        const page = await browser.get('/admin/pages/privacy', json);
        assert.equal(page.statusCode, 403, `${role} on a ${kind} session`);
        assert.match(page.body, /"code":"FORBIDDEN"/);
      }
      const admin = await browserAs('admin', 'staff');
      const editor = await admin.browser.get('/ko/admin/pages/privacy');
      assert.equal(editor.statusCode, 200);
      assert.match(editor.body, /이 방침은/);
      assert.match(editor.body, /This policy says/);
      const list = await admin.browser.get('/admin/pages');
      for (const key of ['privacy', 'terms', 'about'])
        assert.ok(list.body.includes(`href="/admin/pages/${key}"`));
    });

    it('serves a favicon, as SVG named by its hash and as /favicon.ico, for long', async () => {
      const visitor = new TestBrowser(app);
      const home = await visitor.get('/');
      const svgPath = /<link rel="icon" href="([^"]+\.svg)"/.exec(home.body)?.[1];
      assert.ok(svgPath, 'the page names its SVG icon');
      const svg = await visitor.get(svgPath);
      assert.equal(svg.statusCode, 200);
      assert.match(String(svg.headers['content-type']), /^image\/svg\+xml/);
      assert.match(String(svg.headers['cache-control']), /max-age=31536000, immutable/);
      const ico = await visitor.get('/favicon.ico');
      assert.equal(ico.statusCode, 200);
      assert.equal(ico.headers['content-type'], 'image/x-icon');
      assert.deepEqual([...ico.rawPayload.subarray(0, 4)], [0, 0, 1, 0]);
      const maxAge = Number(/max-age=(\d+)/.exec(String(ico.headers['cache-control']))?.[1]);
      assert.ok(maxAge >= 7 * 86_400, `cached for ${String(maxAge)} s`);
    });
  });
}
