import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, createUser, createOrganisation, Account } from '../helpers/app';
import { professionalWithExperience, studentWithoutExperience } from '../helpers/tno';
import { bearer, importCsv, exportCsv, rowsOf, submit } from '../helpers/csv';
import { sealPending } from '../helpers/seal';

describe('results and comparisons as CSV', () => {
  let t: TestApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;
  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin, { minGroupSize: 3 });
    for (let i = 0; i < 4; i++) {
      await submit(t.app, wave.token, { ...studentWithoutExperience(), e_wenselijk: 1 + (i % 4) });
      await submit(t.app, wave.token, professionalWithExperience());
    }
    await sealPending(t.testDb.db); // as a close would: an open wave's last sealed batch is held back
  });
  afterEach(async () => t.close());

  const get = (path: string) => request(t.app).get(path).set(bearer(admin));

  it('writes the frequency tables with the same counts and percentages as the results API', async () => {
    const api = (await get(`/api/v1/waves/${wave.id}/results`)).body;
    const res = await get(`/api/v1/waves/${wave.id}/results.csv`);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
    const rows = rowsOf(res.text);
    const role = api.questions.find((q: { name: string }) => q.name === 'b_role');
    for (const option of role.options) {
      const line = rows.find((r) => r.variable === 'b_role' && r.value === String(option.value))!;
      expect(Number(line.count)).to.equal(option.count);
      expect(Number(line.percent)).to.equal(option.percent);
    }
    const t5 = rows.filter((r) => r.variable === 't5.t5_1');
    expect(t5.map((r) => r.label)).to.deep.equal(['Helemaal mee oneens', 'Oneens', 'Neutraal', 'Mee eens', 'Helemaal mee eens']);
    expect(t5.reduce((sum, r) => sum + Number(r.count), 0)).to.equal(8);
  });

  it('writes decimal commas with ?sep=; for Dutch Excel', async () => {
    const res = await get(`/api/v1/waves/${wave.id}/results.csv?sep=%3B`);
    const line = rowsOf(res.text, ';').find((r) => r.variable === 'e_wenselijk' && r.value === '4')!;
    expect(line.percent).to.match(/^\d+,\d+$/);
  });

  it('writes a comparison as crosstab cells with the test, p, adjusted p and V of the compare API', async () => {
    const api = (await get(`/api/v1/waves/${wave.id}/compare?by=b_role`)).body;
    const res = await get(`/api/v1/waves/${wave.id}/compare.csv?by=b_role`);
    expect(res.status).to.equal(200);
    const rows = rowsOf(res.text);
    const tested = api.items.find((i: { test: unknown; name: string }) => i.test && i.name === 'e_wenselijk');
    const lines = rows.filter((r) => r.variable === 'e_wenselijk');
    expect(lines).to.have.length(tested.groups.length * tested.categories.length);
    expect(Number(lines[0]!.p)).to.equal(tested.test.p);
    expect(Number(lines[0]!.p_adjusted)).to.equal(tested.test.pAdjusted);
    expect(Number(lines[0]!.cramers_v)).to.equal(tested.test.cramersV);
    expect(lines[0]!.text).to.equal(tested.test.text);
    expect(lines.reduce((sum, r) => sum + Number(r.count), 0)).to.equal(tested.test.n);
    // The unadjusted p and the family it was adjusted in, as the API names them.
    expect(Number(lines[0]!.p_unadjusted)).to.equal(tested.test.pUnadjusted);
    expect([lines[0]!.family, Number(lines[0]!.family_size), lines[0]!.adjust_method])
      .to.deep.equal([tested.test.family.name, tested.test.family.size, 'holm']);
    const bh = rowsOf((await get(`/api/v1/waves/${wave.id}/compare.csv?by=b_role&adjust=bh`)).text).find((r) => r.variable === 'e_wenselijk');
    expect(bh!.adjust_method).to.equal('bh');
  });

  it('compares an imported earlier round with the current wave', async () => {
    const earlier = await createWave(t.app, admin, { label: '0-meting 2023', minGroupSize: 3 });
    expect((await importCsv(t.app, admin, earlier.id, await exportCsv(t.app, admin, wave.id))).status).to.equal(200);
    const res = await get(`/api/v1/compare.csv?waves=${earlier.id},${wave.id}`);
    expect(res.status).to.equal(200);
    const line = rowsOf(res.text).find((r) => r.variable === 'b_role' && r.group === earlier.id && r.category === 'student')!;
    expect(line).to.include({ group_label: '0-meting 2023', count: '4' });
  });

  it('leaves every number out for a wave below its minimum group size', async () => {
    const small = await createWave(t.app, admin, { label: 'klein' });
    await submit(t.app, small.token, studentWithoutExperience());
    const rows = rowsOf((await get(`/api/v1/waves/${small.id}/results.csv`)).text);
    expect(rows.filter((r) => r.count !== '' || r.n !== '')).to.deep.equal([]);
  });

  it('answers 404 for another organisation\'s wave', async () => {
    const otherOrg = await createOrganisation(t.app, admin, 'Opvang Zuid');
    const outsider = await createUser(t.app, admin, { email: 'm@zuid.test', role: 'manager', organisationId: otherOrg });
    expect((await request(t.app).get(`/api/v1/waves/${wave.id}/results.csv`).set(bearer(outsider))).status).to.equal(404);
    expect((await request(t.app).get(`/api/v1/waves/${wave.id}/compare.csv?by=b_role`).set(bearer(outsider))).status).to.equal(404);
  });
});
