import crypto from 'node:crypto';
import { expect } from 'chai';
import { createTestDb, TestDb } from '../helpers/db';
import { testInstrumentFiles } from '../helpers/app';
import { storeResponses } from '../helpers/results';
import { tnoReportResponses } from '../../server/demo/tno-report';
import { createInstrumentCatalogue } from '../../server/instruments/catalogue';
import { createStore, Store } from '../../server/store';
import { createResultsRepository, ScopedWave } from '../../server/results/repository';
import { foldQueuedTallies, rebuildTallies } from '../../server/results/tallies/repository';
import { toAnswerRows } from '../../server/responses/long-format';
import { instrumentModel } from '../../server/results/instrument-model';

describe('answer tallies', () => {
  let t: TestDb;
  let store: Store;
  let wave: ScopedWave;

  beforeEach(async () => {
    t = await createTestDb();
    store = createStore(t.db);
    const catalogue = await createInstrumentCatalogue(t.db, testInstrumentFiles());
    const organisation = await store.repos.organisations.create('Opvang');
    const version = (await catalogue.latest('tno-quickscan'))!;
    const id = crypto.randomUUID();
    await store.repos.waves.create({
      id, organisationId: organisation.id, instrumentVersionId: version.id, label: 'Test', mode: 'anonymous', series: null,
      minGroupSize: 5, opensOn: null, closesOn: null, status: 'open', publicToken: null,
    });
    wave = (await store.repos.results.findWave({ organisationId: null }, id))!;
    // Half one by one (the submission path), half in one batch (bulk loads).
    const data = tnoReportResponses();
    const types = new Map(instrumentModel(version).questions.map((q) => [q.name, q.type]));
    for (const d of data.slice(0, 40)) {
      await store.repos.responses.insert({
        id: crypto.randomUUID(), waveId: id, submissionId: crypto.randomUUID(), submittedOn: '2026-11-23', data: d, answers: toAnswerRows(d, types),
      });
    }
    await storeResponses(t.db, id, data.slice(40));
  });
  afterEach(async () => t.close());

  const snapshot = async () => (await t.db('answer_tallies').where({ wave_id: wave.id })
    .select('by_question', 'by_value', 'question', 'row', 'value', 'respondents'))
    .map((r) => ({ ...r, respondents: Number(r.respondents) }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const sorted = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  it('kept while storing (queued, then folded) are exactly what GROUP BY over the answers gives', async () => {
    expect(Number((await t.db('tally_queue').count({ n: '*' }).first())!.n)).to.equal(40);
    await foldQueuedTallies(t.db, wave.id);
    expect(Number((await t.db('tally_queue').count({ n: '*' }).first())!.n)).to.equal(0);
    const kept = await snapshot();
    await rebuildTallies(t.db, wave.id);
    expect(kept.length).to.be.greaterThan(100);
    expect(await snapshot()).to.deep.equal(kept);
  });

  it('count a queued response once when several folds run at the same time', async () => {
    await Promise.all([foldQueuedTallies(t.db, wave.id), foldQueuedTallies(t.db, wave.id), foldQueuedTallies(t.db, wave.id)]);
    const folded = await snapshot();
    await rebuildTallies(t.db, wave.id);
    expect(await snapshot()).to.deep.equal(folded);
  });

  it('give the same distributions and crosstabs as aggregating the answers table', async () => {
    const live = createResultsRepository(t.db, { useTallies: false, useColumns: false });
    const tallied = store.repos.results;
    const student = { question: 'b_role', row: '', value: 'student' };
    const experience = { question: 'c_ervaring', row: '', value: 'ja' };
    for (const filters of [[], [student], [experience], [student, experience], [experience, { question: 'b_role', row: '', value: 'professional' }]]) {
      expect(sorted(await tallied.distribution(wave, filters)), JSON.stringify(filters)).to.deep.equal(sorted(await live.distribution(wave, filters)));
      expect(await tallied.countRespondents(wave, filters)).to.equal(await live.countRespondents(wave, filters));
    }
    for (const [by, filters] of [['b_role', []], ['c_ervaring', []], ['c_ervaring', [student]], ['b_role', [experience]]] as const) {
      const a = await tallied.crosstab(wave, filters, { question: by, row: '' });
      const b = await live.crosstab(wave, filters, { question: by, row: '' });
      expect(sorted(a.groups), by).to.deep.equal(sorted(b.groups));
      expect(sorted(a.cells), by).to.deep.equal(sorted(b.cells));
    }
  });

  it('are rolled back with a response that cannot be stored', async () => {
    await foldQueuedTallies(t.db, wave.id);
    const queued = Number((await t.db('tally_queue').count({ n: '*' }).first())!.n);
    const before = await snapshot();
    let failed = false;
    try {
      await store.repos.responses.insert({
        id: crypto.randomUUID(), waveId: wave.id, submissionId: crypto.randomUUID(), submittedOn: '2026-11-23', data: {},
        answers: [{ question: 'b_role', row: '', value: 'student', text: null }, { question: null as unknown as string, row: '', value: 'x', text: null }],
      });
    } catch { failed = true; }
    expect(failed).to.equal(true);
    expect(Number((await t.db('tally_queue').count({ n: '*' }).first())!.n)).to.equal(queued);
    await foldQueuedTallies(t.db, wave.id);
    expect(await snapshot()).to.deep.equal(before);
  });
});
