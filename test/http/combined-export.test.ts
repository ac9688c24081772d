// Several waves in one export, with a wave column: each wave's rows are k-anonymous within
// their own wave, so combining waves never undoes the suppression of one.
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, createUser, createOrganisation, Account, PASSWORD, login } from '../helpers/app';
import { studentWithoutExperience } from '../helpers/tno';
import { bearer, exportCsv, rowsOf, submit } from '../helpers/csv';
import { sealPending } from '../helpers/seal';

describe('one export of several waves', () => {
  let t: TestApp;
  let admin: Account;
  let first: Awaited<ReturnType<typeof createWave>>;
  let second: Awaited<ReturnType<typeof createWave>>;
  const atMee = () => ({ b_role: 'professional', b_sector: ['mee'], c_ervaring: 'nee' });

  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    first = await createWave(t.app, admin, { label: '0-meting', series: 'quickscan' });
    second = await createWave(t.app, admin, { label: '1-meting', series: 'quickscan' });
    // In the 0-meting she is the only professional at MEE; in the 1-meting there are ten.
    for (let i = 0; i < 6; i++) await submit(t.app, first.token, studentWithoutExperience());
    await submit(t.app, first.token, { ...atMee(), e_wenselijk: 4 });
    for (let i = 0; i < 10; i++) await submit(t.app, second.token, atMee());
    await sealPending(t.testDb.db);
  });
  afterEach(async () => t.close());

  const combined = async (account: Account, query: string) =>
    request(t.app).get(`/api/v1/export.csv?waves=${first.id},${second.id}${query}`).set(bearer(account));

  it('writes every row of both waves with a wave column, each wave k-anonymous on its own rows', async () => {
    const res = await combined(admin, '');
    expect(res.status, res.text).to.equal(200);
    expect(res.headers['content-disposition']).to.contain('tno-quickscan-metingen-antwoorden.csv');
    expect(res.text.startsWith('\uFEFFmeting,volgnummer,b_role,')).to.equal(true);
    const rows = rowsOf(res.text);
    expect(rows.filter((r) => r.meting === '0-meting')).to.have.length(7);
    expect(rows.filter((r) => r.meting === '1-meting')).to.have.length(10);
    // Pooled, her combination would be shared by eleven rows; within her wave it is hers alone, and it stays hidden.
    expect(rows.filter((r) => r.meting === '0-meting' && (r.b_role === 'professional' || r['b_sector.mee'] === '1'))).to.have.length(0);
    expect(rows.filter((r) => r.meting === '1-meting' && r['b_sector.mee'] === '1')).to.have.length(10);
    // Exactly as many blanks in her wave's rows as its own export has.
    const own = rowsOf(await exportCsv(t.app, admin, first.id));
    const blanks = (list: Array<Record<string, string>>) => list.reduce((n, r) => n + Object.values(r).filter((v) => v === 'suppressed').length, 0);
    expect(blanks(rows.filter((r) => r.meting === '0-meting'))).to.equal(blanks(own));
    expect(rows.some((r) => 'datum' in r)).to.equal(false);
    // With codes, as the one-wave export.
    const coded = rowsOf((await combined(admin, '&missing=codes')).text);
    expect(coded.filter((r) => r.meting === '0-meting' && r.b_role === '-9').length).to.be.above(0);
  });

  it('refuses viewers (403), another organisation\'s wave (404), one wave (400) and waves of other instruments (422)', async () => {
    await createUser(t.app, admin, { email: 'lezer@opvang.test', role: 'viewer' });
    const viewer = await login(t.app, 'lezer@opvang.test', PASSWORD);
    expect((await combined(viewer, '')).status).to.equal(403);
    const orgId = await createOrganisation(t.app, admin, 'Opvang Zuid');
    await createUser(t.app, admin, { email: 'zuid@opvang.test', role: 'manager', organisationId: orgId });
    const other = await login(t.app, 'zuid@opvang.test', PASSWORD);
    expect((await combined(other, '')).status).to.equal(404);
    expect((await request(t.app).get(`/api/v1/export.csv?waves=${first.id}`).set(bearer(admin))).status).to.equal(400);
    const weerman = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', label: 'scan', mode: 'identified' });
    const mixed = await request(t.app).get(`/api/v1/export.csv?waves=${first.id},${weerman.id}`).set(bearer(admin));
    expect(mixed.status).to.equal(422);
    expect(mixed.body.error.message).to.contain('scan');
  });
});
