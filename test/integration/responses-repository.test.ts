import crypto from 'node:crypto';
import { expect } from 'chai';
import { createTestDb, TestDb } from '../helpers/db';
import { testInstrumentFiles } from '../helpers/app';
import { createInstrumentCatalogue } from '../../server/instruments/catalogue';
import { createStore, Store } from '../../server/store';

describe('storing responses', () => {
  let t: TestDb;
  let store: Store;
  let waveId: string;

  beforeEach(async () => {
    t = await createTestDb();
    store = createStore(t.db);
    const catalogue = await createInstrumentCatalogue(t.db, testInstrumentFiles());
    const organisation = await store.repos.organisations.create('Opvang');
    waveId = crypto.randomUUID();
    await store.repos.waves.create({
      id: waveId, organisationId: organisation.id, instrumentVersionId: (await catalogue.latest('tno-quickscan'))!.id,
      label: 'Test', mode: 'anonymous', series: null, minGroupSize: 5, opensOn: null, closesOn: null, status: 'open', publicToken: 'tok_abcdefghijklmnop',
    });
  });
  afterEach(async () => t.close());

  const response = (submissionId: string) => ({
    id: crypto.randomUUID(), waveId, submissionId, submittedOn: '2026-11-22', data: { b_role: 'student' },
    answers: [{ question: 'b_role', row: '', value: 'student', text: null }],
  });

  it('stores the response and its answer rows together', async () => {
    expect(await store.repos.responses.insert(response(crypto.randomUUID()))).to.equal('stored');
    expect(await store.repos.responses.count(waveId)).to.equal(1);
    const answers = await t.db('answers').select('question', 'row', 'value');
    expect(answers).to.deep.equal([{ question: 'b_role', row: '', value: 'student' }]);
  });

  it('answers a second insert of the same submission with "duplicate" and changes nothing', async () => {
    const submissionId = crypto.randomUUID();
    await store.repos.responses.insert(response(submissionId));
    expect(await store.repos.responses.insert(response(submissionId))).to.equal('duplicate');
    expect(await store.repos.responses.count(waveId)).to.equal(1);
    expect(Number((await t.db('answers').count({ n: '*' }).first())!.n)).to.equal(1);
  });

  it('rolls back the response when an answer row cannot be stored', async () => {
    const bad = response(crypto.randomUUID());
    bad.answers.push({ question: 'x'.repeat(5000), row: '', value: 'y', text: null });
    // SQLite does not enforce string lengths; a NOT NULL violation fails on both.
    bad.answers.push({ question: null as unknown as string, row: '', value: 'y', text: null });
    let failed = false;
    try { await store.repos.responses.insert(bad); } catch { failed = true; }
    expect(failed).to.equal(true);
    expect(await store.repos.responses.count(waveId)).to.equal(0);
  });
});
