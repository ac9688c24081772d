// Several Spiegel processes on one PostgreSQL database: the way to grow beyond one machine.
// Two real server processes (started together, different ports, one fresh temporary
// database) take one stream of submissions, with retries of the same submissionId sent to
// both at the same moment. Nothing may be lost or doubled, and the results must be those of
// a single process given each submission once. PostgreSQL only: the suite's second CI run
// sets DATABASE_URL. Needs `npm run build` (the servers run from dist/).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createDb } from '../../server/db/connection';
import { startSpiegel, SpiegelProcess } from '../helpers/spiegel-process';
import { createTempDatabase, TempDatabase } from '../helpers/temp-database';
import { createQuickscanWave, getJson, setupAndLogin } from '../helpers/api-client';
import { quickscanSubmissions, seededRandom, Submission } from '../helpers/quickscan-stream';
import { answerCounts, expectWholeResponses } from '../helpers/stored-responses';
import { onPostgres } from '../helpers/db';
import { sealPending } from '../helpers/seal';

const SUBMISSIONS = 300;
const RETRIED_SHARE = 0.35;
const CONCURRENT_JOBS = 8;

async function send(baseUrl: string, token: string, submission: Submission): Promise<number> {
  const res = await fetch(`${baseUrl}/s/${token}/responses`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submission),
  });
  await res.arrayBuffer();
  return res.status;
}

async function inParallel<T>(jobs: Array<() => Promise<T>>, concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < jobs.length) await jobs[next++]();
  }));
}

const suite = onPostgres ? describe : describe.skip;

suite('two Spiegel processes on one PostgreSQL database (runs only when DATABASE_URL is set)', function () {
  this.timeout(120_000);
  const dataDirs: string[] = [];
  let pg: TempDatabase;
  const servers: SpiegelProcess[] = [];
  let db: Knex | null = null;

  before(async () => {
    pg = await createTempDatabase(process.env.DATABASE_URL!);
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.kill()));
    await db?.destroy();
    await pg?.drop();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-two-'));
    dataDirs.push(dataDir);
    // Each process has a data directory of its own; they share the database and JWT_SECRET.
    return startSpiegel({ dataDir, databaseUrl: pg.url });
  };

  it('store every submission exactly once, with retries sent to both at once, and give the results of a single process', async () => {
    // Started at the same moment: both migrate and load the instruments into one database.
    const [a, b] = await Promise.all([start(), start()]);
    servers.push(a, b);
    const bearer = await setupAndLogin(a);
    const wave = await createQuickscanWave(a.baseUrl, bearer, 'Twee processen');
    // A token signed by one process is good on the other.
    expect((await getJson(b.baseUrl, `/api/v1/waves/${wave.id}`, bearer)).status).to.equal(200);

    const submissions = quickscanSubmissions(SUBMISSIONS, 1234);
    const sent = new Map(submissions.map((s) => [s.submissionId, s.data]));
    const statuses = new Map<string, number[]>(submissions.map((s) => [s.submissionId, []]));
    const record = (s: Submission) => (status: number) => { statuses.get(s.submissionId)!.push(status); };
    const random = seededRandom(99);
    const jobs = submissions.map((s) => {
      const [first, second] = random() < 0.5 ? [a, b] : [b, a];
      if (random() >= RETRIED_SHARE) return () => send(first.baseUrl, wave.token, s).then(record(s));
      // A retry: the same submission to both processes at once, and now and then a third time.
      return async () => {
        await Promise.all([
          send(first.baseUrl, wave.token, s).then(record(s)),
          send(second.baseUrl, wave.token, s).then(record(s)),
          ...(random() < 0.3 ? [send(first.baseUrl, wave.token, s).then(record(s))] : []),
        ]);
      };
    });
    await inParallel(jobs, CONCURRENT_JOBS);

    const wrong = [...statuses].filter(([, list]) => list.filter((x) => x === 201).length !== 1 || list.some((x) => x !== 201 && x !== 200));
    expect(wrong, 'each submission: one 201, and 200 (duplicate) for every other copy').to.deep.equal([]);
    db = createDb({ databaseUrl: pg.url });
    const stored = await expectWholeResponses(db, wave.id, sent);
    expect(stored.size).to.equal(SUBMISSIONS);

    // The same submissions, each once, through one process.
    await b.stop();
    const single = await createQuickscanWave(a.baseUrl, bearer, 'Eén proces');
    const singleStatuses: number[] = [];
    await inParallel(submissions.map((s) => () => send(a.baseUrl, single.token, s).then((x) => { singleStatuses.push(x); })), CONCURRENT_JOBS);
    expect(singleStatuses.filter((x) => x !== 201)).to.deep.equal([]);

    await sealPending(db); // what the servers left pending below the minimum, as closing the waves would
    expect(Object.fromEntries(await answerCounts(db, wave.id)), 'answer rows per question, row and value')
      .to.deep.equal(Object.fromEntries(await answerCounts(db, single.id)));
    const results = async (id: string) => {
      const res = await getJson(a.baseUrl, `/api/v1/waves/${id}/results`, bearer);
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).to.equal(200);
      const body = res.body as { n: number; questions: unknown };
      return { n: body.n, questions: body.questions };
    };
    const [two, one] = await Promise.all([results(wave.id), results(single.id)]);
    expect(two.n).to.equal(SUBMISSIONS);
    expect(two).to.deep.equal(one);
  });
});
