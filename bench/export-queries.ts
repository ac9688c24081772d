// The serving side of the export benchmark (bench/export.ts), in a process of its own: the
// CSV routes of the app over real HTTP on a kept database, the export as it was before
// (test/helpers/export-before.ts) served the same way, and the reference, a bare SELECT of
// the same responses written to /dev/null. Each figure is the median of interleaved runs,
// so that the machine's load drifts over all of them alike. Prints one JSON line.
// SPIEGEL_EXPORT_PREVIOUS=<another build's dist/> serves that build's CSV routes beside
// this one's (under /previous), its exports timed in the same runs: an optimisation's
// before and after on the same machine under the same load (e.g. a `git archive` of the
// commit before, built with tsc, node_modules linked).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express from 'express';
import { createDb } from '../server/db/connection';
import { createStore } from '../server/store';
import { loadInstrumentFiles } from '../server/instruments/instrument-file';
import { createInstrumentCatalogue } from '../server/instruments/catalogue';
import { createWaveService } from '../server/waves/service';
import { createCsvService } from '../server/csv/service';
import { csvRoutes, sendCsvHeaders } from '../server/csv/routes';
import { createResultsExport } from '../server/csv/results-export';
import { createResultsService } from '../server/results/service';
import { errorHandler } from '../server/http/error-handler';
import { createLogger } from '../server/log';
import type { CurrentUser } from '../server/auth/scope';
import { exportBefore, ExportQueryBefore } from '../test/helpers/export-before';
import type { BenchJob } from './bench-databases';

export interface ExportTiming {
  name: string;
  medianMs: number;
  runs: number;
  referenceMs: number;
  /**
   * The median CPU time of this process (user and system) during the export, and the
   * reference's: on a machine shared with other work a wall-clock time says more about
   * the others than about the export. On SQLite it includes the database's work (in
   * this process), on PostgreSQL not (the server is another process).
   */
  cpuMs: number;
  referenceCpuMs: number;
  bytes: number;
  /** The highest RSS while the export ran, above the RSS when it started. */
  peakRssAboveMb: number;
}

const SURVEYS_DIR = path.resolve(__dirname, '..', '..', 'surveys');

async function main(job: BenchJob): Promise<void> {
  const db = job.database === 'sqlite' ? createDb({ databaseUrl: null, sqliteFile: job.sqliteFile })
    : createDb({ databaseUrl: job.postgresUrl!, pgSchema: job.pgSchema });
  const catalogue = await createInstrumentCatalogue(db, loadInstrumentFiles(SURVEYS_DIR));
  const store = createStore(db);
  const user: CurrentUser = { id: 'bench', email: 'bench@spiegel.invalid', role: 'admin', organisationId: job.organisationId, networkId: null };
  const waves = createWaveService(store, catalogue);
  const csv = createCsvService(store, waves, catalogue);
  const app = express();
  app.use((req, _res, next) => { req.user = user; next(); });
  app.use(csvRoutes(csv, createResultsExport(createResultsService(store, catalogue)), 1 << 20));
  // The export before, served the same way.
  app.get('/before/:id', async (req, res) => {
    const wave = await waves.get(user, String(req.params.id));
    const instrument = (await catalogue.byVersionId(wave.instrumentVersionId))!;
    const query = { labels: '0', sep: ',', full: '0', texts: '0', missing: 'values', ...req.query } as ExportQueryBefore;
    sendCsvHeaders(res, 'before.csv');
    await pipeline(Readable.from(exportBefore(db, [{ wave, instrument }], query)), res);
  });
  const previous = process.env.SPIEGEL_EXPORT_PREVIOUS;
  const previousBuild = previous ? await previousRoutes(path.resolve(previous), job, user) : null;
  if (previousBuild) app.use('/previous', previousBuild.router);
  app.use(errorHandler(createLogger('silent')));
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const download = async (url: string) => {
    const res = await fetch(base + url, { headers: { 'Accept-Encoding': 'identity' } });
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    let bytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
    return bytes;
  };
  // What a developer would write to get the same responses out: one SELECT, each row's text to /dev/null.
  const reference = async () => {
    const rows = (await db('responses').where({ wave_id: job.waveId }).select('data')) as Array<{ data: string }>;
    const sink = fs.createWriteStream('/dev/null');
    let bytes = 0;
    await pipeline(Readable.from((function* () { for (const r of rows) { bytes += r.data.length; yield r.data; } })()), sink);
    return bytes;
  };
  const cases: Array<[string, () => Promise<number>]> = [
    ['export.csv, k-anonymous (random order, blanks)', () => download(`/api/v1/waves/${job.waveId}/export.csv`)],
    ['export.csv?full=1 (stored order)', () => download(`/api/v1/waves/${job.waveId}/export.csv?full=1`)],
    ['export.csv?missing=codes&texts=1, k-anonymous', () => download(`/api/v1/waves/${job.waveId}/export.csv?missing=codes&texts=1`)],
    ['export.csv, k-anonymous (before)', () => download(`/before/${job.waveId}`)],
    ['export.csv?full=1 (before)', () => download(`/before/${job.waveId}?full=1`)],
  ];
  if (previous) {
    cases.push(
      ['export.csv, k-anonymous (previous build)', () => download(`/previous/api/v1/waves/${job.waveId}/export.csv`)],
      ['export.csv?full=1 (previous build)', () => download(`/previous/api/v1/waves/${job.waveId}/export.csv?full=1`)],
      ['export.csv?missing=codes&texts=1 (previous build)', () => download(`/previous/api/v1/waves/${job.waveId}/export.csv?missing=codes&texts=1`)],
    );
  }
  const measure = async (work: () => Promise<number>) => {
    const startRss = process.memoryUsage().rss;
    let peak = startRss;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    const bytes = await work();
    const cpu = process.cpuUsage(cpuStart);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    clearInterval(sampler);
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, bytes, above: (peak - startRss) / 1024 / 1024 };
  };
  await reference(); // warm: statements, caches, the instrument model
  await download(`/api/v1/waves/${job.waveId}/export.csv?full=1`);
  const times = new Map<string, number[]>();
  const cpuTimes = new Map<string, number[]>();
  const peaks = new Map<string, number>();
  const sizes = new Map<string, number>();
  const all: Array<[string, () => Promise<number>]> = [['reference', reference], ...cases];
  for (let run = 0; run < job.runs; run++) {
    for (const [name, work] of all) {
      const { ms, cpuMs, bytes, above } = await measure(work);
      times.set(name, [...(times.get(name) ?? []), ms]);
      cpuTimes.set(name, [...(cpuTimes.get(name) ?? []), cpuMs]);
      peaks.set(name, Math.max(peaks.get(name) ?? 0, above));
      sizes.set(name, bytes);
      console.error(`${job.database}: ${name}: ${ms.toFixed(0)} ms (CPU ${cpuMs.toFixed(0)} ms), ${bytes.toLocaleString('en')} bytes, RSS +${above.toFixed(0)} MB`);
    }
  }
  const referenceMs = median(times.get('reference')!);
  const referenceCpuMs = median(cpuTimes.get('reference')!);
  const timings: ExportTiming[] = cases.map(([name]) => ({
    name, medianMs: median(times.get(name)!), runs: job.runs, referenceMs, cpuMs: median(cpuTimes.get(name)!), referenceCpuMs, bytes: sizes.get(name)!, peakRssAboveMb: peaks.get(name)!,
  }));
  server.close();
  await db.destroy();
  await previousBuild?.db.destroy(); // its pool would keep the process alive
  console.log(JSON.stringify({ timings, referenceBytes: sizes.get('reference') }));
}

/** Another build's CSV routes on its own connection to the same database (SPIEGEL_EXPORT_PREVIOUS). */
async function previousRoutes(dist: string, job: BenchJob, user: CurrentUser): Promise<{ router: express.Router; db: { destroy(): Promise<void> } }> {
  /* eslint-disable @typescript-eslint/no-require-imports -- modules of another build, found at run time */
  const load = (module: string) => require(path.join(dist, 'server', module)) as Record<string, (...args: unknown[]) => unknown>;
  const db = load('db/connection').createDb!(job.database === 'sqlite' ? { databaseUrl: null, sqliteFile: job.sqliteFile }
    : { databaseUrl: job.postgresUrl!, pgSchema: job.pgSchema }) as { destroy(): Promise<void> };
  const files = load('instruments/instrument-file').loadInstrumentFiles!(path.join(dist, '..', 'surveys'));
  const catalogue = await load('instruments/catalogue').createInstrumentCatalogue!(db, files);
  const store = load('store').createStore!(db);
  const csv = load('csv/service').createCsvService!(store, load('waves/service').createWaveService!(store, catalogue), catalogue);
  const resultsExport = load('csv/results-export').createResultsExport!(load('results/service').createResultsService!(store, catalogue));
  const router = express.Router();
  router.use((req, _res, next) => { req.user = user; next(); });
  router.use(load('csv/routes').csvRoutes!(csv, resultsExport, 1 << 20) as express.Router);
  return { router, db };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

if (require.main === module) {
  main(JSON.parse(process.argv[2]!) as BenchJob).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
