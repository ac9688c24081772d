// What it costs to bring a wave's columnar copy (server/results/columns/) up to date after a
// seal, at a given size of the wave: when the seal was made by this process (its answers
// announced after the commit: announcements.ts) and when another process made it (the
// copy reads the wave's response ids and loads those it lacks). Both in one run, on SQLite
// and PostgreSQL, so that their ratio holds on a loaded machine too.
//
//   npm run build && node dist/bench/copy-freshness.js [--responses 30000] [--seals 15] [--batch 100] [--only sqlite|postgres]
//
// A benchmark reports; it never fails a test.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb, migrateToLatest, readerOf } from '../server/db/connection';
import { createStore, Store } from '../server/store';
import { loadInstrumentFiles } from '../server/instruments/instrument-file';
import { createInstrumentCatalogue } from '../server/instruments/catalogue';
import { instrumentModel } from '../server/results/instrument-model';
import { toAnswerRows } from '../server/responses/long-format';
import { columnCacheFor } from '../server/results/columns/cache';
import { quickscanResponse } from './quickscan-data';
import { seededRandom } from '../test/helpers/quickscan-stream';
import { createTempDatabase, postgresReachable } from '../test/helpers/temp-database';

interface Options { responses: number; seals: number; batch: number }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 10) / 10;

async function measure(database: 'sqlite' | 'postgres', { responses, seals, batch }: Options): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-copy-freshness-'));
  const pg = database === 'postgres' ? await createTempDatabase(process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 'spiegel_bench') : null;
  const open = () => (pg ? createDb({ databaseUrl: pg.url }) : createDb({ databaseUrl: null, sqliteFile: path.join(dir, 'spiegel.db') }));
  const db = open();
  let other: Knex | null = null;
  try {
    await migrateToLatest(db);
    const store = createStore(db);
    const catalogue = await createInstrumentCatalogue(db, loadInstrumentFiles(path.resolve(__dirname, '..', '..', 'surveys')));
    const version = (await catalogue.latest('tno-quickscan'))!;
    const types = new Map(instrumentModel(version).questions.map((q) => [q.name, q.type]));
    const organisation = await store.repos.organisations.create('Opvang');
    const waveId = crypto.randomUUID();
    await store.repos.waves.create({
      id: waveId, organisationId: organisation.id, instrumentVersionId: version.id, label: 'Verversen', mode: 'anonymous', series: null,
      minGroupSize: 5, opensOn: null, closesOn: null, status: 'open', publicToken: null,
    });
    const random = seededRandom(2026);
    const response = () => {
      const data = quickscanResponse(random);
      return { id: crypto.randomUUID(), submissionId: crypto.randomUUID(), submittedOn: '2026-12-03', data, answers: toAnswerRows(data, types) };
    };
    for (let i = 0; i < responses; i += 2000) {
      await store.repos.responses.insertMany(waveId, Array.from({ length: Math.min(2000, responses - i) }, response));
    }
    const cache = columnCacheFor(db, readerOf(db));
    const started = process.hrtime.bigint();
    await cache.current(waveId);
    const buildMs = Number(process.hrtime.bigint() - started) / 1e6;

    /** `batch` submissions stored pending and sealed by `by`; then the copy's check timed. */
    const sealThenCheck = async (by: Store): Promise<number> => {
      await by.transaction((repos) => repos.pending.insertResponses(Array.from({ length: batch }, () => ({ ...response(), waveId }))));
      await by.transaction((repos) => repos.pending.sealResponses(waveId, { min: 5, all: true, limit: 10_000 }));
      const start = process.hrtime.bigint();
      await cache.current(waveId);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const own: number[] = [];
    for (let i = 0; i < seals; i++) own.push(await sealThenCheck(store));
    other = open();
    const otherStore = createStore(other);
    const foreign: number[] = [];
    for (let i = 0; i < seals; i++) foreign.push(await sealThenCheck(otherStore));
    const n = (await cache.current(waveId))!.n;
    const checks = cache.checks();
    return `${database.padEnd(9)} ${String(n).padStart(8)} ${String(round(buildMs)).padStart(9)} ${String(round(median(own))).padStart(12)} ${String(round(median(foreign))).padStart(14)} ${String(round(median(foreign) / median(own))).padStart(6)}   built ${checks.built}, diffed ${checks.diffed}, announced ${checks.announced}; load ${os.loadavg()[0].toFixed(1)}`;
  } finally {
    await other?.destroy();
    await db.destroy();
    await pg?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

async function main(): Promise<void> {
  const options = { responses: option('responses', 30_000), seals: option('seals', 15), batch: option('batch', 100) };
  const index = process.argv.indexOf('--only');
  const only = index >= 0 ? process.argv[index + 1] : undefined;
  console.log(`Bringing a wave's columnar copy up to date after a seal of ${options.batch} (medians of ${options.seals}, ms); load ${os.loadavg()[0].toFixed(1)}`);
  console.log('database  in copy   build ms   own seal ms   other process ms  ratio');
  for (const database of ['sqlite', 'postgres'] as const) {
    if (only && only !== database) continue;
    if (database === 'postgres' && !(await postgresReachable(process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'))) continue;
    console.log(await measure(database, options));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
