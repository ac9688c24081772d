import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createUser, createOrganisation, createWave, Account } from '../helpers/app';
import { storeResponses, times } from '../helpers/results';

// 12 professionals and 8 students. Sector ticks: vrouwenopvang 10, veilig thuis 8, anders 6
// (24 ticks by 12 professionals). Institutions: 6 at De Haagse Hogeschool, 2 at the HAN.
// Only 3 people answered c_collegas; 6 wrote something in t5_toelichting.
function wave1(): Array<Record<string, unknown>> {
  const sectors = [
    ...times(6, ['vrouwenopvang', 'veilig_thuis']), ...times(2, ['vrouwenopvang', 'anders']),
    ...times(2, ['veilig_thuis', 'anders']), ...times(2, ['vrouwenopvang', 'anders']),
  ];
  const professionals = sectors.map((b_sector, i) => ({
    b_role: 'professional', b_sector, c_ervaring: i < 8 ? 'ja' : 'nee', e_wenselijk: i < 9 ? 3 : 2,
    t5: { t5_1: i < 6 ? 4 : 5 }, ...(i < 3 ? { c_collegas: 'ja' } : {}), ...(i < 4 ? { t5_toelichting: `Toelichting ${i}` } : {}),
  }));
  const students = Array.from({ length: 8 }, (_, i) => ({
    b_role: 'student', b_instelling: i < 6 ? 'haagse_hogeschool' : 'han', c_ervaring: 'nee', e_wenselijk: 2,
    ...(i < 2 ? { t5_toelichting: `Student ${i}` } : {}),
  }));
  return [...professionals, ...students];
}

describe('results of one wave', () => {
  let t: TestApp;
  let admin: Account;
  let viewer: Account;
  let other: { manager: Account; viewer: Account };
  let waveId: string;
  const get = (path: string, as: Account = admin) => request(t.app).get(path).set('Authorization', `Bearer ${as.token}`);
  const question = (body: { questions: Array<{ name: string }> }, name: string) => body.questions.find((q) => q.name === name) as any; // eslint-disable-line @typescript-eslint/no-explicit-any

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    viewer = await createUser(t.app, admin, { email: 'lezer@noord.test', role: 'viewer' });
    const oost = await createOrganisation(t.app, admin, 'Opvang Oost');
    other = {
      manager: await createUser(t.app, admin, { email: 'manager@oost.test', role: 'manager', organisationId: oost }),
      viewer: await createUser(t.app, admin, { email: 'lezer@oost.test', role: 'viewer', organisationId: oost }),
    };
    waveId = (await createWave(t.app, admin, { label: 'Quickscan 2026' })).id;
    await storeResponses(t.testDb.db, waveId, wave1());
  });
  after(async () => t.close());

  it('counts respondents per answer, in the instrument\'s order, with exact percentages of those who answered', async () => {
    const res = await get(`/api/v1/waves/${waveId}/results`);
    expect(res.status).to.equal(200);
    expect(res.body.n).to.equal(20);
    expect(res.body.suppressed).to.equal(false);
    expect(res.body.wave).to.include({ id: waveId, instrument: 'tno-quickscan', minGroupSize: 5 });
    const wish = question(res.body, 'e_wenselijk');
    expect(wish).to.include({ type: 'radiogroup', kind: 'single', n: 20, missing: 0, suppressed: false });
    expect(wish.options.map((o: { label: string }) => o.label)).to.deep.equal(['Altijd', 'Vaak', 'Soms', 'Nooit']);
    expect(wish.options.map((o: { count: number }) => o.count)).to.deep.equal([0, 9, 11, 0]);
    expect(wish.options[1].percent).to.equal(45);
    const role = question(res.body, 'c_ervaring');
    expect(role.options.map((o: { value: string }) => o.value)).to.deep.equal(['ja', 'nee', 'refused']);
    expect(role.options[2].label).to.equal('Zeg ik liever niet');
  });

  it('gives a checkbox both the share of respondents and the share of all ticks', async () => {
    const sector = question((await get(`/api/v1/waves/${waveId}/results`)).body, 'b_sector');
    expect(sector).to.include({ kind: 'multi', n: 12, missing: 8, mentions: 24 });
    const vrouwenopvang = sector.options.find((o: { value: string }) => o.value === 'vrouwenopvang');
    expect(vrouwenopvang.count).to.equal(10);
    expect(vrouwenopvang.percent).to.be.closeTo(100 * 10 / 12, 1e-9);
    expect(vrouwenopvang.percentOfMentions).to.be.closeTo(100 * 10 / 24, 1e-9);
    expect(vrouwenopvang.percentOfAll).to.equal(50);
  });

  it('gives matrix rows their own n and missing, and counts routed-past respondents as missing', async () => {
    const res = await get(`/api/v1/waves/${waveId}/results`);
    const t5 = question(res.body, 't5');
    expect(t5.options.map((o: { value: number }) => o.value)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(t5.rows[0]).to.include({ name: 't5_1', n: 12, missing: 8, suppressed: false });
    expect(t5.rows[0].options.map((o: { count: number }) => o.count)).to.deep.equal([0, 0, 0, 6, 6]);
    expect(t5.rows[1]).to.include({ name: 't5_2', n: null, missing: null, suppressed: true });
    expect(question(res.body, 'b_instelling')).to.include({ n: 8, missing: 12 });
  });

  it('leaves out the counts of a question fewer than the minimum answered, and how many answered it', async () => {
    const collegas = question((await get(`/api/v1/waves/${waveId}/results`)).body, 'c_collegas');
    // 3 answered: after routing, that number alone can be the small group the minimum protects.
    expect(collegas).to.include({ n: null, missing: null, suppressed: true });
    expect(collegas.options).to.deep.equal([{ value: 'ja', label: 'Ja' }, { value: 'nee', label: 'Nee' }, { value: 'refused', label: 'Zeg ik liever niet' }]);
  });

  it('filters on closed questions and matrix rows, all filters together', async () => {
    const students = await get(`/api/v1/waves/${waveId}/results?filter=b_role:student`);
    expect(students.body.n).to.equal(8);
    expect(students.body.filters).to.deep.equal([{ name: 'b_role', row: null, value: 'student', label: 'Student' }]);
    expect(question(students.body, 'e_wenselijk').options.map((o: { count: number }) => o.count)).to.deep.equal([0, 0, 8, 0]);
    const both = await get(`/api/v1/waves/${waveId}/results?filter=b_role:professional&filter=t5.t5_1:5`);
    expect(both.body.n).to.equal(6);
    // 8 professionals with own experience leave 4 without among the 12 professionals: hidden
    // (the complement rule, test/http/differencing.test.ts).
    const rest = await get(`/api/v1/waves/${waveId}/results?filter=b_role:professional&filter=c_ervaring:ja`);
    expect(rest.body).to.include({ n: null, suppressed: true });
    const row = await get(`/api/v1/waves/${waveId}/results?filter=t5.t5_1:5`);
    expect(row.body.n).to.equal(6);
    expect(row.body.filters[0]).to.deep.equal({ name: 't5', row: 't5_1', value: 5, label: 'Helemaal mee eens' });
  });

  it('says so, without any number, when a filter leaves fewer respondents than the minimum', async () => {
    const res = await get(`/api/v1/waves/${waveId}/results?filter=b_instelling:han`);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ n: null, suppressed: true });
    expect(res.body.message).to.contain('minder dan 5');
    expect(res.body.questions).to.deep.equal([]);
    expect(JSON.stringify(res.body)).not.to.match(/"(count|percent\w*|mentions)"/);
  });

  it('shows no numbers for a wave with fewer responses than its minimum', async () => {
    const small = await createWave(t.app, admin, { label: 'Klein', minGroupSize: 5 });
    await storeResponses(t.testDb.db, small.id, times(4, { b_role: 'student', c_ervaring: 'nee' }));
    const res = await get(`/api/v1/waves/${small.id}/results`);
    expect(res.body).to.include({ n: 4, suppressed: true });
    expect(res.body.questions).to.deep.equal([]);
  });

  it('refuses a filter that is not a closed question, not an answer, or not written as question:answer (422)', async () => {
    for (const filter of ['nope:1', 'b_role:boss', 'b_role', 't5_toelichting:x', 't5:4', 't5.t5_99:4']) {
      const res = await get(`/api/v1/waves/${waveId}/results?filter=${encodeURIComponent(filter)}`);
      expect(res.status, filter).to.equal(422);
      expect(res.body.errors[0].question, filter).to.equal('filter');
    }
    expect((await get(`/api/v1/waves/${waveId}/results?color=blue`)).status).to.equal(400);
  });

  it('gives free-text answers of a large enough group, in random order, and none for a smaller one', async () => {
    const all = await get(`/api/v1/waves/${waveId}/texts?question=t5_toelichting`);
    expect(all.status).to.equal(200);
    expect(all.body.question).to.include({ name: 't5_toelichting', type: 'comment' });
    expect(all.body.texts.map((x: { text: string }) => x.text).sort()).to.deep.equal(
      ['Student 0', 'Student 1', 'Toelichting 0', 'Toelichting 1', 'Toelichting 2', 'Toelichting 3']);
    const orders = new Set<string>();
    for (let i = 0; i < 8; i++) orders.add(JSON.stringify((await get(`/api/v1/waves/${waveId}/texts?question=t5_toelichting`)).body.texts));
    expect(orders.size).to.be.greaterThan(1);
    const few = await get(`/api/v1/waves/${waveId}/texts?question=t5_toelichting&filter=b_instelling:han`);
    expect(few.body).to.include({ suppressed: true, n: null });
    expect(few.body.texts).to.deep.equal([]);
    expect((await get(`/api/v1/waves/${waveId}/texts?question=e_wenselijk`)).status).to.equal(422);
  });

  it('lets a viewer of the organisation read', async () => {
    for (const path of ['results', 'texts?question=t5_toelichting', 'compare?by=b_role', 'summary']) {
      expect((await get(`/api/v1/waves/${waveId}/${path}`, viewer)).status, path).to.equal(200);
    }
  });

  it('answers 404 to another organisation\'s manager and viewer, exactly as for a wave that does not exist', async () => {
    const missing = await get('/api/v1/waves/00000000-0000-4000-8000-000000000000/results', other.manager);
    expect(missing.status).to.equal(404);
    for (const path of ['results', 'texts?question=t5_toelichting', 'compare?by=b_role', 'summary', 'results?filter=b_role:student']) {
      for (const who of [other.manager, other.viewer]) {
        const res = await get(`/api/v1/waves/${waveId}/${path}`, who);
        expect(res.status, path).to.equal(404);
        expect(res.body).to.deep.equal(missing.body);
      }
    }
    expect((await request(t.app).get(`/api/v1/waves/${waveId}/results`)).status).to.equal(401);
  });
});
