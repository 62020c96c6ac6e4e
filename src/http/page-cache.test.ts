import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { testApp, type TestApp } from '../accounts/accounts.testing.js';
import { publishedArticle } from '../comments/comments.testing.js';
import { loadConfig } from '../config.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import { EVERYTHING, articlesChanged } from '../lib/content-change.js';
import { PageCache, articleTag, pageKey, pageOf } from './page-cache.js';

/** One way of writing a character in a path: as it is, or percent-encoded in either case. */
function spellings(char: string): fc.Arbitrary<string> {
  const encoded = encodeURIComponent(char) === char ? percentOf(char) : encodeURIComponent(char);
  return fc.constantFrom(char, encoded.toUpperCase(), encoded.toLowerCase());
}

function percentOf(char: string): string {
  return [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16)}`).join('');
}

/** Any spelling of `path` that the router takes as the same address. */
function respelled(path: string): fc.Arbitrary<string> {
  const segments = path
    .split('/')
    .map((segment) =>
      fc
        .tuple(...Array.from(decodeURIComponent(segment), (char) => spellings(char)))
        .map((parts) => parts.join('')),
    );
  return fc
    .tuple(fc.tuple(...segments), fc.constantFrom('', '/'), fc.constantFrom('', '#top', '#x'))
    .map(([parts, slash, hash]) => `${parts.join('/')}${slash}${hash}`);
}

const page = (bytes: number) => pageOf('x'.repeat(bytes));

describe('page cache keys', () => {
  it('keys a plain path as it is, without its query', () => {
    assert.equal(pageKey('/2026/11/30/national/seoul-rain'), '/2026/11/30/national/seoul-rain');
    assert.equal(pageKey('/ko?sort=new'), '/ko');
    assert.equal(pageKey('/'), '/');
  });

  it('keeps a page number in the key, and no other query', () => {
    assert.equal(pageKey('/corrections?page=2'), '/corrections?page=2');
    assert.equal(pageKey('/ko/corrections?utm=x&page=999'), '/ko/corrections?page=999');
    for (const query of ['?page=1', '?pages=2', '?utm=page', '?x=1&page=1'])
      assert.equal(pageKey(`/corrections${query}`), '/corrections', query);
    for (const query of ['?page=02', '?page=1000', '?page=2&page=3', '?page=x', '?page='])
      assert.equal(pageKey(`/corrections${query}`), '/corrections?page', query);
  });

  it('gives every spelling of one address the same key', () => {
    const canonical = '/ko/tag/%EC%84%9C%EC%9A%B8';
    fc.assert(
      fc.property(respelled(canonical), fc.constantFrom('', '?a=1'), (path, query) => {
        assert.equal(pageKey(`${path}${query}`), pageKey(canonical), path);
      }),
      { numRuns: 500 },
    );
    // Found by the property above: Hangul sent unencoded is the same address as its escapes.
    assert.equal(pageKey('/ko/tag/서울'), pageKey(canonical));
    assert.equal(pageKey('/%73eoul'), pageKey('/s%65oul'));
    assert.equal(pageKey('/seoul/'), '/seoul');
  });

  it('answers a path in the canonical spelling as it is, and any other as its canonical one', () => {
    const piece = fc.constantFrom(
      ...['/', 'a', 'Z', '~', '(', "'", '*', ':', '서', '%', '%G1', '%C3', '%41', '%61', '%7e'],
      ...['%7E', '%2F', '%2f', '%3A', '%3a', '%25', '%EC%84%9C', '%ec%84%9c', '%EC%84'],
    );
    // The definition, written out again: each segment decoded and encoded one way, or the whole
    // path as sent when an escape is malformed.
    const reference = (path: string): string => {
      try {
        return path
          .split('/')
          .map((segment) => encodeURIComponent(decodeURIComponent(segment)))
          .join('/');
      } catch {
        return path;
      }
    };
    fc.assert(
      fc.property(fc.string({ unit: piece, maxLength: 12 }), (tail) => {
        const path = `/x${tail}`.replace(/\/+$/, '');
        // A plain path (ASCII, no escape) is its own key, so that the hot path does no work.
        const plain = !path.includes('%') && Buffer.byteLength(path) === path.length;
        const expected = plain ? path : reference(path);
        assert.equal(pageKey(path), expected, path);
        assert.equal(pageKey(expected), pageKey(path), `${path} is keyed once`);
      }),
      { numRuns: 3_000 },
    );
  });

  it('keeps apart addresses the router keeps apart', () => {
    assert.notEqual(pageKey('/a%2Fb'), pageKey('/a/b'));
    assert.notEqual(pageKey('/Seoul'), pageKey('/seoul'));
    assert.notEqual(pageKey('/seoul//'), pageKey('/seoul'));
  });
});

describe('page cache budget', () => {
  it('never holds more bytes than its budget, dropping the oldest first', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3_000 })), {
          maxLength: 200,
        }),
        (writes) => {
          const cache = new PageCache(true, { maxBytes: 10_000 });
          for (const [n, bytes] of writes) {
            const key = `/page-${n}`;
            cache.set(key, page(bytes), cache.currentGeneration());
            assert.ok(cache.byteSize <= 10_000, `${cache.byteSize} bytes kept`);
            assert.ok(cache.get(key) !== undefined, 'the newest page is kept');
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not keep a page larger than the whole budget', () => {
    const cache = new PageCache(true, { maxBytes: 1_000 });
    cache.set('/small', page(100), cache.currentGeneration());
    cache.set('/huge', page(5_000), cache.currentGeneration());
    assert.equal(cache.get('/huge'), undefined);
    assert.notEqual(cache.get('/small'), undefined);
  });

  it('counts nothing after a clear and a page once when stored twice', () => {
    const cache = new PageCache(true, { maxBytes: 10_000 });
    cache.set('/a', page(1_000), cache.currentGeneration());
    const once = cache.byteSize;
    cache.set('/a', page(1_000), cache.currentGeneration());
    assert.equal(cache.byteSize, once);
    cache.clear();
    assert.equal(cache.byteSize, 0);
  });

  it('reads its budget from BYLINE_PAGE_CACHE_MB, 64 MiB unless told', () => {
    assert.equal(loadConfig({}).pageCacheMaxBytes, 64 * 1024 * 1024);
    assert.equal(loadConfig({ BYLINE_PAGE_CACHE_MB: '8' }).pageCacheMaxBytes, 8 * 1024 * 1024);
    assert.throws(() => loadConfig({ BYLINE_PAGE_CACHE_MB: '0' }));
  });
});

describe('page cache changes', () => {
  /** The home page, a section list, article 1 (translated as 2), article 2, and article 3. */
  function filled(): PageCache {
    const cache = new PageCache(true);
    const at = cache.currentGeneration();
    cache.set('/', page(10), at);
    cache.set('/section/national', page(10), at);
    cache.set('/policy', page(10), at);
    cache.set('/a1', page(10), at, [articleTag('1'), articleTag('2')]);
    cache.set('/ko/a2', page(10), at, [articleTag('2'), articleTag('1')]);
    cache.set('/a3', page(10), at, [articleTag('3')]);
    return cache;
  }
  const kept = (cache: PageCache) =>
    ['/', '/section/national', '/policy', '/a1', '/ko/a2', '/a3'].filter(
      (key) => cache.get(key) !== undefined,
    );

  it("keeps another article's page through one article's change, and drops the lists", () => {
    const cache = filled();
    cache.apply(articlesChanged(['3']));
    assert.deepEqual(kept(cache), ['/a1', '/ko/a2']);
  });

  it('drops the page of an article that links the changed one as its translation', () => {
    const cache = filled();
    cache.apply(articlesChanged(['2']));
    assert.deepEqual(kept(cache), ['/a3']);
  });

  it('drops every page on a change of everything', () => {
    const cache = filled();
    cache.apply(EVERYTHING);
    assert.deepEqual(kept(cache), []);
    assert.equal(cache.byteSize, 0);
  });

  it('keeps no page rendered before a change, whichever articles it names', () => {
    const cache = new PageCache(true);
    const before = cache.currentGeneration();
    cache.apply(articlesChanged(['9']));
    cache.set('/a3', page(10), before, [articleTag('3')]);
    assert.equal(cache.get('/a3'), undefined);
  });

  it('drops a page tagged with anything but articles, since its tags do not say what it shows', () => {
    const cache = new PageCache(true);
    cache.set('/odd', page(10), cache.currentGeneration(), ['policy:1']);
    cache.apply(articlesChanged(['1']));
    assert.equal(cache.get('/odd'), undefined);
  });

  it("still drops one article's pages alone when its comments change", () => {
    const cache = filled();
    cache.dropTag(articleTag('3'));
    assert.deepEqual(kept(cache), ['/', '/section/national', '/policy', '/a1', '/ko/a2']);
  });

  it('forgets the tags of the pages it drops', () => {
    const cache = filled();
    cache.apply(articlesChanged(['1']));
    cache.set('/a1', page(10), cache.currentGeneration(), [articleTag('1')]);
    cache.apply(articlesChanged(['2']));
    assert.notEqual(cache.get('/a1'), undefined, 'the new /a1 shows article 1 alone');
  });
});

for (const backend of testBackends().slice(0, 1)) {
  describe(`cached pages through the app on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    let cache: PageCache;
    let path: string;

    before(async () => {
      handle = await backend.open();
      cache = new PageCache(true, { maxBytes: 4 * 1024 * 1024 });
      t = await testApp(handle, { app: { cache } });
      path = (await publishedArticle(t.deps)).path;
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    it('keeps one entry for an article asked for under many spellings', async () => {
      const first = await t.app.inject({ url: path });
      assert.equal(first.statusCode, 200);
      const spelled = fc.sample(respelled(path), { numRuns: 60, seed: 27 });
      for (const url of spelled) {
        const response = await t.app.inject({ url });
        assert.equal(response.statusCode, 200, url);
        assert.equal(response.headers.etag, first.headers.etag, url);
      }
      assert.equal(cache.size, 1);
    });
  });
}
