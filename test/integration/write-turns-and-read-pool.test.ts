// Writes in turn and heavy reads on a pool of their own (server/db/write-queue.ts,
// readerOf in server/db/connection.ts), and a WAL scrub that does not hold the writer while
// a reader keeps an old snapshot (server/sealing/repository.ts). What these change is how
// long a submission waits beside reads and imports (bench/submissions.ts); here, only that
// each mechanism is there and does what it says (no timings).
import crypto from 'node:crypto';
import path from 'node:path';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createTestDb, onPostgres, TestDb } from '../helpers/db';
import { testInstrumentFiles } from '../helpers/app';
import { storeResponses } from '../helpers/results';
import { seededRandom } from '../helpers/quickscan-stream';
import { quickscanResponse } from '../../bench/quickscan-data';
import { createInstrumentCatalogue } from '../../server/instruments/catalogue';
import { createStore, Store } from '../../server/store';
import { createDb, migrateToLatest, readerOf } from '../../server/db/connection';
import { DB_TIMEOUTS } from '../../server/config';
import { DatabaseTimeoutError } from '../../server/db/errors';
import { columnCacheOf } from '../../server/results/columns/cache';
import { toAnswerRows } from '../../server/responses/long-format';
import { instrumentModel } from '../../server/results/instrument-model';
import { foldQueuedTallies } from '../../server/results/tallies/repository';

type Pool = { numUsed(): number };
const poolOf = (db: Knex) => (db.client as { pool?: Pool }).pool;
const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

(onPostgres ? describe.skip : describe)('writes in turn (SQLite only)', () => {
  let t: TestDb;
  let store: Store;
  beforeEach(async () => {
    t = await createTestDb();
    store = createStore(t.db);
  });
  afterEach(() => t.close());

  it('lets a transaction wait for its turn in the process without taking a connection, then runs it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const order: string[] = [];
    const first = store.transaction(async (repos) => {
      await repos.organisations.create('Eerste');
      await held;
      order.push('first');
    });
    await tick();
    const second = store.transaction(async (repos) => {
      await repos.organisations.create('Tweede');
      order.push('second');
    });
    await tick();
    // Before, the second took a pooled connection and slept in SQLite's busy handler.
    expect(store.writes!.load()).to.deep.equal({ running: true, waiting: 1 });
    expect(poolOf(t.db)!.numUsed()).to.equal(1);
    // The other connections stay free for reads meanwhile.
    expect(Number((await t.db('organisations').count({ n: '*' }))[0].n)).to.equal(0);
    release();
    await Promise.all([first, second]);
    expect(order).to.deep.equal(['first', 'second']);
    expect(store.writes!.load()).to.deep.equal({ running: false, waiting: 0 });
  });

  it('never runs a bounded transaction that was given up while it waited for its turn', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const first = store.transaction(async () => { await held; });
    let ran = false;
    const late = await store.boundedTransaction(50, async () => { ran = true; }).then(() => null, (err: unknown) => err);
    expect(late).to.be.instanceOf(DatabaseTimeoutError);
    release();
    await first;
    await tick();
    expect(ran).to.equal(false);
    expect(store.writes!.load()).to.deep.equal({ running: false, waiting: 0 });
  });

  it('folds queued tallies in the same turn, after the transaction before it', async () => {
    const catalogue = await createInstrumentCatalogue(t.db, testInstrumentFiles());
    const organisation = await store.repos.organisations.create('Opvang');
    const id = crypto.randomUUID();
    await store.repos.waves.create({
      id, organisationId: organisation.id, instrumentVersionId: (await catalogue.latest('tno-quickscan'))!.id, label: 'Test', mode: 'anonymous', series: null,
      minGroupSize: 5, opensOn: null, closesOn: null, status: 'open', publicToken: null,
    });
    const random = seededRandom(5);
    const types = new Map(instrumentModel((await catalogue.latest('tno-quickscan'))!).questions.map((q) => [q.name, q.type]));
    // Sealed, responses are queued for the tallies.
    await store.transaction((repos) => repos.pending.insertResponses(Array.from({ length: 10 }, () => quickscanResponse(random)).map((data) => ({
      id: crypto.randomUUID(), waveId: id, submissionId: crypto.randomUUID(), submittedOn: '2026-12-01', data, answers: toAnswerRows(data, types),
    }))));
    await store.transaction((repos) => repos.pending.sealResponses(id, { min: 0, all: true, limit: 1000 }));
    expect(Number((await t.db('tally_queue').where({ wave_id: id }).count({ n: '*' }))[0].n)).to.be.greaterThan(0);
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const first = store.transaction(async () => { await held; });
    await tick();
    let folded = false;
    const fold = foldQueuedTallies(t.db, id).then((n) => { folded = true; return n; });
    // The fold first reads the queue (no turn needed), then waits for its turn to write.
    for (let i = 0; i < 100 && store.writes!.load().waiting === 0; i++) await tick();
    expect(store.writes!.load()).to.deep.equal({ running: true, waiting: 1 });
    expect(folded).to.equal(false);
    release();
    await first;
    expect(await fold).to.equal(10);
  });

  it('gives up emptying the WAL at once while a reader keeps an older snapshot, rather than holding the writer for the busy timeout', async function () {
    this.timeout(30_000);
    // A busy timeout longer than this test may run: a scrub that waited for the reader would fail it.
    const db = createDb({ databaseUrl: null, sqliteFile: path.join(t.dataDir, 'scrub.sqlite3'), timeouts: { ...DB_TIMEOUTS, sqliteBusyMs: 60_000 } });
    try {
      await migrateToLatest(db);
      const scrubbing = createStore(db);
      await scrubbing.repos.organisations.create('Voor de lezer');
      let release!: () => void;
      const held = new Promise<void>((resolve) => { release = resolve; });
      let reading!: () => void;
      const started = new Promise<void>((resolve) => { reading = resolve; });
      const reader = readerOf(db).transaction(async (trx) => {
        await trx('organisations').select('id');
        reading();
        await held;
      });
      await started;
      await scrubbing.repos.organisations.create('Na de lezer'); // a frame the reader's snapshot does not have
      await scrubbing.repos.pending.copyWal();
      expect(await scrubbing.exclusive((repos) => repos.pending.scrub())).to.equal(false);
      release();
      await reader;
      expect(await scrubbing.exclusive((repos) => repos.pending.scrub())).to.equal(true);
    } finally {
      await db.destroy();
    }
  });
});

describe('the pool for heavy reads', function () {
  this.timeout(60_000);
  let t: TestDb;
  beforeEach(async () => { t = await createTestDb(); });
  afterEach(() => t.close());

  it('is a pool of its own, one per database, that cannot write (SQLite), and ends with the database', async () => {
    // A second instance on the suite's database, to destroy here.
    const db = createDb(onPostgres ? { databaseUrl: process.env.DATABASE_URL!, pgSchema: t.schema } : { databaseUrl: null, sqliteFile: t.file });
    const reader = readerOf(db);
    expect(reader).to.not.equal(db);
    expect(readerOf(db)).to.equal(reader);
    expect(Number((await reader('organisations').count({ n: '*' }))[0].n)).to.equal(0);
    if (!onPostgres) {
      const refused = await reader('organisations').insert({ id: crypto.randomUUID(), name: 'Nee' }).then(() => null, (err: unknown) => err);
      expect(String(refused)).to.match(/readonly/i);
    }
    await db.destroy();
    expect(poolOf(reader)).to.equal(undefined);
  });

  it('is where a wave\'s columnar copy is loaded, not the pool of the submissions', async () => {
    const store = createStore(t.db);
    const catalogue = await createInstrumentCatalogue(t.db, testInstrumentFiles());
    const organisation = await store.repos.organisations.create('Opvang');
    const version = (await catalogue.latest('tno-quickscan'))!;
    const id = crypto.randomUUID();
    await store.repos.waves.create({
      id, organisationId: organisation.id, instrumentVersionId: version.id, label: 'Test', mode: 'anonymous', series: null,
      minGroupSize: 5, opensOn: null, closesOn: null, status: 'open', publicToken: null,
    });
    const random = seededRandom(3);
    await storeResponses(t.db, id, Array.from({ length: 30 }, () => quickscanResponse(random)));
    const wave = (await store.repos.results.findWave({ organisationId: null }, id))!;
    // A filter the tallies do not cover: the copy counts.
    const tallies = await store.repos.results.distribution(wave, [{ question: 't6_belemmerd', row: '', value: '4' }]);
    expect(tallies).to.be.an('array');
    expect(columnCacheOf(readerOf(t.db)).holds(id)).to.equal(true);
    expect(columnCacheOf(t.db).holds(id)).to.equal(false);
  });
});
