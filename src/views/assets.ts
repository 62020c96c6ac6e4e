import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { projectRoot } from '../lib/project-root.js';

/**
 * Static assets, read once at start-up and served under a name carrying their content hash, so
 * browsers and CDNs may keep them forever: a changed file is a new address.
 */
export type Asset = { path: string; body: Buffer; contentType: string };

/** The comments island's entry; its TypeScript sources ship with the package, as public/ does. */
const SCRIPT_ENTRY = path.join('src', 'comments', 'client', 'comments.client.ts');

export type Assets = {
  stylesheet: Asset;
  script: Asset;
  /** The site's icon for browsers that take SVG, named by its hash like the others. */
  icon: Asset;
  /**
   * The same icon as PNGs in an .ico, at the one address every browser and feed reader asks for
   * without being told; a fixed name, so it may be kept for a while but not for ever.
   */
  legacyIcon: Asset;
};

export function loadAssets(): Assets {
  const read = (name: string) => fs.readFileSync(path.join(projectRoot(), 'public', name));
  const stylesheet = read('site.css');
  const script = bundleScript();
  const icon = read('favicon.svg');
  return {
    icon: {
      path: `/assets/favicon.${contentHash(icon)}.svg`,
      body: icon,
      contentType: 'image/svg+xml',
    },
    legacyIcon: { path: '/favicon.ico', body: read('favicon.ico'), contentType: 'image/x-icon' },
    stylesheet: {
      path: `/assets/site.${contentHash(stylesheet)}.css`,
      body: stylesheet,
      contentType: 'text/css; charset=utf-8',
    },
    script: {
      path: `/assets/comments.${contentHash(script)}.js`,
      body: script,
      contentType: 'text/javascript; charset=utf-8',
    },
  };
}

function contentHash(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 12);
}

/**
 * Bundles the browser script, once per start (tens of milliseconds; synchronous so that callers
 * that only want an asset's address need not wait). Built rather than committed so it cannot
 * drift from comment-text.ts, the counting rule the server applies too. Any warning fails the
 * start: it would be a defect in our own code, better seen at once than shipped.
 */
function bundleScript(): Buffer {
  const result = buildSync({
    entryPoints: [path.join(projectRoot(), SCRIPT_ENTRY)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (result.warnings.length > 0 || !output) {
    const detail = result.warnings.map((w) => w.text).join('; ');
    throw new Error(`bundling ${SCRIPT_ENTRY} gave no clean output: ${detail || 'no file'}`);
  }
  return Buffer.from(output.contents);
}
