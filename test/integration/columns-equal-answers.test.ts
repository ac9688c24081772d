// The columnar copies of the results (server/results/columns/) give exactly what the SQL over
// the answers table gives, on random filters and groupings (seeded), and stay so while
// another process (another knex instance, with a cache of its own) seals, stores and voids.
import crypto from 'node:crypto';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createTestDb, onPostgres, TestDb } from '../helpers/db';
import { testInstrumentFiles } from '../helpers/app';
import { storeResponses } from '../helpers/results';
import { seededRandom } from '../helpers/quickscan-stream';
import { tnoReportResponses } from '../../server/demo/tno-report';
import { quickscanResponse } from '../../bench/quickscan-data';
import { createInstrumentCatalogue } from '../../server/instruments/catalogue';
import { createStore, Store } from '../../server/store';
import { createResultsRepository, ResultsRepository, ScopedWave } from '../../server/results/repository';
import { createDb, readerOf } from '../../server/db/connection';
import { toAnswerRows } from '../../server/responses/long-format';
import { instrumentModel } from '../../server/results/instrument-model';
import type { Filter } from '../../server/results/filters';
import { columnCacheOf, createColumnCache } from '../../server/results/columns/cache';

const sorted = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('columnar copies of the answers', function () {
  this.timeout(180_000);
  let t: TestDb;
  let store: Store;
  let wave: ScopedWave;
  let types: Map<string, string>;
  let other: Knex | null = null;

  beforeEach(async () => {
    t = await createTestDb();
    store = createStore(t.db);
    const catalogue = await createInstrumentCatalogue(t.db, testInstrumentFiles());
    const organisation = await store.repos.organisations.create('Opvang');
    const version = (await catalogue.latest('tno-quickscan'))!;
    types = new Map(instrumentModel(version).questions.map((q) => [q.name, q.type]));
    const id = crypto.randomUUID();
    await store.repos.waves.create({
      id, organisationId: organisation.id, instrumentVersionId: version.id, label: 'Test', mode: 'anonymous', series: null,
      minGroupSize: 5, opensOn: null, closesOn: null, status: 'open', publicToken: null,
    });
    wave = (await store.repos.results.findWave({ organisationId: null }, id))!;
    const random = seededRandom(17);
    await storeResponses(t.db, id, [...tnoReportResponses(), ...Array.from({ length: 300 }, () => quickscanResponse(random))]);
  });
  afterEach(async () => {
    await other?.destroy();
    other = null;
    await t.close();
  });

  /** A second "process" on the same database: its own knex, so its own cache. */
  const secondProcess = (): Knex => {
    other = onPostgres ? createDb({ databaseUrl: process.env.DATABASE_URL!, pgSchema: t.schema }) : createDb({ databaseUrl: null, sqliteFile: t.file });
    return other;
  };

  async function expectEqual(copy: ResultsRepository, sql: ResultsRepository, seed: number, rounds: number): Promise<void> {
    const random = seededRandom(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const answers: Filter[] = (await t.db('answers').whereNotNull('value').distinct('question', 'row', 'value'))
      .map((r: Filter) => ({ question: r.question, row: r.row, value: r.value }));
    const groupings = [...new Map(answers.filter((a) => types.get(a.question) !== 'checkbox')
      .map((a) => [`${a.question} ${a.row}`, { question: a.question, row: a.row }])).values()];
    const singles = [...new Set(answers.filter((a) => a.row === '' && types.get(a.question) !== 'checkbox').map((a) => a.question))];
    expect(answers.length).to.be.greaterThan(50);
    for (let round = 0; round < rounds; round++) {
      const filters = Array.from({ length: Math.floor(random() * 3) }, () => pick(answers));
      const by = pick(groupings);
      const label = JSON.stringify({ round, filters, by });
      const answeredFor = random() < 0.5 ? undefined : [pick(singles), pick(singles)];
      expect(await copy.countRespondents(wave, filters), label).to.equal(await sql.countRespondents(wave, filters));
      expect(sorted(await copy.distribution(wave, filters, answeredFor)), label).to.deep.equal(sorted(await sql.distribution(wave, filters, answeredFor)));
      const [a, b] = [await copy.crosstab(wave, filters, by, answeredFor), await sql.crosstab(wave, filters, by, answeredFor)];
      expect(sorted(a.groups), label).to.deep.equal(sorted(b.groups));
      expect(sorted(a.cells), label).to.deep.equal(sorted(b.cells));
      expect([...await copy.groupSizes(wave, filters, by)].sort(), label).to.deep.equal([...await sql.groupSizes(wave, filters, by)].sort());
      const [first, second] = [pick(singles), random() < 0.3 ? null : pick(singles)];
      expect(sorted(await copy.jointCounts(wave, filters, first, second)), label).to.deep.equal(sorted(await sql.jointCounts(wave, filters, first, second)));
      const pairs = [{ first: 'f_leren', second: 't6_belemmerd' }, { first: pick(singles), second: pick(singles) }];
      expect(sorted(await copy.differences(wave, filters, pairs, ['1', '2', '3', '4', '5'])), label)
        .to.deep.equal(sorted(await sql.differences(wave, filters, pairs, ['1', '2', '3', '4', '5'])));
    }
  }

  it('count as the answers table does, on random filters and groupings', async () => {
    const copy = createResultsRepository(t.db, { useTallies: false });
    const sql = createResultsRepository(t.db, { useTallies: false, useColumns: false });
    await expectEqual(copy, sql, 4242, 30);
    expect(columnCacheOf(readerOf(t.db)).stats().waves).to.equal(1);
  });

  it('see what another process seals, stores and voids before they answer', async () => {
    const db2 = secondProcess();
    const copy = createResultsRepository(db2, { useTallies: false });
    const sql = createResultsRepository(t.db, { useTallies: false, useColumns: false });
    await expectEqual(copy, sql, 1, 3); // the copy in the second process is built now
    const random = seededRandom(5);
    const student = [{ question: 'b_role', row: '', value: 'student' }];
    const before = await copy.countRespondents(wave, student);

    // Pending responses are in no copy; sealed, they are.
    const pendingData = Array.from({ length: 12 }, () => quickscanResponse(random));
    await t.db.transaction((trx) => createStore(trx as unknown as Knex).repos.pending.insertResponses(pendingData.map((data) => ({
      id: crypto.randomUUID(), waveId: wave.id, submissionId: crypto.randomUUID(), submittedOn: '2026-11-23', data, answers: toAnswerRows(data, types),
    }))));
    expect(await copy.countRespondents(wave, student)).to.equal(before);
    await t.db.transaction((trx) => createStore(trx as unknown as Knex).repos.pending.sealResponses(wave.id, { min: 0, all: true, limit: 1000 }));
    expect(await copy.countRespondents(wave, student)).to.equal(await sql.countRespondents(wave, student));
    expect(await copy.countRespondents(wave, student)).to.be.greaterThan(before);

    // Stored directly (identified waves), one by one and in a group commit, and in bulk.
    const one = quickscanResponse(random);
    await store.repos.responses.insert({ id: crypto.randomUUID(), waveId: wave.id, submissionId: crypto.randomUUID(), submittedOn: '2026-11-23', data: one, answers: toAnswerRows(one, types) });
    await t.db.transaction((trx) => createStore(trx as unknown as Knex).repos.responses.insertBatch([quickscanResponse(random), quickscanResponse(random)].map((data) => ({
      id: crypto.randomUUID(), waveId: wave.id, submissionId: crypto.randomUUID(), submittedOn: '2026-11-23', data, answers: toAnswerRows(data, types),
    }))));
    await storeResponses(t.db, wave.id, [quickscanResponse(random), quickscanResponse(random)]);
    await expectEqual(copy, sql, 2, 10);

    // Voided (deleted): the copy starts again.
    const victim = (await t.db('responses').where({ wave_id: wave.id }).first('id')).id;
    await t.db('responses').where({ id: victim }).update({ invitation_id: null });
    await t.db.transaction(async (trx) => {
      await trx('responses').where({ id: victim }).delete();
      const { rebuildTallies } = await import('../../server/results/tallies/repository');
      await rebuildTallies(trx, wave.id);
    });
    await expectEqual(copy, sql, 3, 10);
  });

  it('hold a few bytes per response, and are dropped when unused', async () => {
    const copy = createResultsRepository(t.db, { useTallies: false });
    await copy.countRespondents(wave, [{ question: 'b_role', row: '', value: 'student' }]);
    const cache = columnCacheOf(readerOf(t.db)); // loaded through the pool for heavy reads
    const responses = await store.repos.responses.count(wave.id);
    const perResponse = cache.stats().bytes / responses;
    // Arrays grow by doubling: at this size up to half of them is room to grow.
    expect(perResponse).to.be.greaterThan(10).and.below(400);
    cache.clear();
    expect(cache.stats()).to.deep.equal({ waves: 0, bytes: 0 });

    // A second wave: the first one's copy goes when idle too long, or when both do not fit.
    const second = crypto.randomUUID();
    await store.repos.waves.create({
      id: second, organisationId: wave.organisationId, instrumentVersionId: wave.instrumentVersionId, label: 'Twee', mode: 'anonymous', series: null,
      minGroupSize: 5, opensOn: null, closesOn: null, status: 'open', publicToken: null,
    });
    await storeResponses(t.db, second, tnoReportResponses().slice(0, 20));
    const idle = createColumnCache(t.db, { idleMs: 1, maxBytes: 1 << 30 });
    await idle.current(wave.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await idle.current(second))!.n).to.equal(20);
    expect(idle.stats().waves).to.equal(1);
    const small = createColumnCache(t.db, { idleMs: 60_000, maxBytes: 1 });
    await small.current(wave.id);
    await small.current(second);
    expect(small.stats().waves).to.equal(1);
    expect(await small.current('no-such-wave')).to.equal(null);
  });

  it('find the responses they lack by their ids, and load the wave again when a held one is gone unannounced', async () => {
    const db2 = secondProcess();
    const copy = createResultsRepository(db2, { useTallies: false });
    const sql = createResultsRepository(t.db, { useTallies: false, useColumns: false });
    await expectEqual(copy, sql, 7, 2);
    // No order column to go by: the new responses are found by the ids the copy lacks.
    expect(Object.keys(await t.db('responses').columnInfo())).to.not.include('sealed_batch');
    const random = seededRandom(8);
    await storeResponses(t.db, wave.id, [quickscanResponse(random), quickscanResponse(random), quickscanResponse(random)]);
    await expectEqual(copy, sql, 9, 3);
    // A response deleted without raising the epoch (no code does this; a hand edit could),
    // then one more stored: the held ids no longer all exist, so the copy is built again.
    const victim = (await t.db('responses').where({ wave_id: wave.id }).first('id')).id;
    await t.db('responses').where({ id: victim }).delete();
    await storeResponses(t.db, wave.id, [quickscanResponse(random)]);
    await expectEqual(copy, sql, 10, 3);
  });

  it('take in what this process adds without reading the ids again, and count every change committed before the read began', async () => {
    const copy = createResultsRepository(t.db, { useTallies: false });
    const sql = createResultsRepository(t.db, { useTallies: false, useColumns: false });
    await expectEqual(copy, sql, 21, 2); // built now
    const cache = columnCacheOf(readerOf(t.db));
    const before = cache.checks();
    const random = seededRandom(22);
    const student = [{ question: 'b_role', row: '', value: 'student' }];
    const submissions = (count: number) => Array.from({ length: count }, () => {
      const data = quickscanResponse(random);
      return { id: crypto.randomUUID(), waveId: wave.id, submissionId: crypto.randomUUID(), submittedOn: '2026-11-23', data, answers: toAnswerRows(data, types) };
    });
    // Seals of this process, each committed while a read is under way (its check may have
    // begun before the commit): the read that begins after the commit counts the batch.
    for (let i = 0; i < 6; i++) {
      await store.transaction((repos) => repos.pending.insertResponses(submissions(7)));
      const during = copy.countRespondents(wave, student);
      await store.transaction((repos) => repos.pending.sealResponses(wave.id, { min: 5, all: false, limit: 1000 }));
      await during;
      expect(await copy.countRespondents(wave, student), `seal ${i}`).to.equal(await sql.countRespondents(wave, student));
      expect(await copy.countRespondents(wave, []), `seal ${i}`).to.equal(await sql.countRespondents(wave, []));
    }
    // Stored directly (identified waves), one by one, in a group commit and in bulk; and a
    // seal rolled back, which tells the copy nothing.
    await store.repos.responses.insert(submissions(1)[0]);
    await store.transaction((repos) => repos.responses.insertBatch(submissions(3)));
    await storeResponses(t.db, wave.id, [quickscanResponse(random), quickscanResponse(random)]);
    await store.transaction((repos) => repos.pending.insertResponses(submissions(6)));
    await store.transaction(async (repos) => {
      await repos.pending.sealResponses(wave.id, { min: 5, all: true, limit: 1000 });
      throw new Error('rolled back');
    }).catch(() => undefined);
    await expectEqual(copy, sql, 23, 5);
    const after = cache.checks();
    expect(after.announced).to.be.greaterThan(before.announced);
    expect({ built: after.built, diffed: after.diffed }).to.deep.equal({ built: before.built, diffed: before.diffed });

    // Another process's change is announced there, not here: found by the ids.
    await storeResponses(secondProcess(), wave.id, [quickscanResponse(random)]);
    await expectEqual(copy, sql, 24, 2);
    expect(cache.checks().diffed).to.equal(after.diffed + 1);
  });

  it('answer what the tallies hold, in a read that brought the copy up to date already, without folding the tally queue', async () => {
    const { asOneRead } = await import('../../server/results/one-read');
    const tallied = createResultsRepository(t.db);
    const sql = createResultsRepository(t.db, { useTallies: false, useColumns: false });
    const untallied = [{ question: 't6_belemmerd', row: '', value: '4' }];
    await tallied.countRespondents(wave, untallied); // the copy is built
    const random = seededRandom(31);
    // Sealed: queued for the tallies, not yet folded into them.
    await store.transaction((repos) => repos.pending.insertResponses(Array.from({ length: 6 }, () => {
      const data = quickscanResponse(random);
      return { id: crypto.randomUUID(), waveId: wave.id, submissionId: crypto.randomUUID(), submittedOn: '2026-11-23', data, answers: toAnswerRows(data, types) };
    })));
    await store.transaction((repos) => repos.pending.sealResponses(wave.id, { min: 5, all: true, limit: 1000 }));
    const queued = async () => Number((await t.db('tally_queue').where({ wave_id: wave.id }).count({ n: '*' }).first())?.n ?? 0);
    const waiting = await queued();
    expect(waiting).to.be.greaterThan(0);
    const by = { question: 'b_role', row: '' };
    const [n, whole, groups, sizes] = await asOneRead(async () => [
      await tallied.countRespondents(wave, untallied), await tallied.distribution(wave, []),
      await tallied.crosstab(wave, [], by), await tallied.groupSizes(wave, [], by),
    ] as const);
    expect(await queued()).to.equal(waiting); // not folded
    expect(n).to.equal(await sql.countRespondents(wave, untallied));
    expect(sorted(whole)).to.deep.equal(sorted(await sql.distribution(wave, [])));
    const fromSql = await sql.crosstab(wave, [], by);
    expect(sorted(groups.groups)).to.deep.equal(sorted(fromSql.groups));
    expect(sorted(groups.cells)).to.deep.equal(sorted(fromSql.cells));
    expect([...sizes].sort()).to.deep.equal([...await sql.groupSizes(wave, [], by)].sort());
    // A read of the tallies alone, in a process holding the copy, counts on the copy too (it
    // checks it first, one statement with the wave: service.ts): still no fold.
    expect(sorted(await asOneRead(() => tallied.distribution(wave, [{ question: 'b_role', row: '', value: 'student' }]))))
      .to.deep.equal(sorted(await sql.distribution(wave, [{ question: 'b_role', row: '', value: 'student' }])));
    expect(await queued()).to.equal(waiting);
    // Without a copy, a read of the tallies folds, as before.
    await asOneRead(() => createResultsRepository(t.db, { useColumns: false }).distribution(wave, []));
    expect(await queued()).to.equal(0);
  });

  it('let writers of one wave raise different counters, and see each raise', async () => {
    const { answersAdded, answersVersion, STRIPES } = await import('../../server/results/columns/repository');
    const before = (await answersVersion(t.db, wave.id))!.version;
    for (let i = 0; i < 40; i++) await answersAdded(t.db, wave.id);
    expect((await answersVersion(t.db, wave.id))!.version).to.equal(before + 40);
    const stripes = await t.db('wave_answer_changes').where({ wave_id: wave.id }).select('stripe');
    // 40 raises over 16 stripes at random: all on one stripe would be a lock per wave again.
    expect(stripes.length).to.be.greaterThan(1).and.at.most(STRIPES);
  });
});
