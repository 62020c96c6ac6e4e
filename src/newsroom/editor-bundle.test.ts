import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { loadAssets } from '../views/assets.js';

/**
 * The editor's script, as the site serves it (esbuild, minified): its size is one of the issue's
 * figures, and a budget keeps it from growing unnoticed. ProseMirror itself is most of it (its
 * view, model and transform: about 70 KB gzip); the budget leaves room for our code, not for a
 * second library.
 */

const BUDGET_GZIP_BYTES = 85_000;

describe('the newsroom-editor bundle', () => {
  it(`stays under ${BUDGET_GZIP_BYTES} bytes gzip, and carries no server code`, (t) => {
    const assets = loadAssets([
      { name: 'newsroom-editor', entry: 'src/newsroom/client/editor.client.ts' },
    ]);
    const script = assets.scripts.get('newsroom-editor');
    assert.ok(script);
    const gzip = gzipSync(script.body, { level: 9 }).length;
    t.diagnostic(`newsroom-editor: ${script.body.length} bytes minified, ${gzip} bytes gzip`);
    assert.ok(gzip < BUDGET_GZIP_BYTES, `${gzip} bytes gzip`);
    const text = script.body.toString('utf8');
    // Names only the server's modules hold: the body's renderer, Markdown, the database.
    for (const serverOnly of ['markdown-it', 'preact', 'kysely', 'ZodError']) {
      assert.ok(!text.includes(serverOnly), `the bundle holds ${serverOnly}`);
    }
  });
});
