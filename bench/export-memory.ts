// Measures the memory of a large CSV export: 100,000 responses streamed through the real
// app over HTTP, against the same export of 1,000. A flat peak means the export streams.
// Run: npm run build && node dist/bench/export-memory.js [responses]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createDb, migrateToLatest } from '../server/db/connection';
import { createApp } from '../server/app';
import { loadConfig } from '../server/config';
import { createLogger } from '../server/log';
import { ensureSetupCode } from '../server/startup/setup-code';

const SURVEYS = path.resolve(__dirname, '..', '..', 'surveys');

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 100000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-bench-'));
  const db = createDb({ databaseUrl: null, sqliteFile: path.join(dir, 'spiegel.sqlite3') });
  await migrateToLatest(db);
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, JWT_SECRET: 'x'.repeat(40), SURVEYS_DIR: SURVEYS });
  const app = await createApp({ config, db, log: createLogger('silent') });
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (method: string, url: string, body?: unknown, token?: string) => {
    const res = await fetch(base + url, {
      method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.json() as Promise<Record<string, unknown>>;
  };
  await call('POST', '/api/v1/setup', { organisation: 'Bench', email: 'bench@spiegel.test', password: 'correct horse battery', setupCode: ensureSetupCode(dir) });
  const { token } = await call('POST', '/api/v1/auth/login', { email: 'bench@spiegel.test', password: 'correct horse battery' }) as { token: string };

  const results: string[] = [];
  for (const n of [1000, total]) {
    const wave = await call('POST', '/api/v1/waves', { instrument: 'tno-quickscan', label: `bench ${n}`, mode: 'anonymous' }, token) as { id: string };
    await fill(db, wave.id, n);
    global.gc?.();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 25);
    const started = Date.now();
    const res = await fetch(`${base}/api/v1/waves/${wave.id}/export.csv`, { headers: { Authorization: `Bearer ${token}`, 'Accept-Encoding': 'identity' } });
    let bytes = 0;
    let rows = 0;
    let previous = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      // Rows end in CRLF; a line break inside a free-text answer is a bare LF.
      for (const b of chunk) {
        if (b === 10 && previous === 13) rows++;
        previous = b;
      }
    }
    clearInterval(sampler);
    const mb = (x: number) => `${(x / 1024 / 1024).toFixed(1)} MB`;
    results.push(`${n} responses: ${rows - 1} rows, ${mb(bytes)} of CSV in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `RSS ${mb(before.rss)} -> peak ${mb(peakRss)} (+${mb(peakRss - before.rss)}), heap ${mb(before.heapUsed)} -> peak ${mb(peakHeap)} (+${mb(peakHeap - before.heapUsed)})`);
    console.log(results.at(-1));
  }
  server.close();
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Realistic rows straight into the table: the export reads `responses.data` only. */
async function fill(db: ReturnType<typeof createDb>, waveId: string, n: number): Promise<void> {
  const roles = ['student', 'professional'];
  for (let i = 0; i < n; i += 500) {
    const rows = [];
    for (let j = i; j < Math.min(n, i + 500); j++) {
      const data = {
        b_role: roles[j % 2], c_ervaring: j % 3 === 0 ? 'ja' : 'nee', c_collegas: 'nee', e_wenselijk: 1 + (j % 4), f_leren: 1 + (j % 5),
        t5: { t5_1: 1 + (j % 5), t5_2: 1 + ((j + 1) % 5), t5_3: 3 }, t7: { t7_1: 2, t7_2: 4 }, t10: { t10_1: 5, t10_5: 4 },
        e_toelichting: j % 10 === 0 ? `Toelichting ${j}: "met aanhalingstekens",\nen een tweede regel` : undefined,
      };
      rows.push({ id: crypto.randomUUID(), wave_id: waveId, submission_id: crypto.randomUUID(), submitted_on: `2026-0${1 + (j % 9)}-1${j % 10}`, data: JSON.stringify(data) });
    }
    await db('responses').insert(rows);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
