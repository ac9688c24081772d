// The export benchmark: `export.csv` of the results benchmark's wave (100,000 quickscan
// responses and 1,000 more, bench/results.ts) on SQLite and on PostgreSQL, through the CSV
// routes over HTTP (bench/export-queries.ts, a process of its own), beside the export as it
// was before and a bare SELECT of the same responses written to /dev/null (the reference).
// With --keep DIR it uses the databases the results benchmark kept there, and seeds and
// keeps them when they are not there yet. A benchmark reports; it never fails a test.
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb, migrateToLatest } from '../server/db/connection';
import { createStore } from '../server/store';
import { loadInstrumentFiles } from '../server/instruments/instrument-file';
import { createInstrumentCatalogue } from '../server/instruments/catalogue';
import { queueSubmissions, reachable, seed, withAdmin } from './results';
import type { ExportJob, ExportTiming } from './export-queries';

export interface ExportBenchOptions {
  responses?: number;
  runs?: number;
  only?: 'sqlite' | 'postgres';
  keep?: string;
  log?: (line: string) => void;
}

export interface ExportBenchReport {
  database: 'sqlite' | 'postgres';
  responses: number;
  timings: ExportTiming[];
  referenceBytes: number;
}

const SURVEYS_DIR = path.resolve(__dirname, '..', '..', 'surveys');
const QUEUED = 1000;

export async function runExportBench(options: ExportBenchOptions = {}): Promise<ExportBenchReport[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const responses = options.responses ?? 100_000;
  const runs = options.runs ?? 5;
  const reports: ExportBenchReport[] = [];
  if (options.only !== 'postgres') {
    const dir = options.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-bench-export-'));
    try {
      const sqliteFile = path.join(dir, `results-${responses}.sqlite3`);
      const db = createDb({ databaseUrl: null, sqliteFile });
      const wave = await benchmarkWave(db, 'sqlite', responses, log).finally(() => db.destroy());
      reports.push(serve({ database: 'sqlite', sqliteFile, ...wave, runs }));
    } finally {
      if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (options.only === 'sqlite') return reports;
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  if (!(await reachable(url))) {
    log('postgres: skipped (no DATABASE_URL and nothing answers at 127.0.0.1:5432)');
    return reports;
  }
  const schema = options.keep ? `bench_kept_${responses}` : `bench_export_${crypto.randomBytes(6).toString('hex')}`;
  await withAdmin(url, (admin) => admin.raw('CREATE SCHEMA IF NOT EXISTS ??', [schema]));
  try {
    const db = createDb({ databaseUrl: url, pgSchema: schema });
    const wave = await benchmarkWave(db, 'postgres', responses, log).finally(() => db.destroy());
    reports.push(serve({ database: 'postgres', postgresUrl: url, pgSchema: schema, ...wave, runs }));
  } finally {
    if (!options.keep) await withAdmin(url, (admin) => admin.raw('DROP SCHEMA ?? CASCADE', [schema]));
  }
  return reports;
}

/** The results benchmark's wave, kept from an earlier run, or seeded the same way. */
async function benchmarkWave(db: Knex, database: string, responses: number, log: (line: string) => void) {
  await migrateToLatest(db);
  const catalogue = await createInstrumentCatalogue(db, loadInstrumentFiles(SURVEYS_DIR));
  const store = createStore(db);
  const kept = await db('waves').where({ label: 'Benchmark' }).first('id', 'organisation_id');
  if (kept && Number((await db('responses').where({ wave_id: kept.id }).count({ n: '*' }).first())?.n) === responses + QUEUED) {
    log(`${database}: reusing the ${(responses + QUEUED).toLocaleString('en')} responses kept from an earlier run`);
    return { waveId: String(kept.id), organisationId: String(kept.organisation_id) };
  }
  const organisation = await store.repos.organisations.create('Benchmark');
  const waveId = crypto.randomUUID();
  await store.repos.waves.create({
    id: waveId, organisationId: organisation.id, instrumentVersionId: (await catalogue.latest('tno-quickscan'))!.id, label: 'Benchmark',
    mode: 'anonymous', series: null, minGroupSize: 5, opensOn: null, closesOn: null, status: 'open', publicToken: null,
  });
  log(`${database}: loading ${responses.toLocaleString('en')} quickscan responses …`);
  await seed(store, catalogue, waveId, responses);
  await queueSubmissions(store, catalogue, waveId, QUEUED);
  if (database === 'postgres') await db.raw('analyze');
  return { waveId, organisationId: organisation.id };
}

function serve(job: ExportJob): ExportBenchReport {
  const child = spawnSync(process.execPath, ['--enable-source-maps', path.join(__dirname, 'export-queries.js'), JSON.stringify(job)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`${job.database}: the export process failed (${child.status})`);
  const { timings, referenceBytes } = JSON.parse(child.stdout.trim().split('\n').pop()!);
  return { database: job.database, responses: 0, timings, referenceBytes };
}

/** One table: per request its median on each database, the reference's median and their ratio. Target (issue 17): < 2 s. */
export function formatExportReport(reports: ExportBenchReport[]): string {
  const lines = ['CSV export over HTTP: medians in ms, wall clock and CPU of the serving process (on SQLite with the database\'s work, on PostgreSQL without); '
    + 'ref = SELECT of the same responses\' data, written to /dev/null; target < 2,000 ms'];
  for (const r of reports) {
    lines.push(`  ${r.database}: reference ${(r.referenceBytes / 1e6).toFixed(1)} MB of JSON; `
      + r.timings.map((t) => `${t.name}: ${(t.bytes / 1e6).toFixed(1)} MB, RSS +${t.peakRssAboveMb.toFixed(0)} MB`).join('; '));
  }
  const names = [...new Set(reports.flatMap((r) => r.timings.map((t) => t.name)))];
  const cell = (r: ExportBenchReport, name: string) => {
    const t = r.timings.find((x) => x.name === name);
    return t ? [t.medianMs.toFixed(0), t.referenceMs.toFixed(0), (t.medianMs / t.referenceMs).toFixed(2),
      t.cpuMs.toFixed(0), t.referenceCpuMs.toFixed(0), (t.cpuMs / t.referenceCpuMs).toFixed(2)] : ['', '', '', '', '', ''];
  };
  lines.push(`| request | ${reports.map((r) => `${r.database} | ref | ratio | CPU | ref | ratio`).join(' | ')} |`);
  lines.push(`|---|${reports.map(() => '---:|---:|---:|---:|---:|---:').join('|')}|`);
  for (const name of names) lines.push(`| ${name} | ${reports.map((r) => cell(r, name).join(' | ')).join(' | ')} |`);
  return lines.join('\n');
}
