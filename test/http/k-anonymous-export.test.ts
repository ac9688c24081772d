import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, createUser, Account } from '../helpers/app';
import { professionalWithExperience, studentWithoutExperience } from '../helpers/tno';
import { bearer, exportCsv, rowsOf, submit } from '../helpers/csv';
import { sealPending } from '../helpers/seal';

const BACKGROUND = ['b_role', 'b_sector', 'b_instelling', 'b_voltijd', 'c_ervaring'];
/** A row's background cells (every column of a background question), as one string. */
const combinationOf = (row: Record<string, string>) =>
  JSON.stringify(Object.keys(row).filter((c) => BACKGROUND.includes(c.split('.')[0]!)).sort().map((c) => `${c}=${row[c]}`));

describe('the per-row export of an anonymous wave is k-anonymous on the background questions', () => {
  let t: TestApp;
  let admin: Account;
  let manager: Account;
  let viewer: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;
  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    manager = await createUser(t.app, admin, { email: 'manager@opvang.test', role: 'manager' });
    viewer = await createUser(t.app, admin, { email: 'lezer@opvang.test', role: 'viewer' });
    wave = await createWave(t.app, admin); // minimum group size 5
    // Five students, five professionals in the same sectors, and one professional who is the
    // only one in her sector ('mee'): role × sector × experience singles her out.
    for (let i = 0; i < 5; i++) await submit(t.app, wave.token, { ...studentWithoutExperience(), e_wenselijk: 1 + (i % 4) });
    for (let i = 0; i < 5; i++) await submit(t.app, wave.token, { ...professionalWithExperience(), f_leren: 1 + (i % 5) });
    await submit(t.app, wave.token, { ...professionalWithExperience(), b_sector: ['mee'], e_toelichting: 'Ik ben de enige bij MEE, dat weet iedereen.' });
    // Sealed, as closing the wave would: the stored order is then the one the export must not keep.
    await sealPending(t.testDb.db);
  });
  afterEach(async () => t.close());

  it('blanks background values until every combination is shared by at least the minimum group size, keeping every row', async () => {
    const rows = rowsOf(await exportCsv(t.app, manager, wave.id));
    expect(rows).to.have.length(11);
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(combinationOf(row), (counts.get(combinationOf(row)) ?? 0) + 1);
    expect(Math.min(...counts.values())).to.be.at.least(5);
    expect(rows.filter((r) => r['b_sector.mee'] === '1')).to.have.length(0);
    // Blanked, not emptied: the code says so in every column of the question.
    const blanked = rows.filter((r) => r['b_sector.mee'] === 'suppressed');
    expect(blanked.length).to.be.at.least(1);
    for (const row of blanked) expect(row['b_sector.vrouwenopvang']).to.equal('suppressed');
    // The students' real missing sector stays empty: a blank is not a missing answer.
    expect(rows.filter((r) => r.b_role === 'student').map((r) => r['b_sector.mee'])).to.deep.equal(['', '', '', '', '']);
    // Other answers are untouched.
    expect(rows.map((r) => r.e_wenselijk).sort()).to.deep.equal(['1', '1', '2', '2', '2', '2', '2', '2', '2', '3', '4']);
  });

  it('has no day column and numbers the rows 1..n', async () => {
    const text = await exportCsv(t.app, manager, wave.id);
    const header = text.split('\r\n')[0]!.slice(1).split(',');
    expect(header).not.to.include('datum');
    expect(header[0]).to.equal('volgnummer');
    expect(text).not.to.match(/\d{4}-\d{2}-\d{2}/);
    expect(rowsOf(text).map((r) => Number(r.volgnummer))).to.deep.equal(Array.from({ length: 11 }, (_, i) => i + 1));
  });

  it('puts the rows in a random order, not the order they are stored in', async () => {
    const stored = (await t.testDb.db('responses').where({ wave_id: wave.id }).orderBy(['submitted_on', 'id']).select('data'))
      .map((r: { data: string }) => JSON.parse(r.data)) as Array<Record<string, unknown>>;
    const orderOf = (rows: Array<Record<string, string>>) => rows.map((r) => `${r.b_role}|${r.e_wenselijk}|${r.f_leren}`).join(',');
    const storedOrder = stored.map((d) => `${d.b_role}|${d.e_wenselijk}|${d.f_leren ?? ''}`).join(',');
    const orders = new Set<string>();
    // 11 rows: two exports in the same order by chance is 1 in 11! (40 million).
    for (let i = 0; i < 3; i++) orders.add(orderOf(rowsOf(await exportCsv(t.app, manager, wave.id))));
    expect(orders.size).to.equal(3);
    expect(orders.has(storedOrder)).to.equal(false);
    const sorted = (order: string) => order.split(',').sort().join(',');
    expect([...orders].map(sorted)).to.deep.equal([...orders].map(() => sorted(storedOrder)));
  });

  it('blanks the same rows in every download, so that two downloads lined up by their answers undo nothing', async () => {
    // Which of a combination's rows lend a value is fixed per wave: chosen anew each time, two
    // downloads would show the same person blanked in one and whole in the other.
    // Four more professionals like the five: the lone MEE professional's blanked row now needs
    // only four of their nine rows to lend their sector, so which four is a choice.
    for (let i = 0; i < 4; i++) await submit(t.app, wave.token, { ...professionalWithExperience(), f_leren: 1 + (i % 5), e_wenselijk: 3 });
    await sealPending(t.testDb.db);
    const contentOf = (text: string) => rowsOf(text).map((r) => JSON.stringify(Object.entries(r).filter(([c]) => c !== 'volgnummer'))).sort().join('\n');
    const first = contentOf(await exportCsv(t.app, manager, wave.id));
    expect(first).to.contain('suppressed');
    for (let i = 0; i < 5; i++) expect(contentOf(await exportCsv(t.app, manager, wave.id))).to.equal(first);
  });

  it('leaves free texts out unless asked with ?texts=1, and says so in the codebook', async () => {
    const text = await exportCsv(t.app, manager, wave.id);
    expect(text).not.to.contain('enige bij MEE').and.not.to.contain('e_toelichting');
    const withTexts = await exportCsv(t.app, manager, wave.id, '?texts=1');
    expect(withTexts).to.contain('Ik ben de enige bij MEE');
    expect(withTexts.split('\r\n')[0]).not.to.contain('datum');
    const codebook = rowsOf((await request(t.app).get(`/api/v1/waves/${wave.id}/codebook.csv`).set(bearer(viewer))).text);
    expect(codebook.find((r) => r.variable === 'e_toelichting')).to.include({ value: 'omitted' });
    const exportHeader = text.split('\r\n')[0]!.slice(1).split(',');
    expect([...new Set(codebook.filter((r) => r.value !== 'omitted').map((r) => r.variable))]).to.deep.equal(exportHeader);
  });

  it('lists the suppressed code in the codebook with the number of values blanked per variable', async () => {
    const rows = rowsOf(await exportCsv(t.app, manager, wave.id));
    const res = await request(t.app).get(`/api/v1/waves/${wave.id}/codebook.csv`).set(bearer(viewer));
    expect(res.status).to.equal(200);
    expect(res.text.startsWith('\uFEFFvariable,question,value,label,suppressed_values,level,missing,shown_if\r\n')).to.equal(true);
    const suppressedRows = rowsOf(res.text).filter((r) => r.value === 'suppressed');
    const counted = new Map(suppressedRows.map((r) => [r.variable, Number(r.suppressed_values)]));
    for (const column of ['b_role', 'b_sector.mee', 'b_sector.vrouwenopvang', 'b_instelling', 'b_voltijd', 'c_ervaring']) {
      expect(counted.get(column), column).to.equal(rows.filter((r) => r[column] === 'suppressed').length);
    }
    expect(counted.get('b_sector.mee')).to.be.above(0);
    expect(counted.has('e_wenselijk')).to.equal(false);
  });

  it('gives an admin the full export with ?full=1, with day, texts and every value, and records who and when', async () => {
    const text = await exportCsv(t.app, admin, wave.id, '?full=1');
    const rows = rowsOf(text);
    expect(rows.filter((r) => r['b_sector.mee'] === '1')).to.have.length(1);
    expect(text).to.contain('Ik ben de enige bij MEE');
    for (const row of rows) expect(row.datum).to.match(/^\d{4}-\d{2}-\d{2}$/);
    const recorded = await t.testDb.db('full_exports').where({ wave_id: wave.id });
    expect(recorded).to.have.length(1);
    expect(recorded[0]).to.include({ user_email: 'beheer@opvang.test' });
    expect(Date.now() - Date.parse(recorded[0].exported_at)).to.be.within(0, 10 * 60 * 1000);
  });

  it('refuses ?full=1 to a manager and a viewer with 403, and records nothing', async () => {
    for (const who of [manager, viewer]) {
      const res = await request(t.app).get(`/api/v1/waves/${wave.id}/export.csv?full=1`).set(bearer(who));
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('forbidden');
      expect(res.text).not.to.contain('MEE');
    }
    expect(await t.testDb.db('full_exports').where({ wave_id: wave.id })).to.have.length(0);
  });

  it('names the risk on a page before an admin starts a full export, and shows the record on the wave page', async () => {
    const page = async (who: Account, path: string) => request(t.app).get(path).set(bearer(who)).set('Accept', 'text/html');
    const wavePage = (await page(admin, `/waves/${wave.id}`)).text;
    expect(wavePage).to.contain(`href="/waves/${wave.id}/export/full"`);
    expect(wavePage).not.to.contain('export.csv?full=1');
    const confirm = await page(admin, `/waves/${wave.id}/export/full`);
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.contain('data-testid="full-export-risk"').and.contain('kan haar regel in dit bestand terugvinden');
    expect(confirm.text).to.contain(`href="/api/v1/waves/${wave.id}/export.csv?full=1"`);
    expect(confirm.text).to.contain('nog nooit volledig geëxporteerd');
    expect((await page(manager, `/waves/${wave.id}/export/full`)).status).to.equal(403);
    expect((await page(manager, `/waves/${wave.id}`)).text).not.to.contain('/export/full');

    await exportCsv(t.app, admin, wave.id, '?full=1');
    const after = (await page(admin, `/waves/${wave.id}`)).text;
    expect(after).to.match(/data-testid="full-export-log"><li>\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC · beheer@opvang.test<\/li>/);
  });

  it('refuses the per-row export to a viewer, k-anonymous or not', async () => {
    for (const query of ['', '?texts=1', '?full=1']) {
      expect((await request(t.app).get(`/api/v1/waves/${wave.id}/export.csv${query}`).set(bearer(viewer))).status).to.equal(403);
    }
  });
});

describe('the per-row export of an identified wave', () => {
  let t: TestApp;
  let admin: Account;
  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
  });
  afterEach(async () => t.close());

  it('stays as it was (the day, the texts, no blanks) for staff, and is refused to a viewer', async () => {
    const wave = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', mode: 'identified', label: 'MT-scan 2026' });
    const imported = await request(t.app).post(`/api/v1/waves/${wave.id}/import`).set(bearer(admin)).set('Content-Type', 'text/csv')
      .send('datum,rol,w01_vragen\r\n2026-03-02,bestuur_management,Alleen ik ben bestuurder\r\n');
    expect(imported.status, JSON.stringify(imported.body)).to.equal(200);
    const manager = await createUser(t.app, admin, { email: 'manager@opvang.test', role: 'manager' });
    const rows = rowsOf(await exportCsv(t.app, manager, wave.id));
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ datum: '2026-03-02', rol: 'bestuur_management', w01_vragen: 'Alleen ik ben bestuurder' });
    const viewer = await createUser(t.app, admin, { email: 'lezer@opvang.test', role: 'viewer' });
    expect((await request(t.app).get(`/api/v1/waves/${wave.id}/export.csv`).set(bearer(viewer))).status).to.equal(403);
  });
});
