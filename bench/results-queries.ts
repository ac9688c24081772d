// The serving side of the results benchmark, in a process of its own so that its peak
// memory is that of a server answering these requests, not of the process that loaded
// 100,000 responses. Started by bench/results.ts with one JSON argument; prints one JSON line.
import path from 'node:path';
import { createDb } from '../server/db/connection';
import { createStore } from '../server/store';
import { loadInstrumentFiles } from '../server/instruments/instrument-file';
import { createInstrumentCatalogue } from '../server/instruments/catalogue';
import { createResultsService } from '../server/results/service';
import { createResultsRepository } from '../server/results/repository';
import type { CurrentUser } from '../server/auth/scope';

export interface QueryJob {
  database: 'sqlite' | 'postgres';
  sqliteFile?: string;
  postgresUrl?: string;
  pgSchema?: string;
  waveId: string;
  organisationId: string;
  runs: number;
  /** Responses waiting in the tally queue: the first read folds them in. */
  queued: number;
}

export interface Timing {
  name: string;
  medianMs: number;
  runs: number;
}

const SURVEYS_DIR = path.resolve(__dirname, '..', '..', 'surveys');

async function main(job: QueryJob): Promise<void> {
  const db = job.database === 'sqlite' ? createDb({ databaseUrl: null, sqliteFile: job.sqliteFile })
    : createDb({ databaseUrl: job.postgresUrl!, pgSchema: job.pgSchema });
  try {
    const catalogue = await createInstrumentCatalogue(db, loadInstrumentFiles(SURVEYS_DIR));
    const store = createStore(db);
    const user: CurrentUser = { id: 'bench', email: 'bench@spiegel.invalid', role: 'admin', organisationId: job.organisationId };
    const results = createResultsService(store, catalogue);
    // The same service on a repository that ignores the tallies: GROUP BY over the answers table.
    const live = createResultsService({ ...store, repos: { ...store.repos, results: createResultsRepository(db, { useTallies: false }) } }, catalogue);
    const { waveId, runs } = job;

    const timings: Timing[] = [];
    const foldStart = process.hrtime.bigint();
    JSON.stringify(await results.results(user, waveId, []));
    timings.push({ name: `first results after ${job.queued.toLocaleString('en')} submissions (folds them in)`, medianMs: Number(process.hrtime.bigint() - foldStart) / 1e6, runs: 1 });

    // The tallied requests first (what dashboards ask), then those that aggregate the answers table.
    const cases: Array<[string, () => Promise<unknown>, number]> = [
      ['results', () => results.results(user, waveId, []), runs],
      ['compare by b_role (every item)', () => results.compare(user, waveId, 'b_role', []), runs],
      ['results, filter b_role:student', () => results.results(user, waveId, ['b_role:student']), runs],
      ['compare by c_ervaring, filter b_role:student', () => results.compare(user, waveId, 'c_ervaring', ['b_role:student']), runs],
      ['summary (TNO tables and the 3 comparisons)', () => results.summary(user, waveId, []), runs],
      ['results, filter c_collegas:ja (answers table)', () => results.results(user, waveId, ['c_collegas:ja']), 3],
      ['compare by c_collegas, filter b_role:student (answers table)', () => results.compare(user, waveId, 'c_collegas', ['b_role:student']), 3],
      ['results without tallies (answers table)', () => live.results(user, waveId, []), 3],
      ['compare by b_role without tallies (answers table)', () => live.compare(user, waveId, 'b_role', []), 3],
    ];
    let peakRssTalliedMb = 0;
    for (const [name, work, times] of cases) {
      if (name.endsWith('(answers table)') && peakRssTalliedMb === 0) peakRssTalliedMb = process.resourceUsage().maxRSS / 1024;
      JSON.stringify(await work()); // warm: instrument model, statements, caches
      const ms: number[] = [];
      for (let i = 0; i < times; i++) {
        const start = process.hrtime.bigint();
        JSON.stringify(await work());
        ms.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      timings.push({ name, medianMs: median(ms), runs: times });
      console.error(`${job.database}: ${name}: median ${median(ms).toFixed(1)} ms over ${times} runs`);
    }
    console.log(JSON.stringify({ timings, peakRssTalliedMb, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
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
