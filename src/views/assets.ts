import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import type { Bundle } from '../http/feature.js';
import { projectRoot } from '../lib/project-root.js';

/**
 * Static assets, read once at start-up and served under a name carrying their content hash, so
 * browsers and CDNs may keep them forever: a changed file is a new address.
 */
export type Asset = { path: string; body: Buffer; contentType: string };

export type Assets = {
  stylesheet: Asset;
  /** The features' browser bundles, by name (src/http/feature.ts). */
  scripts: ReadonlyMap<string, Asset>;
  /** The site's icon for browsers that take SVG, named by its hash like the others. */
  icon: Asset;
  /**
   * The same icon as PNGs in an .ico, at the one address every browser and feed reader asks for
   * without being told; a fixed name, so it may be kept for a while but not for ever.
   */
  legacyIcon: Asset;
};

export function loadAssets(bundles: readonly Bundle[]): Assets {
  const read = (name: string) => fs.readFileSync(path.join(projectRoot(), 'public', name));
  const stylesheet = read('site.css');
  const scripts = new Map<string, Asset>();
  for (const bundle of bundles) {
    if (scripts.has(bundle.name)) throw new Error(`two bundles are named ${bundle.name}`);
    const body = bundleScript(bundle.entry);
    scripts.set(bundle.name, {
      path: `/assets/${bundle.name}.${contentHash(body)}.js`,
      body,
      contentType: 'text/javascript; charset=utf-8',
    });
  }
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
    scripts,
  };
}

function contentHash(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 12);
}

/**
 * Bundles a browser script, once per start (tens of milliseconds; synchronous so that callers
 * that only want an asset's address need not wait). Built rather than committed so it cannot
 * drift from the modules it shares with the server (the comments' counting rule). Any warning fails the
 * start: it would be a defect in our own code, better seen at once than shipped.
 */
function bundleScript(entry: string): Buffer {
  const result = buildSync({
    entryPoints: [path.join(projectRoot(), entry)],
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
    throw new Error(`bundling ${entry} gave no clean output: ${detail || 'no file'}`);
  }
  return Buffer.from(output.contents);
}

/** A feature's bundle by name; one no feature declared is a programming error. */
export function bundleAsset(assets: Assets, name: string): Asset {
  const asset = assets.scripts.get(name);
  if (!asset) throw new Error(`no browser bundle is named ${name}`);
  return asset;
}
