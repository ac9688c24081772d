// Build step: copies every asset under a content-hashed name and writes gzip and brotli
// variants beside it, so the server can answer with long-lived caching and no work per request.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { ASSETS, BUILD_DIR, MANIFEST } from './list';

export interface ManifestEntry {
  file: string;
  type: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export function buildAssets(): Record<string, ManifestEntry> {
  // Nothing is deleted first: names carry a content hash, so a build never changes a file a
  // running server (or a test run in parallel) is serving, and the manifest is swapped whole.
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  const manifest: Record<string, ManifestEntry> = Object.create(null);
  for (const [name, source] of Object.entries(ASSETS)) {
    const content = fs.readFileSync(source);
    const hash = crypto.createHash('sha256').update(content).digest('hex').slice(0, 12);
    const ext = path.extname(name);
    const file = `${path.basename(name, ext)}.${hash}${ext}`;
    fs.writeFileSync(path.join(BUILD_DIR, file), content);
    fs.writeFileSync(path.join(BUILD_DIR, `${file}.gz`), zlib.gzipSync(content, { level: 9 }));
    fs.writeFileSync(path.join(BUILD_DIR, `${file}.br`), zlib.brotliCompressSync(content, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length },
    }));
    manifest[name] = { file, type: TYPES[ext] ?? 'application/octet-stream' };
  }
  const temporary = `${MANIFEST}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(manifest, null, 2));
  fs.renameSync(temporary, MANIFEST);
  return manifest;
}

if (require.main === module) {
  const manifest = buildAssets();
  console.log(`Built ${Object.keys(manifest).length} assets into ${path.relative(process.cwd(), BUILD_DIR)}`);
}
