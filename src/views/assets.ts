import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../lib/project-root.js';

/**
 * Static assets, read once at start-up and served under a name carrying their content hash, so
 * browsers and CDNs may keep them forever: a changed file is a new address.
 */
export type Asset = { path: string; body: Buffer; contentType: string };

export function loadAssets(): { stylesheet: Asset } {
  const body = fs.readFileSync(path.join(projectRoot(), 'public', 'site.css'));
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return {
    stylesheet: { path: `/assets/site.${hash}.css`, body, contentType: 'text/css; charset=utf-8' },
  };
}
