// The results benchmark: loads a wave with many TNO quickscan responses through the
// responses repository (in batches, not over HTTP; then 1,000 one at a time, queued for
// the tallies as submissions are), then, in a fresh process (bench/results-queries.ts),
// times the first read, which folds the queue in, and the results endpoints'
// work (service call plus JSON) several times and reports the medians, on SQLite (a
// temporary file) and on PostgreSQL (a temporary schema) when it answers. Also times the
// same questions aggregated from the answers table without the tallies, to show what the
// tallies buy. A benchmark reports; it never fails a test.
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Knex } from 'knex';
import { migrateToLatest } from '../server/db/connection';
import { createStore, Store } from '../server/store';
import { loadInstrumentFiles } from '../server/instruments/instrument-file';
import { createInstrumentCatalogue, InstrumentCatalogue } from '../server/instruments/catalogue';
import { instrumentModel } from '../server/results/instrument-model';
import { validateResponse } from '../server/responses/validate-response';
import { toAnswerRows } from '../server/responses/long-format';
import { quickscanResponse } from './quickscan-data';
import { seededRandom } from '../test/helpers/quickscan-stream';
import type { QueryJob, Timing } from './results-queries';
import { ensureWideTable, WideTable } from './wide-table';
import { BenchConnection, onBenchDatabases } from './bench-databases';

export interface ResultsBenchOptions {
  responses?: number;
  /** Only this database (default: SQLite, then PostgreSQL when it answers). */
  only?: 'sqlite' | 'postgres';
  runs?: number;
  postgresUrl?: string | null;
  log?: (line: string) => void;
  /**
   * A directory in which the seeded databases are kept and, when there, reused (SQLite: a
   * file there; PostgreSQL: a schema named after the count), so that the reads can be
   * measured again without loading 100,000 responses again. Without it, nothing is kept.
   */
  keep?: string;
  /** Leaves out the requests timed on the answers table (seconds to minutes each on a loaded machine). */
  skipSlow?: boolean;
  /** How long each request is run before it is timed (ms; default WARM_MS; 0: once, as before 2026-12-01). */
  warmMs?: number;
}

export interface ResultsBenchReport {
  database: 'sqlite' | 'postgres';
  responses: number;
  answerRows: number;
  seedSeconds: number;
  timings: Timing[];
  /** Peak RSS of the query process after the tallied requests, and after all of them. */
  peakRssTalliedMb: number;
  peakRssMb: number;
  /** Bytes of the columnar copy per response (server/results/columns/). */
  copyBytesPerResponse?: number;
  /** The alternative measured beside the copy (bench/wide-table.ts). */
  wide?: Pick<WideTable, 'buildSeconds' | 'bytesPerResponse'>;
}

const BATCH = 1000;
/** Responses stored one by one, as submissions are, after the bulk load. */
const QUEUED = 1000;
const SURVEYS_DIR = path.resolve(__dirname, '..', '..', 'surveys');

export async function runResultsBench(options: ResultsBenchOptions = {}): Promise<ResultsBenchReport[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const responses = options.responses ?? 100_000;
  const runs = options.runs ?? 7;
  return onBenchDatabases({ responses, only: options.only, keep: options.keep, postgresUrl: options.postgresUrl, name: 'results', log },
    (connection, db) => benchOn({ ...connection, skipSlow: options.skipSlow, warmMs: options.warmMs }, db, responses, runs, log));
}

type Connection = BenchConnection & Pick<QueryJob, 'skipSlow' | 'warmMs'>;

async function benchOn(connection: Connection, db: Knex, responses: number, runs: number, log: (line: string) => void): Promise<ResultsBenchReport> {
  const { database } = connection;
  const wave = await benchmarkWave(db, database, responses, log);
  const answerRows = wave.answerRows ?? Number((await db('answers').count({ n: '*' }).first())?.n);
  // Built before the first read of a new wave, so the queued responses are not yet folded: the table is made from the answers, not the tallies.
  const wide = await ensureWideTable(db, wave.waveId, instrumentModel((await wave.catalogue.latest('tno-quickscan'))!), responses + QUEUED, log);
  const before = await seriesWave(db, wave.catalogue, wave.waveId, wave.organisationId, log);
  return {
    database, responses: responses + QUEUED, answerRows, seedSeconds: wave.seedSeconds,
    ...serve({
      ...connection, waveId: wave.waveId, organisationId: wave.organisationId, runs, queued: wave.answerRows === undefined ? 0 : QUEUED, wide,
      series: { name: SERIES, before },
    }),
    wide: { buildSeconds: wide.buildSeconds, bytesPerResponse: wide.bytesPerResponse },
  };
}

/**
 * The benchmark's wave: `responses` quickscan responses loaded in batches and QUEUED more one
 * at a time (waiting in the tally queue), or the wave kept from an earlier run with as many.
 * `answerRows` only when it was seeded now.
 */
export async function benchmarkWave(db: Knex, database: string, responses: number, log: (line: string) => void) {
  await migrateToLatest(db);
  const catalogue = await createInstrumentCatalogue(db, loadInstrumentFiles(SURVEYS_DIR));
  const store = createStore(db);
  const kept = await db('waves').where({ label: 'Benchmark' }).first('id', 'organisation_id');
  if (kept && Number((await db('responses').where({ wave_id: kept.id }).count({ n: '*' }).first())?.n) === responses + QUEUED) {
    log(`${database}: reusing the ${(responses + QUEUED).toLocaleString('en')} responses kept from an earlier run`);
    return { waveId: String(kept.id), organisationId: String(kept.organisation_id), catalogue, answerRows: undefined, seedSeconds: 0 };
  }
  const organisation = await store.repos.organisations.create('Benchmark');
  const waveId = crypto.randomUUID();
  await store.repos.waves.create({
    id: waveId, organisationId: organisation.id, instrumentVersionId: (await catalogue.latest('tno-quickscan'))!.id, label: 'Benchmark',
    mode: 'anonymous', series: null, minGroupSize: 5, opensOn: null, closesOn: null, status: 'open', publicToken: null,
  });
  log(`${database}: loading ${responses.toLocaleString('en')} quickscan responses …`);
  const started = process.hrtime.bigint();
  const answerRows = await seed(store, catalogue, waveId, responses);
  // Then some one at a time, as submissions arrive: queued for the tallies, folded in by the first read.
  await queueSubmissions(store, catalogue, waveId, QUEUED);
  const seedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  log(`${database}: ${answerRows.toLocaleString('en')} answer rows in ${seedSeconds.toFixed(0)} s`);
  if (database === 'postgres') await db.raw('analyze');
  return { waveId, organisationId: organisation.id, catalogue, answerRows, seedSeconds };
}

/** The series of the benchmark's wave: the series endpoint compares it with the wave before it. */
const SERIES = 'benchmark';
/** Responses of the wave before (a smaller one: the series' cost is the big wave's). */
const SERIES_RESPONSES = 1000;
const SERIES_LABEL = 'Benchmark, the wave before';

/**
 * Puts the benchmark's wave in a series, after a wave of SERIES_RESPONSES responses of the
 * same organisation and instrument, made the first time (kept with the databases); its id.
 */
export async function seriesWave(db: Knex, catalogue: InstrumentCatalogue, waveId: string, organisationId: string, log: (line: string) => void): Promise<string> {
  await db('waves').where({ id: waveId }).update({ series: SERIES });
  const kept = await db('waves').where({ organisation_id: organisationId, label: SERIES_LABEL }).first('id');
  if (kept) return String(kept.id);
  const id = crypto.randomUUID();
  await createStore(db).repos.waves.create({
    id, organisationId, instrumentVersionId: (await catalogue.latest('tno-quickscan'))!.id, label: SERIES_LABEL,
    mode: 'anonymous', series: SERIES, minGroupSize: 5, opensOn: '2025-11-24', closesOn: null, status: 'open', publicToken: null,
  });
  await seed(createStore(db), catalogue, id, SERIES_RESPONSES);
  log(`the wave before in series ${SERIES}: ${SERIES_RESPONSES.toLocaleString('en')} responses`);
  return id;
}

/** Runs the reads in a fresh process (bench/results-queries.ts). */
function serve(job: QueryJob): { timings: Timing[]; peakRssTalliedMb: number; peakRssMb: number; copyBytesPerResponse?: number } {
  const child = spawnSync(process.execPath, ['--enable-source-maps', path.join(__dirname, 'results-queries.js'), JSON.stringify(job)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`${job.database}: the query process failed (${child.status})`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

/** Inserts the responses in batches through the responses repository; returns the number of answer rows. */
export async function seed(store: Store, catalogue: InstrumentCatalogue, waveId: string, count: number): Promise<number> {
  const version = (await catalogue.latest('tno-quickscan'))!;
  const types = new Map(instrumentModel(version).questions.map((q) => [q.name, q.type]));
  const random = seededRandom(20261123);
  let rows = 0;
  for (let done = 0; done < count; done += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - done) }, () => quickscanResponse(random));
    if (done === 0) {
      // The generator must produce what the server keeps: validate a sample the way submissions are.
      for (const data of batch.slice(0, 200)) {
        const outcome = validateResponse(version.definition, data);
        if (!outcome.ok) throw new Error(`benchmark data does not validate: ${JSON.stringify(outcome.errors)}`);
      }
    }
    const responses = batch.map((data) => ({
      id: crypto.randomUUID(), submissionId: crypto.randomUUID(), submittedOn: '2026-11-23', data, answers: toAnswerRows(data, types),
    }));
    rows += responses.reduce((n, r) => n + r.answers.length, 0);
    await store.repos.responses.insertMany(waveId, responses);
  }
  return rows;
}

/** Stores responses one at a time through the repository, as the submission endpoint does (each queued for the tallies). */
export async function queueSubmissions(store: Store, catalogue: InstrumentCatalogue, waveId: string, count: number): Promise<number> {
  const version = (await catalogue.latest('tno-quickscan'))!;
  const types = new Map(instrumentModel(version).questions.map((q) => [q.name, q.type]));
  const random = seededRandom(42);
  for (let i = 0; i < count; i++) {
    const data = quickscanResponse(random);
    await store.repos.responses.insert({
      id: crypto.randomUUID(), waveId, submissionId: crypto.randomUUID(), submittedOn: '2026-11-23', data, answers: toAnswerRows(data, types),
    });
  }
  return count;
}

/**
 * One table: per request its median on each database, the median of the hand-written query
 * of the same counts (bench/reference-queries.ts) and their ratio. Targets (issue 17): any
 * filter or grouping within 100 ms on SQLite and 200 ms on PostgreSQL, and within 2x the reference.
 */
export function formatResultsReport(reports: ResultsBenchReport[]): string {
  const lines = ['Results and comparisons: medians in ms; ref = hand-written query of the same counts; targets: < 100 ms SQLite, < 200 ms PostgreSQL, ratio < 2'];
  for (const r of reports) {
    lines.push(`  ${r.database}: ${r.responses.toLocaleString('en')} responses, ${r.answerRows.toLocaleString('en')} answer rows, loaded in ${r.seedSeconds.toFixed(0)} s; `
      + `peak RSS ${r.peakRssTalliedMb.toFixed(0)} MB after the tallied reads, ${r.peakRssMb.toFixed(0)} MB after all; `
      + `columnar copy ${r.copyBytesPerResponse === undefined ? '?' : r.copyBytesPerResponse.toFixed(0)} bytes per response; `
      + `wide table ${r.wide?.bytesPerResponse === undefined || r.wide.bytesPerResponse === null ? '?' : r.wide.bytesPerResponse.toFixed(0)} bytes per response on disk (with its 2 indexes)`
      + `${r.wide?.buildSeconds ? `, built in ${r.wide.buildSeconds.toFixed(0)} s` : ''}`);
  }
  const names = [...new Set(reports.flatMap((r) => r.timings.map((t) => t.name)))];
  const cell = (r: ResultsBenchReport, name: string) => {
    const t = r.timings.find((x) => x.name === name);
    if (!t) return ['', '', '', '', ''];
    return [t.medianMs.toFixed(1), t.referenceMs === undefined ? '' : t.referenceMs.toFixed(1),
      t.referenceMs === undefined ? '' : (t.medianMs / t.referenceMs).toFixed(2), t.minMs === undefined ? '' : t.minMs.toFixed(1), t.cpuMs === undefined ? '' : t.cpuMs.toFixed(1)];
  };
  lines.push('  (min: the fastest run; cpu: median CPU time of the serving process per run, SQLite\'s work included, PostgreSQL\'s server not; both less noisy than the median on a loaded machine)');
  lines.push(`| request | ${reports.map((r) => `${r.database} | ref | ratio | min | cpu`).join(' | ')} |`);
  lines.push(`|---|${reports.map(() => '---:|---:|---:|---:|---:').join('|')}|`);
  for (const name of names) lines.push(`| ${name} | ${reports.map((r) => cell(r, name).join(' | ')).join(' | ')} |`);
  return lines.join('\n');
}
