// Migration 20261203040000: the number items of a multiple text stored before f7b6315 (the
// number as text) are moved into the form the code stores now (the number as value), so
// that results, compare and the CSVs count them exactly as answers submitted now; texts that
// are no number the server accepts stay as they are; a second run changes nothing.
//
// Two waves of one instrument get the same answers: "nu" through the respondent's page
// (sealed as always), "oud" written the way the code before f7b6315 wrote them. That write
// goes straight to the tables through knex, the one direct write a test may make: the old
// code that wrote them is gone, and the old form is exactly what the migration is for. It
// writes what sealing wrote then, in one transaction: responses, answers, the tally queue
// and the wave's change counter (queueForTallies, answersAdded).
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import type { Knex } from 'knex';
import { Account, createTestApp, createWave, setupAdmin, TestApp } from '../helpers/app';
import { answerCounts, bearer, exportCsv, rowsOf, submit } from '../helpers/csv';
import { INSTRUMENT } from '../helpers/all-types';
import { sealPending } from '../helpers/seal';
import { migrationSource } from '../../migrations';
import { queueForTallies } from '../../server/results/tallies/repository';
import { answersAdded } from '../../server/results/columns/repository';
import { numberItemsOf } from '../../migrations/20261203040000_count_old_multiple_text_numbers';

const MIGRATION = '20261203040000_count_old_multiple_text_numbers';

interface OldAnswer { question: string; row: string; value: string | null; text: string | null }
interface OldResponse { data: Record<string, unknown>; answers: OldAnswer[]; submittedOn?: string }

/** Runs the migration again, as an upgrade from before it would (down is a no-op). */
async function migrate(db: Knex): Promise<void> {
  await db.migrate.down({ migrationSource, name: MIGRATION });
  await db.migrate.up({ migrationSource, name: MIGRATION });
}

/** Stores responses of a wave as sealing stored them before f7b6315 (see the head of the file). */
async function storeTheOldWay(db: Knex, waveId: string, responses: readonly OldResponse[]): Promise<void> {
  await db.transaction(async (trx) => {
    const ids: string[] = [];
    for (const r of responses) {
      const id = crypto.randomUUID();
      ids.push(id);
      await trx('responses').insert({ id, wave_id: waveId, submission_id: crypto.randomUUID(), submitted_on: r.submittedOn ?? '2026-11-30', data: JSON.stringify(r.data) });
      await trx('answers').insert(r.answers.map((a) => ({ ...a, response_id: id, wave_id: waveId })));
    }
    await queueForTallies(trx, waveId, ids);
    await answersAdded(trx, waveId);
  });
}

describe('migration: multiple-text numbers stored as text before f7b6315', function () {
  this.timeout(180_000);
  let t: TestApp;
  let db: Knex;
  let admin: Account;
  let nu: { id: string; token: string };
  let oud: { id: string; token: string };
  let rommel: { id: string; token: string };

  // tevreden groups of six, four and five; gewicht typed with a decimal comma where it has one.
  const given: Array<{ tevreden: number; lengte: number; gewicht?: string }> = [
    ...[160, 165, 170, 170, 182.5, 190].map((lengte, i) => ({ tevreden: 1, lengte, gewicht: i % 2 ? `${50 + i},5` : `${60 + i}` })),
    ...[150, 171, 171, 199].map((lengte, i) => ({ tevreden: 2, lengte, ...(i === 0 ? {} : { gewicht: `${70 + i}` }) })),
    ...[158, 163, 170, 175, 181].map((lengte, i) => ({ tevreden: 3, lengte, gewicht: `${80 + i},25` })),
  ];

  const results = async (waveId: string) => {
    await sealPending(db);
    const res = await request(t.app).get(`/api/v1/waves/${waveId}/results`).set(bearer(admin));
    expect(res.status).to.equal(200);
    return (res.body as { questions: Array<{ name: string; rows: Array<{ name: string; n: number | null }> }> }).questions.find((q) => q.name === 'maten')!;
  };
  const compare = async (waveId: string) => {
    await sealPending(db);
    const res = await request(t.app).get(`/api/v1/waves/${waveId}/compare`).query({ by: 'tevreden' }).set(bearer(admin));
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).to.equal(200);
    return (res.body as { items: Array<{ name: string }> }).items.filter((i) => i.name === 'maten');
  };
  const frequencies = async (waveId: string) => {
    const res = await request(t.app).get(`/api/v1/waves/${waveId}/results.csv`).set(bearer(admin));
    expect(res.status).to.equal(200);
    return rowsOf(res.text).filter((r) => r.variable.startsWith('maten'));
  };
  /** The export's rows without their running number, in one order (an anonymous export's is random). */
  const exported = async (waveId: string) => rowsOf(await exportCsv(t.app, admin, waveId))
    .map((cells) => JSON.stringify({ ...cells, volgnummer: '' })).sort();
  const tallies = async (waveId: string) => (await db('answer_tallies').where({ wave_id: waveId })
    .select('by_question', 'by_value', 'question', 'row', 'value', 'respondents'))
    .map((r) => JSON.stringify({ ...r, respondents: Number(r.respondents) })).sort();
  const epoch = async (waveId: string) => Number((await db('waves').where({ id: waveId }).first('answers_epoch')).answers_epoch);

  before(async () => {
    t = await createTestApp();
    db = t.testDb.db;
    admin = await setupAdmin(t.app);
    expect((await request(t.app).post('/api/v1/instruments?key=alle-typen').set(bearer(admin)).send(INSTRUMENT)).status).to.equal(201);
    nu = await createWave(t.app, admin, { instrument: 'alle-typen', label: 'Nu', minGroupSize: 3 });
    oud = await createWave(t.app, admin, { instrument: 'alle-typen', label: 'Oud', minGroupSize: 3 });
    rommel = await createWave(t.app, admin, { instrument: 'alle-typen', label: 'Rommel', minGroupSize: 3 });
    for (const g of given) {
      await submit(t.app, nu.token, { tevreden: g.tevreden, maten: { lengte: g.lengte, merk: `merk ${g.lengte}`, ...(g.gewicht ? { gewicht: g.gewicht } : {}) } });
    }
    await sealPending(db);

    // "oud": the same answers as the old code stored them. Before f7b6315 a number item was a
    // text row (value null, text the number). A weight with a decimal comma is from before
    // 065a146 as well, whose data held the text typed ("51,5") where it now holds the number.
    const stored = await db('responses').where({ wave_id: nu.id }).select('id', 'data', 'submitted_on') as Array<{ id: string; data: string; submitted_on: string }>;
    const old: OldResponse[] = [];
    for (const r of stored) {
      const data = JSON.parse(r.data) as { maten: Record<string, unknown> };
      const oldText = (row: string, n: number) => (row === 'gewicht' ? String(n).replace('.', ',') : String(n));
      if (typeof data.maten.gewicht === 'number' && !Number.isInteger(data.maten.gewicht)) data.maten.gewicht = oldText('gewicht', data.maten.gewicht);
      const answers = (await db('answers').where({ response_id: r.id }).select('question', 'row', 'value', 'text') as OldAnswer[])
        .map((a) => (a.question === 'maten' && a.value !== null ? { ...a, value: null, text: oldText(a.row, Number(a.value)) } : a));
      old.push({ data, answers, submittedOn: String(r.submitted_on) });
    }
    const texts = old.flatMap((r) => r.answers).filter((a) => a.question === 'maten' && a.row !== 'merk').map((a) => a.text);
    expect(texts).to.include.members(['51,5', '60', '182.5']);
    expect(old.map((r) => (r.data.maten as Record<string, unknown>).gewicht)).to.include.members(['51,5', 60]);
    await storeTheOldWay(db, oud.id, old);

    // "rommel": texts of number items that are no number the server accepts now.
    await storeTheOldWay(db, rommel.id, [
      { data: { tevreden: 1, maten: { lengte: '1,80 m', gewicht: 'ongeveer 60' } }, answers: [
        { question: 'tevreden', row: '', value: '1', text: null },
        { question: 'maten', row: 'lengte', value: null, text: '1,80 m' },
        { question: 'maten', row: 'gewicht', value: null, text: 'ongeveer 60' },
      ] },
      { data: { tevreden: 2, maten: { gewicht: '600', merk: '42' } }, answers: [
        { question: 'tevreden', row: '', value: '2', text: null },
        // Beyond the numeric validator's maximum (500): not a number the server accepts.
        { question: 'maten', row: 'gewicht', value: null, text: '600' },
        // A text item: a number in it stays a text.
        { question: 'maten', row: 'merk', value: null, text: '42' },
      ] },
    ]);
  });
  after(async () => t.close());

  it('finds the number items of multiple texts on a page, in a panel and under a value name, not in a dynamic panel', () => {
    const items = numberItemsOf({
      pages: [{ name: 'p', elements: [
        { type: 'multipletext', name: 'a', items: [{ name: 'x', inputType: 'number' }, { name: 'y' }] },
        { type: 'panel', name: 'pn', elements: [{ type: 'panel', name: 'inner', elements: [
          { type: 'multipletext', name: 'b', valueName: 'bb', items: [{ name: 'z', validators: [{ type: 'numeric' }] }] },
        ] }] },
        { type: 'multipletext', name: 'c', items: [{ name: 'w' }] },
        { type: 'paneldynamic', name: 'd', panelCount: 1, templateElements: [{ type: 'multipletext', name: 'e', items: [{ name: 'v', inputType: 'number' }] }] },
      ] }],
    });
    expect([...items].map(([q, rows]) => [q, [...rows.keys()]])).to.deep.equal([['a', ['x']], ['bb', ['z']]]);
  });

  it('counts them in results, compare, the frequency CSV and the export exactly as answers submitted now', async () => {
    // Before: the old texts are not counted (which is what the migration is for), and this
    // read leaves the process's columnar copy and read memo of "oud" at the old counts.
    const before = await results(oud.id);
    expect(before.rows.find((r) => r.name === 'lengte')!.n).to.not.equal(given.length);
    expect(await results(oud.id)).to.not.deep.equal(await results(nu.id));
    const epochBefore = await epoch(oud.id);
    // A submission pending from before the change: its answer rows wait as JSON.
    await db('pending_responses').insert({
      id: 'pending-oud', wave_id: rommel.id, submission_id: crypto.randomUUID(), submitted_on: '2026-11-30', held: false,
      data: JSON.stringify({ tevreden: 3, maten: { lengte: 168, gewicht: '66,5' } }),
      answers: JSON.stringify([
        { question: 'tevreden', row: '', value: '3', text: null },
        { question: 'maten', row: 'lengte', value: null, text: '168' },
        { question: 'maten', row: 'gewicht', value: null, text: '66,5' },
      ]),
    });

    await migrate(db);

    const pending = await db('pending_responses').where({ id: 'pending-oud' }).first('data', 'answers');
    expect(JSON.parse(pending.answers)).to.deep.equal([
      { question: 'tevreden', row: '', value: '3', text: null },
      { question: 'maten', row: 'lengte', value: '168', text: null },
      { question: 'maten', row: 'gewicht', value: '66.5', text: null },
    ]);
    expect(JSON.parse(pending.data)).to.deep.equal({ tevreden: 3, maten: { lengte: 168, gewicht: 66.5 } });

    expect(await epoch(oud.id)).to.be.greaterThan(epochBefore);
    expect(await answerCounts(db, oud.id)).to.deep.equal(await answerCounts(db, nu.id));
    // The same answers, so the same tallies (the pending one is sealed into "rommel" by now).
    expect(await tallies(oud.id)).to.deep.equal(await tallies(nu.id));
    const now = await results(nu.id);
    expect(now.rows.find((r) => r.name === 'lengte')!.n).to.equal(given.length);
    expect(await results(oud.id)).to.deep.equal(now);
    const compared = await compare(nu.id);
    expect(compared.some((i) => JSON.stringify(i).includes('"row":"gewicht"'))).to.equal(true);
    expect(await compare(oud.id)).to.deep.equal(compared);
    expect(await frequencies(oud.id)).to.deep.equal(await frequencies(nu.id));
    expect(await exported(oud.id)).to.deep.equal(await exported(nu.id));
  });

  it('leaves texts that are no number the server accepts as they are', async () => {
    const texts = await db('answers').where({ wave_id: rommel.id, question: 'maten' }).whereNotNull('text').orderBy(['row', 'text']).select('row', 'value', 'text');
    expect(texts).to.deep.equal([
      { row: 'gewicht', value: null, text: '600' },
      { row: 'gewicht', value: null, text: 'ongeveer 60' },
      { row: 'lengte', value: null, text: '1,80 m' },
      { row: 'merk', value: null, text: '42' },
    ]);
    const data = (await db('responses').where({ wave_id: rommel.id }).select('data')).map((r) => JSON.parse(r.data).maten);
    expect(data).to.deep.include({ lengte: '1,80 m', gewicht: 'ongeveer 60' });
    expect(data).to.deep.include({ gewicht: '600', merk: '42' });
  });

  it('changes nothing when run a second time', async () => {
    await sealPending(db);
    const snapshot = async () => JSON.stringify(await Promise.all([
      db('answers').whereIn('wave_id', [nu.id, oud.id, rommel.id]).orderBy(['response_id', 'question', 'row', 'value', 'text']).select('response_id', 'question', 'row', 'value', 'text'),
      db('responses').whereIn('wave_id', [nu.id, oud.id, rommel.id]).orderBy('id').select('id', 'data'),
      db('pending_responses').orderBy('id').select('id', 'data', 'answers'),
      db('answer_tallies').orderBy(['wave_id', 'by_question', 'by_value', 'question', 'row', 'value']).select(),
      db('tally_queue').orderBy(['wave_id', 'response_id']).select(),
      db('waves').orderBy('id').select('id', 'answers_epoch'),
      db('wave_answer_changes').orderBy(['wave_id', 'stripe']).select(),
    ]));
    const first = await snapshot();
    await migrate(db);
    expect(await snapshot()).to.equal(first);
  });
});
