import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../app.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import { PageCache } from '../http/page-cache.js';
import { englishArticle, koreanArticle, paragraphs } from './articles.fixtures.js';
import { archiveArticle, saveArticles } from './articles.service.js';

const ARTICLE = '/2023/01/29/national/north-denies-sending-arms';
const KO_ARTICLE = `/ko/2023/01/29/national/${encodeURIComponent('북한-러시아-무기-공급-부인')}`;

/** Text of the page with tags removed and entities for the characters we use decoded. */
function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** Where the masthead's language switch leads. */
function editionSwitch(html: string): string {
  const match = /<p class="edition-switch"><a href="([^"]*)"/.exec(html);
  assert.ok(match?.[1] !== undefined, 'the page has a language switch');
  return match[1];
}

function jsonLd(html: string): Record<string, unknown> {
  const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(match?.[1], 'JSON-LD present');
  return JSON.parse(match[1]) as Record<string, unknown>;
}

for (const backend of testBackends()) {
  describe(`reader pages on ${backend.name}`, () => {
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

    it('shows every element of the model article page', async () => {
      const res = await app.inject({ url: ARTICLE });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
      const text = textOf(res.body);
      assert.match(
        text,
        /North denies sending arms to Russia, slams U\.S\. for 'groundless rumors'/,
      );
      assert.match(text, /Published: 29 Jan\. 2023, 17:25/);
      assert.doesNotMatch(text, /Updated:/);
      assert.match(text, /First paragraph of original fixture text\./);
      assert.match(text, /BY SARAH KIM \[kim\.sarah@joongang\.co\.kr\]/);
      assert.match(res.body, /href="mailto:kim\.sarah@joongang\.co\.kr"/);
      assert.match(text, /with the Korea JoongAng Daily/);
      assert.match(text, /To write comments, please log in to one of the accounts\./);
      assert.match(res.body, /<a href="\/policy">Standards Board Policy<\/a>/);
      assert.doesNotMatch(text, /\(0\/250/, 'no counter without a text box');
      assert.match(
        res.body,
        /href="\/login\?returnTo=%2F2023%2F01%2F29%2Fnational%2Fnorth-denies-sending-arms"/,
      );
    });

    it('shows Updated in the same form when the article changed after publishing', async () => {
      await saveArticles(deps, [
        englishArticle({
          updatedAt: new Date('2023-01-30T09:05:00+09:00'),
          translation: koreanArticle().slug,
        }),
      ]);
      const text = textOf((await app.inject({ url: ARTICLE })).body);
      assert.match(text, /Published: 29 Jan\. 2023, 17:25 ?Updated: 30 Jan\. 2023, 09:05/);
    });

    it('gives every author a byline', async () => {
      await saveArticles(deps, [
        englishArticle({
          authors: [
            { name: 'Sarah Kim', email: 'kim.sarah@joongang.co.kr' },
            { name: 'Park Ji-hoon' },
          ],
        }),
      ]);
      const text = textOf((await app.inject({ url: ARTICLE })).body);
      assert.match(text, /BY SARAH KIM \[kim\.sarah@joongang\.co\.kr\]/);
      assert.match(text, /BY PARK JI-HOON/);
    });

    it('describes the article for search engines and social cards', async () => {
      const html = (await app.inject({ url: ARTICLE })).body;
      assert.match(
        html,
        /<link rel="canonical" href="http:\/\/localhost:3000\/2023\/01\/29\/national\/north-denies-sending-arms"\/>/,
      );
      assert.match(
        html,
        /<link rel="alternate" hreflang="ko" href="http:\/\/localhost:3000\/ko\/2023\/01\/29\/national\/%EB%B6%81/,
      );
      assert.match(html, /<meta property="og:type" content="article"\/>/);
      assert.match(
        html,
        /<meta property="article:published_time" content="2023-01-29T08:25:00.000Z"\/>/,
      );
      const ld = jsonLd(html);
      assert.equal(ld['@type'], 'NewsArticle');
      assert.equal(ld.headline, englishArticle().headline);
      assert.equal(ld.datePublished, '2023-01-29T08:25:00.000Z');
      assert.equal(ld.articleSection, 'National');
      assert.deepEqual(
        (ld.author as { name: string }[]).map((a) => a.name),
        ['Sarah Kim'],
      );
      assert.equal((ld.publisher as { name: string }).name, 'Byline Daily');
    });

    it('serves the Korean edition in Korean', async () => {
      const res = await app.inject({ url: KO_ARTICLE });
      assert.equal(res.statusCode, 200);
      const text = textOf(res.body);
      assert.match(res.body, /<html lang="ko">/);
      assert.match(text, /입력: 2023\.01\.29 18:00/);
      assert.match(text, /김사라 기자 \[kim\.sarah@joongang\.co\.kr\]/);
      assert.match(text, /댓글을 작성하려면 계정 중 하나로 로그인해 주세요\./);
      assert.doesNotMatch(text, /\(0\/250/, 'no counter without a text box');
    });

    it('escapes what an article says instead of running it', async () => {
      const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>';
      await saveArticles(deps, [
        englishArticle({
          headline: payload,
          summary: `"${payload}`,
          body: paragraphs(payload),
          authors: [{ name: `Eve ${payload}` }],
        }),
      ]);
      const html = (await app.inject({ url: ARTICLE })).body;
      assert.doesNotMatch(html, /<script>alert/);
      assert.doesNotMatch(html, /<img src=x/);
      assert.match(html, /&lt;script>alert\(1\)&lt;\/script>/);
      // JSON-LD holds the headline, but cannot close its element.
      assert.equal(jsonLd(html).headline, payload);
    });

    it('renders a link only to the web or to an e-mail address', async () => {
      const body = {
        type: 'doc' as const,
        version: 1 as const,
        blocks: [
          {
            type: 'paragraph' as const,
            children: [
              {
                type: 'link' as const,
                href: 'javascript:alert(1)',
                children: [{ type: 'text' as const, value: 'click' }],
              },
            ],
          },
        ],
      };
      await saveArticles(deps, [englishArticle({ body })]);
      const html = (await app.inject({ url: ARTICLE })).body;
      assert.doesNotMatch(html, /javascript:/);
      assert.match(html, /click/);
    });

    it('lists the articles on the home page of each edition', async () => {
      const en = await app.inject({ url: '/' });
      assert.equal(en.statusCode, 200);
      assert.match(en.body, new RegExp(`<a href="${ARTICLE}">`));
      const ko = await app.inject({ url: '/ko' });
      assert.match(textOf(ko.body), /북한, 러시아 무기 공급설 부인/);
      assert.doesNotMatch(textOf(ko.body), /North denies/);
    });

    it('serves section, tag, author, policy and login pages', async () => {
      for (const url of [
        '/section/national',
        '/tag/russia',
        '/author/sarah-kim',
        '/policy',
        '/ko/policy',
        '/login',
        `/ko/tag/${encodeURIComponent('북한')}`,
      ]) {
        const res = await app.inject({ url });
        assert.equal(res.statusCode, 200, url);
      }
      assert.match(
        textOf((await app.inject({ url: '/login' })).body),
        /Log in with an e-mailed code/,
      );
      assert.match(textOf((await app.inject({ url: '/policy' })).body), /Standards Board Policy/);
      assert.match(textOf((await app.inject({ url: '/ko/policy' })).body), /심의위원회 운영 원칙/);
    });

    it('sends the login page back only to a path on this site', async () => {
      for (const evil of [
        '//evil.example/x',
        '/\\evil.example',
        'https://evil.example',
        'javascript:alert(1)',
      ]) {
        const res = await app.inject({ url: `/login?returnTo=${encodeURIComponent(evil)}` });
        assert.equal(res.statusCode, 200);
        assert.doesNotMatch(res.body, /evil\.example|javascript:/, evil);
      }
    });

    it('answers 301 from an old address, 410 for a withdrawn article, 404 for no article', async () => {
      await saveArticles(deps, [englishArticle({ section: 'Politics' })]);
      const moved = await app.inject({ url: ARTICLE });
      assert.equal(moved.statusCode, 301);
      assert.equal(moved.headers.location, '/2023/01/29/politics/north-denies-sending-arms');
      await archiveArticle(deps, 'en', englishArticle().slug);
      const gone = await app.inject({ url: '/2023/01/29/politics/north-denies-sending-arms' });
      assert.equal(gone.statusCode, 410);
      assert.match(textOf(gone.body), /withdrawn/);
      const missing = await app.inject({ url: '/2023/01/29/national/no-such-article' });
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /<html lang="en">/);
      assert.equal((await app.inject({ url: '/ko/no/such/page' })).statusCode, 404);
      assert.equal((await app.inject({ url: '/section/nope' })).statusCode, 404);
    });

    it('answers malformed addresses with 400, never 500', async () => {
      for (const url of ['/%E0%A4%A', '/section/%', `/2023/01/29/national/%ZZ`]) {
        const res = await app.inject({ url });
        assert.ok(res.statusCode === 400 || res.statusCode === 404, `${url} → ${res.statusCode}`);
      }
      assert.equal((await app.inject({ url: '/%E0%A4%A' })).statusCode, 400);
    });

    it('answers in JSON when JSON is asked for', async () => {
      const res = await app.inject({
        url: '/no-such-page',
        headers: { accept: 'application/json' },
      });
      assert.equal(res.statusCode, 404);
      const body = res.json<{ error: { code: string; message: string } }>();
      assert.equal(body.error.code, 'NOT_FOUND');
      assert.ok(body.error.message.length > 0);
    });

    it('refuses oversized bodies and unknown methods without a 500', async () => {
      const big = await app.inject({
        method: 'POST',
        url: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'a='.padEnd(70_000, 'x'),
      });
      assert.ok([404, 413].includes(big.statusCode), String(big.statusCode));
      assert.equal((await app.inject({ method: 'TRACE', url: '/' })).statusCode, 405);
    });

    it('sends security headers on pages and on errors', async () => {
      for (const url of [ARTICLE, '/no-such-page', '/%E0%A4%A']) {
        const res = await app.inject({ url });
        const csp = String(res.headers['content-security-policy']);
        assert.match(csp, /script-src 'self'/, url);
        assert.doesNotMatch(csp, /unsafe-inline/, url);
        assert.match(csp, /object-src 'none'/);
        assert.match(csp, /base-uri 'none'/);
        assert.match(csp, /frame-ancestors 'none'/);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.equal(res.headers['referrer-policy'], 'strict-origin-when-cross-origin');
        assert.match(
          String(res.headers['strict-transport-security']),
          /max-age=31536000; includeSubDomains/,
        );
      }
    });

    it('has no inline script or style in any page', async () => {
      for (const url of ['/', ARTICLE, '/policy', '/login', '/no-such-page']) {
        const html = (await app.inject({ url })).body;
        // Scripts come from our own hashed assets only; JSON-LD is data, never run.
        const inline =
          html.match(
            /<script(?![^>]*type="application\/ld\+json")(?![^>]*\ssrc="\/assets\/)[^>]*>/g,
          ) ?? [];
        assert.deepEqual(inline, [], url);
        assert.doesNotMatch(html, /<style|\sstyle="/, url);
      }
    });

    it('switches from an author page to the same person under their name in the other edition', async () => {
      // The fixtures credit Sarah Kim and 김사라 with one e-mail address: one person, two names.
      const en = await app.inject({ url: '/author/sarah-kim' });
      assert.equal(editionSwitch(en.body), '/ko/author/김사라');
      const ko = await app.inject({ url: `/ko/author/${encodeURIComponent('김사라')}` });
      assert.equal(editionSwitch(ko.body), '/author/sarah-kim');
    });

    it('switches from an author page with no counterpart to the other edition’s home', async () => {
      await saveArticles(deps, [
        englishArticle({
          slug: 'chip-plant',
          authors: [{ name: 'Choi Dong-hyun', email: 'choi.donghyun@byline.example' }],
        }),
      ]);
      const res = await app.inject({ url: '/author/choi-dong-hyun' });
      assert.equal(res.statusCode, 200);
      assert.equal(editionSwitch(res.body), '/ko');
    });

    it('switches from a tag page to its translation, or to the home page when it has none', async () => {
      await saveArticles(deps, [
        koreanArticle({ tagTranslations: [{ name: '러시아', translation: 'Russia' }] }),
      ]);
      assert.equal(
        editionSwitch((await app.inject({ url: '/tag/russia' })).body),
        '/ko/tag/러시아',
      );
      const ko = await app.inject({ url: `/ko/tag/${encodeURIComponent('러시아')}` });
      assert.equal(editionSwitch(ko.body), '/tag/russia');
      // 북한 was given no English name: an empty English 북한 page would help no one.
      const untranslated = await app.inject({ url: `/ko/tag/${encodeURIComponent('북한')}` });
      assert.equal(editionSwitch(untranslated.body), '/');
    });

    it('switches from a section page to the same section in the other edition', async () => {
      const res = await app.inject({ url: '/section/national' });
      assert.equal(editionSwitch(res.body), '/ko/section/national');
    });

    it('answers 304 to a matching ETag and lets a CDN keep public pages briefly', async () => {
      const first = await app.inject({ url: ARTICLE });
      const etag = String(first.headers.etag);
      assert.match(etag, /^"[\w-]+"$/);
      assert.match(String(first.headers['cache-control']), /public, max-age=60/);
      const again = await app.inject({ url: ARTICLE, headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
    });

    it('drops a cached page when the article changes', async () => {
      const before = await app.inject({ url: ARTICLE });
      assert.ok(cache.size > 0);
      await saveArticles(deps, [
        englishArticle({ headline: 'A corrected headline', translation: koreanArticle().slug }),
      ]);
      const afterChange = await app.inject({
        url: ARTICLE,
        headers: { 'if-none-match': String(before.headers.etag) },
      });
      assert.equal(afterChange.statusCode, 200);
      assert.match(afterChange.body, /A corrected headline/);
      assert.match((await app.inject({ url: '/' })).body, /A corrected headline/);
    });

    it("keeps another article's page cached when one is saved, and lists the new headline", async () => {
      const other = englishArticle({ slug: 'seoul-rain', headline: 'Rain floods Seoul' });
      await saveArticles(deps, [other]);
      const otherPath = '/2023/01/29/national/seoul-rain';
      assert.equal((await app.inject({ url: otherPath })).statusCode, 200);
      assert.equal((await app.inject({ url: KO_ARTICLE })).statusCode, 200);
      assert.doesNotMatch((await app.inject({ url: '/' })).body, /A corrected headline/);
      const kept = cache.get(otherPath);
      assert.ok(kept, 'the other article is cached');
      await saveArticles(deps, [
        englishArticle({ headline: 'A corrected headline', translation: koreanArticle().slug }),
      ]);
      assert.equal(cache.get(otherPath), kept, 'the other article is still the page kept');
      const again = await app.inject({ url: otherPath });
      assert.equal(again.headers.etag, kept.etag);
      assert.equal(cache.get(KO_ARTICLE), undefined, 'the translation, which links it, is dropped');
      assert.match((await app.inject({ url: '/' })).body, /A corrected headline/);
      assert.match((await app.inject({ url: '/section/national' })).body, /A corrected headline/);
    });

    it('drops every page when a save changes how a byline shows on other articles', async () => {
      await saveArticles(deps, [
        englishArticle({ slug: 'seoul-rain', headline: 'Rain floods Seoul' }),
      ]);
      const otherPath = '/2023/01/29/national/seoul-rain';
      await app.inject({ url: otherPath });
      await saveArticles(deps, [
        englishArticle({
          translation: koreanArticle().slug,
          authors: [{ name: 'Sarah Kim', email: 'sarah.kim@joongang.co.kr' }],
        }),
      ]);
      assert.equal(cache.get(otherPath), undefined);
      assert.match((await app.inject({ url: otherPath })).body, /sarah\.kim@joongang\.co\.kr/);
    });

    it("drops the translation's page when an article is withdrawn, so its link goes", async () => {
      assert.match((await app.inject({ url: KO_ARTICLE })).body, /class="translation-link"/);
      await archiveArticle(deps, 'en', englishArticle().slug);
      assert.equal(cache.get(KO_ARTICLE), undefined);
      assert.doesNotMatch((await app.inject({ url: KO_ARTICLE })).body, /class="translation-link"/);
    });

    it('serves the stylesheet under its content hash, to keep forever', async () => {
      const html = (await app.inject({ url: '/' })).body;
      const href = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1];
      assert.match(href ?? '', /^\/assets\/site\.[0-9a-f]{12}\.css$/);
      const css = await app.inject({ url: href ?? '' });
      assert.equal(css.statusCode, 200);
      assert.match(String(css.headers['cache-control']), /immutable/);
    });

    it('reports health and readiness', async () => {
      assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
      assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
    });
  });
}
