// The codebook says per variable its measurement level, its missing-value codes and the
// routing that shows it (CSV and JSON), and `?missing=codes` writes missing-value answers
// as those codes, so a Likert scale stays numeric in R and pandas.
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, createUser, Account, PASSWORD } from '../helpers/app';
import { professionalWithExperience, studentWithoutExperience } from '../helpers/tno';
import { bearer, exportCsv, rowsOf, submit } from '../helpers/csv';
import { sealPending } from '../helpers/seal';

describe('codebook levels, missing codes and routing; ?missing=codes', () => {
  let t: TestApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;
  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin);
    await submit(t.app, wave.token, studentWithoutExperience());
    await submit(t.app, wave.token, { ...professionalWithExperience(), c_collegas: 'refused', t8_scholing: 'refused', c_soort: ['refused'] });
  });
  afterEach(async () => t.close());

  it('writes missing-value answers as negative codes with ?missing=codes, keeping the scale numeric', async () => {
    const rows = rowsOf(await exportCsv(t.app, admin, wave.id, '?full=1&missing=codes'));
    const professional = rows.find((r) => r.b_role === 'professional')!;
    expect(professional).to.include({ c_collegas: '-2', t8_scholing: '-2', 'c_soort.refused': '1', 'c_soort.partnergeweld': '-2', e_wenselijk: '2' });
    const student = rows.find((r) => r.b_role === 'student')!;
    expect(student).to.include({ c_collegas: 'nee', t8_scholing: '', 'c_soort.partnergeweld': '' });
    // Without the parameter: the values as before.
    const plain = rowsOf(await exportCsv(t.app, admin, wave.id, '?full=1')).find((r) => r.b_role === 'professional')!;
    expect(plain).to.include({ c_collegas: 'refused', t8_scholing: 'refused', 'c_soort.partnergeweld': '0' });
    // The k-anonymous export writes a blanked value as a code too (2 responses < k: all background blanked).
    const anonymous = rowsOf(await exportCsv(t.app, admin, wave.id, '?missing=codes'));
    expect(anonymous.map((r) => r.b_role)).to.deep.equal(['-9', '-9']);
    expect((await request(t.app).get(`/api/v1/waves/${wave.id}/export.csv?missing=codes&labels=1`).set(bearer(admin))).status).to.equal(400);
    expect((await request(t.app).get(`/api/v1/waves/${wave.id}/export.csv?missing=numbers`).set(bearer(admin))).status).to.equal(400);
  });

  it('lists per variable its level, its missing values with their codes and the routing that shows it (CSV)', async () => {
    const codebook = rowsOf((await request(t.app).get(`/api/v1/waves/${wave.id}/codebook.csv?full=1&missing=codes`).set(bearer(admin))).text);
    const of = (variable: string) => codebook.filter((r) => r.variable === variable);
    expect(of('t8_scholing').map((r) => `${r.value}=${r.label}|${r.missing}`)).to.include('-2=Zeg ik liever niet|ja');
    // Declared ordinal in the instrument (meta.levels).
    expect(of('t8_scholing')[0]).to.include({ level: 'ordinal', shown_if: "c_ervaring = 'ja'" });
    expect(of('t9.t9_1')[0]).to.include({ shown_if: "b_role = 'student'" });
    expect(of('e_wenselijk')[0]).to.include({ shown_if: '' });
    expect(of('volgnummer')[0]).to.include({ level: 'scale' });
    expect(of('c_soort.partnergeweld').map((r) => `${r.value}=${r.missing}`)).to.deep.equal(['1=', '0=', '-2=ja']);
    // Without codes the codebook lists the values as the file holds them.
    const plain = rowsOf((await request(t.app).get(`/api/v1/waves/${wave.id}/codebook.csv?full=1`).set(bearer(admin))).text);
    expect(plain.filter((r) => r.variable === 't8_scholing').map((r) => `${r.value}|${r.missing}`)).to.include('refused|ja');
  });

  it('serves the codebook as JSON, with the codes, the suppressed code and the columns left out', async () => {
    await sealPending(t.testDb.db);
    const res = await request(t.app).get(`/api/v1/waves/${wave.id}/codebook.json?missing=codes`).set(bearer(admin));
    expect(res.status).to.equal(200);
    expect(res.body.missingCodes).to.deep.equal([{ value: 'dontknow', code: -1 }, { value: 'refused', code: -2 }, { value: 'suppressed', code: -9 }]);
    expect(res.body.k).to.equal(5);
    const byName = new Map((res.body.variables as Array<{ name: string }>).map((v) => [v.name, v]));
    expect(byName.get('c_ervaring')).to.deep.include({ level: 'nominal', type: 'string', inFile: true, shownIf: null, suppressedValues: 2 });
    expect(byName.get('t8_scholing')).to.deep.include({ type: 'numeric', shownIf: "c_ervaring = 'ja'" });
    expect(byName.get('e_toelichting')).to.deep.include({ inFile: false });
    expect(byName.has('datum')).to.equal(false);
  });

  it('links the coded export, the SPSS syntax and the R script on the wave page, not for viewers', async () => {
    const page = async (email: string) => {
      const agent = request.agent(t.app);
      await agent.post('/login').type('form').send({ email, password: PASSWORD });
      return (await agent.get(`/waves/${wave.id}`)).text;
    };
    expect(await page('beheer@opvang.test')).to.contain(`href="/api/v1/waves/${wave.id}/export.sps"`)
      .and.contain(`href="/api/v1/waves/${wave.id}/export.R"`).and.contain(`href="/api/v1/waves/${wave.id}/export.csv?missing=codes"`)
      .and.contain(`href="/api/v1/waves/${wave.id}/codebook.json"`);
    await createUser(t.app, admin, { email: 'lezer@opvang.test', role: 'viewer' });
    const asViewer = await page('lezer@opvang.test');
    expect(asViewer).to.contain('data-testid="codebook-link"').and.not.contain('export.sps').and.not.contain('export.R"');
  });

  it('takes the level from the instrument\'s meta.levels where it names one', async () => {
    const { describeVariables } = await import('../../server/csv/variables');
    const { csvColumns } = await import('../../server/csv/columns');
    const instrument = (await t.app.locals.instruments.latest('tno-quickscan'))!;
    const meta = { ...instrument.meta, levels: { e_wenselijk: 'ordinal', f_leren: 'scale', t5: 'ordinal', b_role: 'bogus' } };
    const variables = describeVariables(csvColumns(instrument), { definition: instrument.definition, meta }, { codes: null, suppressible: new Set() });
    const level = (name: string) => variables.find((v) => v.column.name === name)!.level;
    expect([level('e_wenselijk'), level('f_leren'), level('t5.t5_1'), level('b_role'), level('c_ervaring')]).to.deep.equal(['ordinal', 'scale', 'ordinal', 'nominal', 'nominal']);
  });
});
