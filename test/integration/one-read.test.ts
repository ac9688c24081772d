// A results request is one read (server/results/one-read.ts): what each of its counts would
// repeat (the wave, the tally queue, tally rows, the copy's check) is done once, and its
// counts come from one state of the columnar copy.
import crypto from 'node:crypto';
import { expect } from 'chai';
import { createTestDb, TestDb } from '../helpers/db';
import { quickscanWave } from '../helpers/quickscan-wave';
import { storeResponses } from '../helpers/results';
import { seededRandom } from '../helpers/quickscan-stream';
import { quickscanResponse } from '../../bench/quickscan-data';
import type { InstrumentCatalogue } from '../../server/instruments/catalogue';
import type { Store } from '../../server/store';
import { createResultsService } from '../../server/results/service';
import { createResultsRepository } from '../../server/results/repository';
import { asOneRead, settledInRead } from '../../server/results/one-read';
import { columnCacheOf } from '../../server/results/columns/cache';
import { countersKey } from '../../server/results/columns/repository';
import type { CurrentUser } from '../../server/auth/scope';
import { dialectName, readerOf } from '../../server/db/connection';
import { instrumentModel } from '../../server/results/instrument-model';
import { toAnswerRows } from '../../server/responses/long-format';

describe('one read per results request', function () {
  this.timeout(120_000);
  let t: TestDb;
  let store: Store;
  let catalogue: InstrumentCatalogue;
  let waveId: string;
  let user: CurrentUser;

  beforeEach(async () => {
    t = await createTestDb();
    ({ store, catalogue, waveId, user } = await quickscanWave(t, { seed: 11, responses: 200 }));
  });
  afterEach(() => t.close());

  it('checks the tally queue, finds the wave and reads each grouping\'s tallies once in a filtered summary', async () => {
    // Computing every time (no answer kept: read-memo.ts), as the first read after a change does.
    const results = createResultsService(store, catalogue, { keptAnswers: 0 });
    await results.summary(user, waveId, ['c_collegas:ja']); // builds the copy
    const queries: string[] = [];
    const withBindings: string[] = [];
    const listen = (q: { sql: string; bindings?: unknown[] }) => {
      queries.push(q.sql);
      withBindings.push(`${q.sql} ${JSON.stringify(q.bindings ?? [])}`);
    };
    // The copy reads through its own pool (server/db/connection.ts, readerOf): count its queries too.
    const pools = [...new Set([t.db, readerOf(t.db)])];
    for (const pool of pools) pool.on('query', listen);
    try {
      await results.summary(user, waveId, ['c_collegas:ja']);
    } finally {
      for (const pool of pools) pool.removeListener('query', listen);
    }
    const count = (pattern: RegExp) => queries.filter((sql) => pattern.test(sql)).length;
    // The queue is checked in the statement that finds the wave, and not read again: the filter
    // brings the copy up to date first, and the whole wave's counts are then made on it (no
    // fold: server/results/repository.ts, copyChecked).
    expect(count(/from .tally_queue./), 'tally queue checks').to.be.at.most(1);
    expect(count(/from .waves. as .w. inner join/), 'wave lookups').to.equal(1);
    // The copy's check takes the change counters read with the wave: no statement of its own.
    expect(queries.filter((sql) => /wave_answer_changes/.test(sql) && !/tally_queue/.test(sql)).length, 'copy checks').to.equal(0);
    expect(count(/pending_responses/), 'pending counts').to.equal(1);
    const tallyReads = withBindings.filter((sql) => /from .answer_tallies./.test(sql));
    // Each grouping's tally rows at most once (the whole wave was read 7 times, 27 tally reads
    // in all, before); with the copy brought up to date by the filter, none.
    expect(new Set(tallyReads).size).to.equal(tallyReads.length);
  });

  it('answers a tallied results or compare read of a wave whose copy the process holds in one statement', async () => {
    const results = createResultsService(store, catalogue, { keptAnswers: 0 });
    await results.results(user, waveId, ['c_collegas:ja']); // builds the copy
    const queries: string[] = [];
    const listen = (q: { sql: string }) => queries.push(q.sql);
    const pools = [...new Set([t.db, readerOf(t.db)])];
    const statementsOf = async (work: () => Promise<unknown>) => {
      queries.length = 0;
      for (const pool of pools) pool.on('query', listen);
      try {
        await work();
      } finally {
        for (const pool of pools) pool.removeListener('query', listen);
      }
      return [...queries];
    };
    // The wave with its state and change counters; the copy's check and every count then in memory
    // (before: the counters again, and with a filter on a grouping question its tally rows first).
    for (const [name, work] of [
      ['results', () => results.results(user, waveId, [])],
      ['results, filter b_role:student', () => results.results(user, waveId, ['b_role:student'])],
      ['compare by b_role', () => results.compare(user, waveId, 'b_role', [])],
      ['compare by c_ervaring, filter b_role:student', () => results.compare(user, waveId, 'c_ervaring', ['b_role:student'])],
    ] as const) {
      const statements = await statementsOf(work);
      expect(statements, name).to.have.length(1);
      expect(statements[0], name).to.match(/wave_answer_changes/);
    }
  });

  it('finds the waves of a comparison of waves, and of a series with their state, in one statement each', async () => {
    const before = crypto.randomUUID();
    await store.repos.waves.create({
      id: before, organisationId: user.organisationId!, instrumentVersionId: (await catalogue.latest('tno-quickscan'))!.id, label: 'Eerder',
      mode: 'anonymous', series: 'reeks', minGroupSize: 5, opensOn: '2025-11-01', closesOn: null, status: 'open', publicToken: null,
    });
    await t.db('waves').where({ id: waveId }).update({ series: 'reeks' });
    const random = seededRandom(14);
    await storeResponses(t.db, before, Array.from({ length: 30 }, () => quickscanResponse(random)));
    const results = createResultsService(store, catalogue, { keptAnswers: 0 });
    await results.results(user, waveId, ['c_collegas:ja']); // the copy of the later wave
    const queries: string[] = [];
    const listen = (q: { sql: string }) => queries.push(q.sql);
    const pools = [...new Set([t.db, readerOf(t.db)])];
    const statementsOf = async (work: () => Promise<unknown>) => {
      queries.length = 0;
      for (const pool of pools) pool.on('query', listen);
      try {
        await work();
      } finally {
        for (const pool of pools) pool.removeListener('query', listen);
      }
      return [...queries];
    };
    const waveLookups = (statements: string[]) => statements.filter((sql) => /from .waves. as .w. inner join/.test(sql)).length;
    expect(waveLookups(await statementsOf(() => results.compareWaves(user, `${before},${waveId}`, []))), 'compare?waves=').to.equal(1);
    const series = await statementsOf(() => results.series(user, 'reeks'));
    // One statement in all: the series' waves with their state (the comparison finds its waves
    // in it, each sealed first if due), and the earlier wave's respondents and tally rows, of
    // which the process holds no copy (was 4 statements: the comparison's waves again, these two).
    // PostgreSQL counts the respondents in a statement of their own (repository.ts: its plan).
    expect(waveLookups(series), 'series').to.equal(1);
    const postgres = dialectName(t.db) === 'postgres';
    expect(series.filter((sql) => !/from .waves. as .w. inner join/.test(sql)), 'series').to.have.length(postgres ? 1 : 0);
    if (postgres) expect(series[1]).to.match(/count\(\*\).*from "responses"/);

    // Responses waiting in the earlier wave's tally queue: its tally rows read with the waves
    // are not taken (the fold changes them first); the series equals one over the answers table.
    const version = (await catalogue.latest('tno-quickscan'))!;
    const types = new Map(instrumentModel(version).questions.map((q) => [q.name, q.type]));
    for (const data of Array.from({ length: 30 }, () => quickscanResponse(random))) {
      await store.repos.responses.insert({ id: crypto.randomUUID(), waveId: before, submissionId: crypto.randomUUID(), submittedOn: '2026-11-23', data, answers: toAnswerRows(data, types) });
    }
    expect(Number((await t.db('tally_queue').where({ wave_id: before }).count({ n: '*' }))[0].n), 'queued').to.be.above(0);
    const live = createResultsService({ ...store, repos: { ...store.repos, results: createResultsRepository(t.db, { useTallies: false, useColumns: false }) } }, catalogue, { keptAnswers: 0 });
    const answered = await results.series(user, 'reeks');
    expect(answered.waves.map((w) => w.n)).to.deep.equal([60, 200]);
    expect(answered).to.deep.equal(await live.series(user, 'reeks'));
  });

  it('keeps a copy that another read brought further than the counters this read found with its wave', async () => {
    const results = createResultsService(store, catalogue, { keptAnswers: 0 });
    const filter = ['c_collegas:ja'];
    await results.results(user, waveId, filter); // builds the copy
    const cache = columnCacheOf(readerOf(t.db));
    const older = (await store.repos.results.waveState(waveId))!.counters;
    const random = seededRandom(13);
    await storeResponses(t.db, waveId, Array.from({ length: 30 }, () => quickscanResponse(random)));
    expect((await asOneRead(() => cache.current(waveId)))!.n).to.equal(230); // another read: the copy takes the 30 in
    const checks = cache.checks();
    // A read that found its wave before those 30 were stored: the copy is not taken back, nor checked again.
    const copy = await asOneRead(async () => {
      settledInRead(countersKey(waveId), older);
      return cache.current(waveId);
    });
    expect(copy!.n).to.equal(230);
    // And the next read, with the counters as they are, finds nothing to do: no difference of ids.
    expect((await asOneRead(() => cache.current(waveId)))!.n).to.equal(230);
    expect(cache.checks()).to.deep.equal(checks);
  });

  it('counts from one state of the copy within a read, and sees a change in the next', async () => {
    const repo = createResultsRepository(t.db, { useTallies: false });
    const wave = (await repo.findWave({ organisationId: null }, waveId))!;
    const filter = [{ question: 'c_collegas', row: '', value: 'ja' }];
    const before = await repo.countRespondents(wave, filter);
    const random = seededRandom(12);
    const more = Array.from({ length: 40 }, () => ({ ...quickscanResponse(random), c_collegas: 'ja' }));
    const [inside, after] = await asOneRead(async () => {
      const first = await repo.countRespondents(wave, filter);
      await storeResponses(t.db, waveId, more);
      return [first, await repo.countRespondents(wave, filter)];
    });
    expect(inside).to.equal(before);
    expect(after).to.equal(before);
    expect(await repo.countRespondents(wave, filter)).to.equal(before + 40);
  });
});
