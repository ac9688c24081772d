// How long a CSV import holds up live submissions: the import's one transaction (all or
// nothing) stores 1,990 prepared quickscan rows while a steady stream of submissions (one
// every 5 ms, each in a transaction of its own, stored pending as the endpoint does) waits
// for SQLite's one writer. Reports the import's transaction time and the submissions' p99 and
// worst latency, for the rows stored one by one (before) and in multi-row statements (now).
//   node dist/bench/csv-import-stall.js
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, migrateToLatest } from '../server/db/connection';
import { createStore } from '../server/store';
import { loadInstrumentFiles } from '../server/instruments/instrument-file';
import { createInstrumentCatalogue } from '../server/instruments/catalogue';
import { prepareResponse, PreparedResponse } from '../server/responses/service';
import { storePending, storeResponse, storeResponses } from '../server/responses/storage';
import { IMPORT_CHUNK, IMPORT_PAUSE_MS } from '../server/csv/service';
import { quickscanAnswers, seededRandom } from '../test/helpers/quickscan-stream';

const ROWS = 1990;
const SURVEYS_DIR = path.resolve(__dirname, '..', '..', 'surveys');

export interface ImportStall {
  way: string;
  importMs: number;
  submissions: number;
  p99Ms: number;
  maxMs: number;
  /** Submissions given up (the writer held longer than SQLite's busy timeout). */
  failed: number;
}

export async function runImportStallBench(): Promise<ImportStall[]> {
  const out: ImportStall[] = [];
  for (const way of ['one by one, one transaction (before)', 'multi-row, one transaction', `multi-row, ${IMPORT_CHUNK} rows a transaction, ${IMPORT_PAUSE_MS} ms apart (now)`]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-bench-import-'));
    const db = createDb({ databaseUrl: null, sqliteFile: path.join(dir, 'bench.sqlite3') });
    try {
      await migrateToLatest(db);
      const catalogue = await createInstrumentCatalogue(db, loadInstrumentFiles(SURVEYS_DIR));
      const store = createStore(db);
      const version = (await catalogue.latest('tno-quickscan'))!;
      const organisation = await store.repos.organisations.create('Benchmark');
      const waveId = crypto.randomUUID();
      await store.repos.waves.create({
        id: waveId, organisationId: organisation.id, instrumentVersionId: version.id, label: 'Import',
        mode: 'anonymous', series: null, minGroupSize: 5, opensOn: null, closesOn: null, status: 'open', publicToken: null,
      });
      const random = seededRandom(7);
      const prepare = () => prepareResponse(version, quickscanAnswers(random)) as Extract<PreparedResponse, { ok: true }>;
      const rows = Array.from({ length: ROWS }, prepare);
      const live = Array.from({ length: 2000 }, prepare);

      let stop = false;
      let failed = 0;
      const latencies: number[] = [];
      const stream = (async () => {
        for (let i = 0; !stop && i < live.length; i++) {
          const start = process.hrtime.bigint();
          try {
            await store.transaction((repos) => storePending(repos, [{ waveId, prepared: live[i], submissionId: crypto.randomUUID(), submittedOn: '2026-12-01' }]));
          } catch {
            failed += 1; // SQLITE_BUSY after busy_timeout: the writer was held longer than that
          }
          latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const start = process.hrtime.bigint();
      const toStore = rows.map((prepared) => ({ waveId, prepared, submissionId: crypto.randomUUID(), submittedOn: '2026-12-01' }));
      if (way.startsWith('one by one')) {
        await store.transaction(async (repos) => { for (const r of toStore) await storeResponse(repos, r); });
      } else if (way.includes('one transaction')) {
        await store.transaction((repos) => storeResponses(repos, toStore));
      } else {
        // As csv/service.ts importFile does.
        for (let i = 0; i < toStore.length; i += IMPORT_CHUNK) {
          await store.transaction((repos) => storeResponses(repos, toStore.slice(i, i + IMPORT_CHUNK)));
          if (i + IMPORT_CHUNK < toStore.length) await new Promise((resolve) => setTimeout(resolve, IMPORT_PAUSE_MS));
        }
      }
      const importMs = Number(process.hrtime.bigint() - start) / 1e6;
      await new Promise((resolve) => setTimeout(resolve, 300));
      stop = true;
      await stream;
      const sorted = [...latencies].sort((a, b) => a - b);
      out.push({ way, importMs, submissions: sorted.length, p99Ms: sorted[Math.floor(sorted.length * 0.99)] ?? 0, maxMs: sorted[sorted.length - 1] ?? 0, failed });
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

export function formatImportStallReport(rows: ImportStall[]): string {
  return [`A CSV import of ${ROWS.toLocaleString('en')} rows beside a stream of submissions (SQLite)`,
    '| import stored | import | submissions meanwhile | their p99 | their worst | failed |', '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.way} | ${r.importMs.toFixed(0)} ms | ${r.submissions} | ${r.p99Ms.toFixed(0)} ms | ${r.maxMs.toFixed(0)} ms | ${r.failed} |`)].join('\n');
}

if (require.main === module) {
  runImportStallBench().then((rows) => console.log(formatImportStallReport(rows))).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
