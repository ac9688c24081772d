// Serves the built assets: only names in the manifest (so no path can reach other files),
// precompressed for the encodings the browser accepts, cached for a year because the
// content hash is in the name.
import fs from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import { BUILD_DIR, MANIFEST } from './list';
import type { ManifestEntry } from './build';

export interface Assets {
  url(name: string): string;
  router: Router;
}

export function loadAssets(): Assets {
  if (!fs.existsSync(MANIFEST)) {
    throw new Error(`No built assets at ${MANIFEST}: run "npm run build" first.`);
  }
  const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as Record<string, ManifestEntry>;
  const byFile = new Map(Object.values(manifest).map((entry) => [entry.file, entry]));
  const router = Router();
  router.get('/assets/:file', (req, res, next) => {
    const entry = byFile.get(req.params.file);
    if (!entry) return next();
    const accepted = String(req.get('accept-encoding') ?? '');
    const encoding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : null;
    const suffix = encoding === 'br' ? '.br' : encoding === 'gzip' ? '.gz' : '';
    res.set({
      'Content-Type': entry.type,
      'Cache-Control': 'public, max-age=31536000, immutable',
      Vary: 'Accept-Encoding',
      ETag: `"${entry.file}${suffix}"`,
    });
    if (encoding) res.set('Content-Encoding', encoding);
    if (req.fresh) return res.status(304).end();
    res.sendFile(path.join(BUILD_DIR, entry.file + suffix));
  });
  return {
    url(name) {
      const entry = manifest[name];
      if (!entry) throw new Error(`Unknown asset ${name}`);
      return `/assets/${entry.file}`;
    },
    router,
  };
}
