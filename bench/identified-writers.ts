// Writers of one identified wave on PostgreSQL: identified submissions are stored sealed at
// once (server/responses/storage.ts), each in its own transaction, and each tells the
// columnar copies of the results that the wave changed (server/results/columns/). Until
// migration 20261202060000 that was a raise of waves.answers_version at the start of the
// transaction, a lock on the wave's row held to the commit, so that the writers of one
// wave went one at a time. Now one of 16 counters is raised just before the commit.
// Measured at the repository, with concurrent writers in one process:
// - "as now": the responses repository's insert, in a transaction as the submission's;
// - "wave row locked first": the same with the wave's row locked at the start (the old shape);
// - "bare": the response and answer rows only (the reference), then with the tally queue,
//   then with the queue and the counter, to see what each adds.
// A benchmark reports; it never fails a test.
import crypto from 'node:crypto';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb, migrateToLatest } from '../server/db/connection';
import { createStore } from '../server/store';
import { loadInstrumentFiles } from '../server/instruments/instrument-file';
import { createInstrumentCatalogue } from '../server/instruments/catalogue';
import { instrumentModel } from '../server/results/instrument-model';
import { createResponseRepository } from '../server/responses/repository';
import { toAnswerRows } from '../server/responses/long-format';
import { queueForTallies } from '../server/results/tallies/repository';
import { answersAdded } from '../server/results/columns/repository';
import { createTempDatabase, postgresReachable } from '../test/helpers/temp-database';
import { quickscanResponse } from './quickscan-data';
import { seededRandom } from '../test/helpers/quickscan-stream';

export interface WritersResult {
  variant: string;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const SURVEYS_DIR = path.resolve(__dirname, '..', '..', 'surveys');

export async function runIdentifiedWritersBench({ writers = 8, seconds = 8, url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' } = {}): Promise<WritersResult[] | null> {
  if (!(await postgresReachable(url))) return null;
  const temp = await createTempDatabase(url, 'spiegel_writers');
  const db = createDb({ databaseUrl: temp.url });
  try {
    await migrateToLatest(db);
    const catalogue = await createInstrumentCatalogue(db, loadInstrumentFiles(SURVEYS_DIR));
    const store = createStore(db);
    const version = (await catalogue.latest('tno-quickscan'))!;
    const types = new Map(instrumentModel(version).questions.map((q) => [q.name, q.type]));
    const organisation = await store.repos.organisations.create('Writers');
    const waveId = crypto.randomUUID();
    await store.repos.waves.create({
      id: waveId, organisationId: organisation.id, instrumentVersionId: version.id, label: 'Identified', mode: 'identified',
      series: null, minGroupSize: 5, opensOn: null, closesOn: null, status: 'open', publicToken: null,
    });
    const random = seededRandom(3);
    const rows = Array.from({ length: 200 }, () => quickscanResponse(random)).map((data) => ({ data, answers: toAnswerRows(data, types) }));
    const response = (i: number) => ({
      id: crypto.randomUUID(), waveId, submissionId: crypto.randomUUID(), submittedOn: '2026-12-01', invitationId: null, ...rows[i % rows.length],
    });
    const bare = async (trx: Knex.Transaction, i: number, queued: boolean) => {
      const r = response(i);
      await trx('responses').insert({ id: r.id, wave_id: waveId, submission_id: r.submissionId, submitted_on: r.submittedOn, data: JSON.stringify(r.data) });
      const answers = r.answers.map((a) => ({ response_id: r.id, wave_id: waveId, question: a.question, row: a.row, value: a.value, text: a.text }));
      for (let k = 0; k < answers.length; k += 100) await trx('answers').insert(answers.slice(k, k + 100));
      if (queued) await queueForTallies(trx, waveId, [r.id]);
    };
    const variants: Array<[string, (trx: Knex.Transaction, i: number) => Promise<unknown>]> = [
      ['as now (one of 16 counters, raised before the commit)', (trx, i) => createResponseRepository(trx).insert(response(i))],
      ['wave row locked first (the old shape)', async (trx, i) => {
        await trx.raw('select id from waves where id = ? for update', [waveId]);
        return createResponseRepository(trx).insert(response(i));
      }],
      ['bare, with the tally queue (the insert without the counter)', (trx, i) => bare(trx, i, true)],
      ['bare, with the tally queue and the counter (the insert without its savepoint)', async (trx, i) => {
        await bare(trx, i, true);
        await answersAdded(trx, waveId);
      }],
      ['bare (response and answer rows only)', (trx, i) => bare(trx, i, false)],
    ];
    const results: WritersResult[] = [];
    for (const [variant, work] of variants) {
      const latencies: number[] = [];
      const until = Date.now() + seconds * 1000;
      let i = 0;
      await Promise.all(Array.from({ length: writers }, async () => {
        while (Date.now() < until) {
          const start = process.hrtime.bigint();
          await db.transaction((trx) => work(trx, i++));
          latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
      }));
      latencies.sort((a, b) => a - b);
      results.push({ variant, perSecond: latencies.length / seconds, p50Ms: latencies[Math.floor(latencies.length / 2)], p99Ms: latencies[Math.floor(latencies.length * 0.99)] });
    }
    return results;
  } finally {
    await db.destroy();
    await temp.drop();
  }
}

export function formatIdentifiedWritersReport(results: WritersResult[] | null): string {
  if (!results) return 'postgres: skipped (nothing answers)';
  return ['Writers of one identified wave, PostgreSQL, 8 concurrent transactions (repository level, not HTTP):',
    '| variant | per second | p50 ms | p99 ms |', '|---|---:|---:|---:|',
    ...results.map((r) => `| ${r.variant} | ${r.perSecond.toFixed(0)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} |`)].join('\n');
}

if (require.main === module) {
  runIdentifiedWritersBench().then((r) => console.log(formatIdentifiedWritersReport(r)), (err) => {
    console.error(err);
    process.exit(1);
  });
}
