// The serving side of the results benchmark, in a process of its own so that its peak
// memory is that of a server answering these requests, not of the process that loaded
// 100,000 responses. Started by bench/results.ts with one JSON argument; prints one JSON line.
import path from 'node:path';
import { createDb, readerOf } from '../server/db/connection';
import { createStore } from '../server/store';
import { loadInstrumentFiles } from '../server/instruments/instrument-file';
import { createInstrumentCatalogue } from '../server/instruments/catalogue';
import { createResultsService } from '../server/results/service';
import { createResultsRepository } from '../server/results/repository';
import type { CurrentUser } from '../server/auth/scope';
import { columnCacheOf } from '../server/results/columns/cache';
import { referenceQueries } from './reference-queries';
import { WideTable, wideCrosstab } from './wide-table';
import type { BenchJob } from './bench-databases';

export interface QueryJob extends BenchJob {
  /** Responses waiting in the tally queue: the first read folds them in. */
  queued: number;
  /** The wave's wide table (bench/wide-table.ts): its filtered crosstabs are timed beside the copy's. */
  wide?: Pick<WideTable, 'table' | 'columns'>;
  skipSlow?: boolean;
  /** How long each request runs before it is timed (ms): WARM_MS when not given. */
  warmMs?: number;
  /** The series the wave is in, and the wave before it in that series (bench/results.ts, seriesWave). */
  series?: { name: string; before: string };
}

export interface Timing {
  name: string;
  medianMs: number;
  /** The fastest run, and the median CPU time of this process per run (SQLite's work included; PostgreSQL's server not): on a loaded machine less noisy than the median. */
  minMs?: number;
  cpuMs?: number;
  runs: number;
  /** The median of a hand-written query of the same counts (the reference), when there is one. */
  referenceMs?: number;
}

const SURVEYS_DIR = path.resolve(__dirname, '..', '..', 'surveys');

/**
 * Each request runs this long (at most WARM_RUNS times) before it is timed, as in a server
 * that has answered it a while. V8 compiles a request's code on its background threads
 * (TurboFan) and deoptimizes and recompiles it for the first few hundred runs: a comparison
 * by b_role cost 5-7 ms of CPU a run over its first 200 runs, most of it the compiler, and
 * 1.9 ms after 1,000 (2026-12-01). One warm-up run, as before, timed the compiler.
 */
const WARM_MS = 2000;
const WARM_RUNS = 500;

async function main(job: QueryJob): Promise<void> {
  const db = job.database === 'sqlite' ? createDb({ databaseUrl: null, sqliteFile: job.sqliteFile })
    : createDb({ databaseUrl: job.postgresUrl!, pgSchema: job.pgSchema });
  try {
    const catalogue = await createInstrumentCatalogue(db, loadInstrumentFiles(SURVEYS_DIR));
    const store = createStore(db);
    const user: CurrentUser = { id: 'bench', email: 'bench@spiegel.invalid', role: 'admin', organisationId: job.organisationId, networkId: null };
    const results = createResultsService(store, catalogue);
    // The same service on a repository that ignores the tallies and the columnar copies: GROUP BY over the answers table.
    const live = createResultsService({ ...store, repos: { ...store.repos, results: createResultsRepository(db, { useTallies: false, useColumns: false }) } }, catalogue);
    const reference = referenceQueries(db, job.waveId);
    const { waveId, runs } = job;

    const timings: Timing[] = [];
    const foldStart = process.hrtime.bigint();
    JSON.stringify(await results.results(user, waveId, []));
    timings.push({ name: `first results after ${job.queued.toLocaleString('en')} submissions (folds them in)`, medianMs: Number(process.hrtime.bigint() - foldStart) / 1e6, runs: 1 });

    // The tallied requests first (what dashboards ask), then those the columnar copy answers
    // (server/results/columns/), each beside a hand-written query of the same counts
    // (bench/reference-queries.ts), then the old way over the answers table.
    const copyBuild = process.hrtime.bigint();
    JSON.stringify(await results.results(user, waveId, ['c_collegas:ja']));
    timings.push({ name: 'first untallied read (builds the columnar copy)', medianMs: Number(process.hrtime.bigint() - copyBuild) / 1e6, runs: 1 });
    // The same service keeping no answers: every request computed, as the first after a change of the wave's answers.
    const uncached = createResultsService(store, catalogue, { keptAnswers: 0 });
    type Service = typeof results;
    const all = ['', ''] as const;
    const tallied: Array<[string, (service: Service) => Promise<unknown>, Array<readonly [string, string?]>]> = [
      ['results', (service) => service.results(user, waveId, []), [all]],
      ['compare by b_role (every item)', (service) => service.compare(user, waveId, 'b_role', []), [all, ['b_role']]],
      ['results, filter b_role:student', (service) => service.results(user, waveId, ['b_role:student']), [all, ['b_role', 'student']]],
      // Within the filter by the compound tallies, around it (the whole wave) by c_ervaring's.
      ['compare by c_ervaring, filter b_role:student', (service) => service.compare(user, waveId, 'c_ervaring', ['b_role:student']),
        [all, ['b_role', 'student'], ['b_role&c_ervaring'], ['c_ervaring']]],
      // The summary's counts: the whole wave, by b_role, c_ervaring within each b_role and around them (its tables and 3 comparisons).
      ['summary (TNO tables and the 3 comparisons)', (service) => service.summary(user, waveId, []),
        [all, ['b_role'], ['b_role&c_ervaring'], ['c_ervaring']]],
    ];
    const cases: Array<[string, () => Promise<unknown>, number, (() => Promise<unknown>)?]> = [
      // The tallied requests, each asked again at the same version of the wave's answers
      // (server/results/read-memo.ts keeps the answer), then as the first read after a change
      // (a service that keeps none). Their reference reads the tally rows of every grouping
      // the request counts with.
      ...tallied.flatMap(([name, work, groupings]): typeof cases => [
        [name, () => work(results), runs, reference.tallied(groupings)],
        [`${name}, first read after a change`, () => work(uncached), runs, reference.tallied(groupings)],
      ]),
      // The series (GET /api/v1/series/:series): every item per wave and the comparison of the
      // two waves, never kept (it reads several waves). Its counts: each wave's tally rows.
      ...(job.series ? [[`series (the wave and the one before, ${job.series.name}), compared`,
        () => uncached.series(user, job.series!.name, job.organisationId), runs,
        reference.all([reference.tallied([all]), referenceQueries(db, job.series.before).tallied([all])])] as (typeof cases)[number]] : []),
      // What the tallied references leave out: the wave's respondents, counted by hand.
      ['the wave\'s respondents, count(*) (left out of the tallied references)', reference.respondents(), runs],
      // The copy's requests as computed (the service keeping no answers): what the copy costs.
      ['results, filter c_collegas:ja', () => uncached.results(user, waveId, ['c_collegas:ja']), runs,
        reference.distribution([{ question: 'c_collegas', row: '', value: 'ja' }])],
      ['results, filters c_collegas:ja + t5.t5_1:4 + f_leren:4', () => uncached.results(user, waveId, ['c_collegas:ja', 't5.t5_1:4', 'f_leren:4']), runs,
        reference.distribution([{ question: 'c_collegas', row: '', value: 'ja' }, { question: 't5', row: 't5_1', value: '4' }, { question: 'f_leren', row: '', value: '4' }])],
      ['compare by c_collegas, filter b_role:student', () => uncached.compare(user, waveId, 'c_collegas', ['b_role:student']), runs,
        reference.crosstab([{ question: 'b_role', row: '', value: 'student' }], { question: 'c_collegas', row: '' })],
      ['compare by t7.t7_2, filter c_collegas:nee', () => uncached.compare(user, waveId, 't7.t7_2', ['c_collegas:nee']), runs,
        reference.crosstab([{ question: 'c_collegas', row: '', value: 'nee' }], { question: 't7', row: 't7_2' })],
      ['summary, filter c_collegas:ja', () => uncached.summary(user, waveId, ['c_collegas:ja']), runs,
        reference.all([reference.distribution([{ question: 'c_collegas', row: '', value: 'ja' }]),
          reference.crosstab([{ question: 'c_collegas', row: '', value: 'ja' }], { question: 'b_role', row: '' }),
          reference.crosstab([{ question: 'c_collegas', row: '', value: 'ja' }, { question: 'b_role', row: '', value: 'professional' }], { question: 'c_ervaring', row: '' }),
          reference.crosstab([{ question: 'c_collegas', row: '', value: 'ja' }, { question: 'b_role', row: '', value: 'student' }], { question: 'c_ervaring', row: '' })])],
      // The alternative, same counts: SQL over a per-wave wide table (bench/wide-table.ts), against the same references.
      ...(job.wide ? wideCases(job.wide) : []),
      // Seconds each: timed once, without a warm-up.
      ['results without tallies (answers table)', () => live.results(user, waveId, []), 1],
      ['results, filter c_collegas:ja (answers table, before)', () => live.results(user, waveId, ['c_collegas:ja']), 1],
      ['compare by c_collegas, filter b_role:student (answers table, before)', () => live.compare(user, waveId, 'c_collegas', ['b_role:student']), 1],
    ];
    function wideCases(wide: Pick<WideTable, 'table' | 'columns'>): typeof cases {
      const cc = (value: string) => ({ question: 'c_collegas', row: '', value });
      const student = { question: 'b_role', row: '', value: 'student' };
      return [
        ['results, filter c_collegas:ja (wide table, SQL)', wideCrosstab(db, wide, [cc('ja')], null), runs, reference.distribution([cc('ja')])],
        ['compare by c_collegas, filter b_role:student (wide table, SQL)', wideCrosstab(db, wide, [student], { question: 'c_collegas', row: '' }), runs,
          reference.crosstab([student], { question: 'c_collegas', row: '' })],
        ['compare by t7.t7_2, filter c_collegas:nee (wide table, SQL)', wideCrosstab(db, wide, [cc('nee')], { question: 't7', row: 't7_2' }), runs,
          reference.crosstab([cc('nee')], { question: 't7', row: 't7_2' })],
      ];
    }
    if (job.skipSlow) cases.splice(cases.findIndex(([name]) => name.includes('(answers table')));
    let peakRssTalliedMb = 0;
    const time = async (work: () => Promise<unknown>, times: number): Promise<{ median: number; min: number; cpu: number }> => {
      const once = async () => {
        const cpu = process.cpuUsage();
        const start = process.hrtime.bigint();
        JSON.stringify(await work());
        const used = process.cpuUsage(cpu);
        return { ms: Number(process.hrtime.bigint() - start) / 1e6, cpu: (used.user + used.system) / 1e3 };
      };
      if (times > 1) {
        // Warm: instrument model, statements, caches, the compiled code. A query that takes seconds is timed by it alone.
        const first = await once();
        if (first.ms > 1000) return { median: first.ms, min: first.ms, cpu: first.cpu };
        const warmMs = job.warmMs ?? WARM_MS;
        const started = Date.now();
        for (let i = 1; i < WARM_RUNS && Date.now() - started < warmMs; i++) await once();
      }
      const runs = [];
      for (let i = 0; i < times; i++) runs.push(await once());
      return { median: median(runs.map((r) => r.ms)), min: Math.min(...runs.map((r) => r.ms)), cpu: median(runs.map((r) => r.cpu)) };
    };
    for (const [name, work, times, referenceWork] of cases) {
      if (name.includes('(answers table') && peakRssTalliedMb === 0) peakRssTalliedMb = process.resourceUsage().maxRSS / 1024;
      const measured = await time(work, times);
      const medianMs = measured.median;
      const referenceMs = referenceWork ? (await time(referenceWork, times)).median : undefined;
      timings.push({ name, medianMs, minMs: measured.min, cpuMs: measured.cpu, runs: times, ...(referenceMs === undefined ? {} : { referenceMs }) });
      console.error(`${job.database}: ${name}: median ${medianMs.toFixed(1)} ms over ${times} runs${referenceMs === undefined ? '' : `, reference ${referenceMs.toFixed(1)} ms`}`);
    }
    // Without the answers-table rows (--skip-slow) no such row started: the tallied reads (and the copy's) are all there were.
    if (peakRssTalliedMb === 0) peakRssTalliedMb = process.resourceUsage().maxRSS / 1024;
    const copy = columnCacheOf(readerOf(db)).stats(); // the copies are loaded through the pool for heavy reads
    const responses = Number((await db('responses').where({ wave_id: waveId }).count({ n: '*' }).first())?.n ?? 1);
    console.log(JSON.stringify({ timings, peakRssTalliedMb, peakRssMb: process.resourceUsage().maxRSS / 1024, copyBytesPerResponse: copy.bytes / responses }));
  } finally {
    await db.destroy();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

if (require.main === module) {
  main(JSON.parse(process.argv[2]) as QueryJob).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
