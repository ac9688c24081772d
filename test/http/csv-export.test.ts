import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, createUser, createOrganisation, Account } from '../helpers/app';
import { professionalWithExperience, studentWithoutExperience } from '../helpers/tno';
import { bearer, exportCsv, rowsOf, submit } from '../helpers/csv';
import { csvColumns } from '../../server/csv/columns';
import { prepareResponse } from '../../server/responses/service';

describe('CSV export and codebook', () => {
  let t: TestApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;
  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin);
    await submit(t.app, wave.token, studentWithoutExperience());
    await submit(t.app, wave.token, professionalWithExperience());
  });
  afterEach(async () => t.close());

  // An admin's full export (?full=1) is the file as stored; k-anonymous-export.test.ts holds the default one.
  it('writes one row per response and one column per question, matrix row and choice, UTF-8 with a BOM, as a download', async () => {
    const res = await request(t.app).get(`/api/v1/waves/${wave.id}/export.csv?full=1`).set(bearer(admin));
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="?0-meting-2026-antwoorden\.csv/);
    const text = await exportCsv(t.app, admin, wave.id, '?full=1');
    expect(text.startsWith('\uFEFFvolgnummer,datum,b_role,b_sector.jeugdhulp_opvoeding,')).to.equal(true);
    const instrument = (await t.app.locals.instruments.latest('tno-quickscan'))!;
    expect(text.split('\r\n')[0]!.slice(1).split(',')).to.deep.equal(csvColumns(instrument).map((c) => c.name));
    const rows = rowsOf(text);
    expect(rows).to.have.length(2);
    const student = rows.find((r) => r.b_role === 'student')!;
    expect(student).to.include({ c_ervaring: 'nee', e_wenselijk: '3', 't5.t5_1': '3', 't5.t5_2': '4', 'b_sector.vrouwenopvang': '' });
    const professional = rows.find((r) => r.b_role === 'professional')!;
    expect(professional).to.include({ 'b_sector.vrouwenopvang': '1', 'b_sector.mee': '0', 'c_wanneer.vroeger': '1' });
  });

  it('writes choice texts with ?labels=1 and semicolons with ?sep=;', async () => {
    const labels = rowsOf(await exportCsv(t.app, admin, wave.id, '?labels=1&full=1'));
    expect(labels.find((r) => r.b_role === 'Student')).to.include({ c_ervaring: 'Nee', e_wenselijk: 'Vaak', 't5.t5_1': 'Neutraal' });
    const semicolons = await exportCsv(t.app, admin, wave.id, '?sep=%3B');
    expect(semicolons.split('\r\n')[0]).to.match(/^\uFEFFvolgnummer;b_role;/);
    expect(rowsOf(semicolons, ';')).to.have.length(2);
  });

  it('neutralises formula-like free text while keeping its line breaks and quotes', async () => {
    await submit(t.app, wave.token, { ...studentWithoutExperience(), e_toelichting: '=HYPERLINK("http://x.invalid")\nen "nog" iets, met komma' });
    await submit(t.app, wave.token, { ...studentWithoutExperience(), e_toelichting: '@SUM(1)' });
    const texts = rowsOf(await exportCsv(t.app, admin, wave.id, '?texts=1')).map((r) => r.e_toelichting).filter(Boolean).sort();
    expect(texts).to.deep.equal(["'=HYPERLINK(\"http://x.invalid\")\nen \"nog\" iets, met komma", "'@SUM(1)"]);
  });

  it('holds no date finer than the day and no contact details in an anonymous wave', async () => {
    await submit(t.app, wave.token, { ...studentWithoutExperience(), m_interview: 'ja', m_contact: { naam: 'Marker Naam', email: 'marker@example.invalid' } });
    for (const query of ['?texts=1', '?full=1']) {
      const text = await exportCsv(t.app, admin, wave.id, query);
      expect(text).not.to.contain('Marker').and.not.to.contain('marker@example.invalid').and.not.to.contain('m_interview');
      for (const row of rowsOf(text)) expect(row.datum ?? '2026-01-01').to.match(/^\d{4}-\d{2}-\d{2}$/);
      expect(text).not.to.match(/\d{2}:\d{2}/);
    }
  });

  it('answers 404 for another organisation\'s wave, exactly as for one that does not exist', async () => {
    const otherOrg = await createOrganisation(t.app, admin, 'Opvang Zuid');
    const outsider = await createUser(t.app, admin, { email: 'm@zuid.test', role: 'manager', organisationId: otherOrg });
    for (const path of ['export.csv', 'codebook.csv']) {
      const foreign = await request(t.app).get(`/api/v1/waves/${wave.id}/${path}`).set(bearer(outsider));
      const missing = await request(t.app).get(`/api/v1/waves/00000000-0000-4000-8000-000000000000/${path}`).set(bearer(outsider));
      expect([foreign.status, missing.status]).to.deep.equal([404, 404]);
      expect(foreign.body).to.deep.equal(missing.body);
    }
  });

  it('refuses the per-row export to a viewer (403), and an unknown separator or option with 400', async () => {
    const viewer = await createUser(t.app, admin, { email: 'lezer@opvang.test', role: 'viewer' });
    expect((await request(t.app).get(`/api/v1/waves/${wave.id}/export.csv`).set(bearer(viewer))).status).to.equal(403);
    expect((await request(t.app).get(`/api/v1/waves/${wave.id}/export.csv?sep=|`).set(bearer(admin))).status).to.equal(400);
    expect((await request(t.app).get(`/api/v1/waves/${wave.id}/export.csv?format=xlsx`).set(bearer(admin))).status).to.equal(400);
  });

  it('writes a codebook with variable, question, value and label that describes exactly the export\'s columns', async () => {
    const res = await request(t.app).get(`/api/v1/waves/${wave.id}/codebook.csv`).set(bearer(admin));
    expect(res.status).to.equal(200);
    expect(res.text.startsWith('\uFEFFvariable,question,value,label,suppressed_values,level,missing,shown_if\r\n')).to.equal(true);
    // The measurement level declared in the instrument (meta.levels): t5 is a Likert matrix, b_role nominal.
    const levels = new Map(rowsOf(res.text).map((r) => [r.variable, r.level]));
    expect(levels.get('b_role')).to.equal('nominal');
    expect(levels.get('f_leren')).to.equal('ordinal');
    for (const query of ['', '?texts=1', '?full=1']) {
      const codebook = rowsOf((await request(t.app).get(`/api/v1/waves/${wave.id}/codebook.csv${query}`).set(bearer(admin))).text);
      const exportHeader = (await exportCsv(t.app, admin, wave.id, query)).split('\r\n')[0]!.slice(1).split(',');
      expect([...new Set(codebook.filter((r) => r.value !== 'omitted').map((r) => r.variable))], query).to.deep.equal(exportHeader);
    }
    const codebook = rowsOf(res.text);
    expect(codebook.filter((r) => r.variable === 'c_ervaring').map((r) => `${r.value}=${r.label}`)).to.deep.equal([
      'ja=Ja', 'nee=Nee', 'refused=Zeg ik liever niet', 'suppressed=onderdrukt: weggelaten zodat elke combinatie van achtergrondantwoorden minstens 5 keer voorkomt',
    ]);
  });

  it('streams a wave larger than one page, every response once, in pages of the repository', async () => {
    // Straight into the table, validated once: the export reads the stored result only, and
    // 1,200 live submissions would take a minute on PostgreSQL.
    const instrument = (await t.app.locals.instruments.latest('tno-quickscan'))!;
    const prepared = prepareResponse(instrument, studentWithoutExperience());
    if (!prepared.ok) throw new Error('fixture response is invalid');
    const rows = Array.from({ length: 1203 }, (_, i) => ({
      id: crypto.randomUUID(), wave_id: wave.id, submission_id: crypto.randomUUID(),
      submitted_on: `2026-0${1 + (i % 3)}-1${i % 10}`, data: JSON.stringify(prepared.data),
    }));
    for (let i = 0; i < rows.length; i += 200) await t.testDb.db('responses').insert(rows.slice(i, i + 200));
    const exported = rowsOf(await exportCsv(t.app, admin, wave.id, '?full=1'));
    expect(exported).to.have.length(1205);
    expect(exported.map((r) => Number(r.volgnummer))).to.deep.equal(Array.from({ length: 1205 }, (_, i) => i + 1));
    const days = exported.map((r) => r.datum!);
    expect([...days].sort()).to.deep.equal(days);
    expect(exported.filter((r) => r.b_role === 'student' && r['t5.t5_2'] === '4')).to.have.length(1204);
    // The k-anonymous export reads the same pages twice (background, then rows by id) and
    // gives every response once; the one professional is alone, so her background is blanked.
    const anonymous = rowsOf(await exportCsv(t.app, admin, wave.id));
    expect(anonymous).to.have.length(1205);
    expect(anonymous.map((r) => Number(r.volgnummer))).to.deep.equal(Array.from({ length: 1205 }, (_, i) => i + 1));
    // Hiding her takes four students along (every background value blanked); 1,200 keep theirs.
    expect(anonymous.filter((r) => r.b_role === 'student' && r['t5.t5_2'] === '4')).to.have.length(1200);
    expect(anonymous.filter((r) => r.b_role === 'suppressed' && r.c_ervaring === 'suppressed')).to.have.length(5);
    expect(anonymous.filter((r) => r.b_role === 'professional')).to.have.length(0);
  });
});
