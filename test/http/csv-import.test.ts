import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, createUser, createOrganisation, Account } from '../helpers/app';
import { professionalWithExperience, studentWithoutExperience } from '../helpers/tno';
import { answerCounts, bearer, exportCsv, fixture, importCsv, responseCount, rowsOf, submit } from '../helpers/csv';
import { dayInNetherlands } from '../../server/util/dates';

const T5_1 = 'Professionals die ervaring hebben met onveiligheid in de thuissituatie, zijn beter in staat om: Zorgen over een onveilige thuissituatie bespreekbaar te maken bij cliënten.';

describe('CSV import', () => {
  let t: TestApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;
  beforeEach(async () => {
    t = await createTestApp({ CSV_LIMIT_BYTES: String(64 * 1024) });
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin, { minGroupSize: 3 });
  });
  afterEach(async () => t.close());

  const count = () => responseCount(t.testDb.db, wave.id);

  it('round trip: a wave exported and imported into a new wave of the same instrument gives identical answers', async () => {
    await submit(t.app, wave.token, studentWithoutExperience());
    await submit(t.app, wave.token, professionalWithExperience());
    await submit(t.app, wave.token, { ...studentWithoutExperience(), e_toelichting: '=1+1\nmet "quotes", en komma', t7: { t7_1: 2 } });
    await submit(t.app, wave.token, { ...professionalWithExperience(), d_delen_met: ['none'] });
    // The full export (admin): a k-anonymous one holds blanks, which are no answers to import.
    for (const query of ['?full=1', '?labels=1&full=1', '?sep=%3B&full=1']) {
      const copy = await createWave(t.app, admin, { label: `kopie ${query}`, minGroupSize: 3 });
      const res = await importCsv(t.app, admin, copy.id, await exportCsv(t.app, admin, wave.id, query));
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.deep.equal({ imported: 4, errors: [] });
      expect(await answerCounts(t.testDb.db, copy.id), query).to.deep.equal(await answerCounts(t.testDb.db, wave.id));
      // And what the dashboards show is the same, number for number.
      const results = async (id: string) => (await request(t.app).get(`/api/v1/waves/${id}/results`).set(bearer(admin))).body.questions;
      expect(await results(copy.id), query).to.deep.equal(await results(wave.id));
    }
  });

  it('accepts choice texts in any case and with spaces around them', async () => {
    const res = await importCsv(t.app, admin, wave.id, fixture('choice-texts-in-odd-case-and-spaces.csv'));
    expect(res.body).to.deep.equal({ imported: 2, errors: [] });
    const rows = rowsOf(await exportCsv(t.app, admin, wave.id, '?full=1'));
    expect(rows.map((r) => `${r.b_role} ${r.b_instelling} ${r.e_wenselijk} ${r['t5.t5_1']}`).sort())
      .to.deep.equal(['professional  2 5', 'student haagse_hogeschool 3 4']);
  });

  it('validates only with dryRun=1 and stores nothing', async () => {
    const res = await importCsv(t.app, admin, wave.id, fixture('two-valid-quickscan-rows.csv'), '?dryRun=1');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ dryRun: true, imported: 0, valid: 2, errors: [] });
    expect(await count()).to.equal(0);
    expect((await importCsv(t.app, admin, wave.id, fixture('two-valid-quickscan-rows.csv'))).body.imported).to.equal(2);
  });

  it('refuses the whole file with 422 when any row is invalid, naming line, column and problem in Dutch, and stores nothing', async () => {
    const res = await importCsv(t.app, admin, wave.id, fixture('invalid-values-on-lines-3-and-4.csv'));
    expect(res.status).to.equal(422);
    expect(res.body.imported).to.equal(0);
    expect(res.body.errors).to.deep.equal([
      { line: 3, column: 'c_ervaring', message: '‘misschien’ hoort niet bij de keuzes van ‘Heb je te maken (gehad) met een onveilige thuissituatie?’.' },
      { line: 4, column: 't5.t5_1', message: `‘9’ hoort niet bij de keuzes van ‘${T5_1}’.` },
    ]);
    expect(await count()).to.equal(0);
  });

  it('refuses a row that misses a required answer, as a live submission would be', async () => {
    const res = await importCsv(t.app, admin, wave.id, fixture('missing-required-answer.csv'));
    expect(res.status).to.equal(422);
    expect(res.body.errors).to.deep.equal([{ line: 2, column: 'c_ervaring', message: 'Beantwoord deze vraag.' }]);
  });

  it('offers the rejected rows as CSV, with line numbers and problems, to correct and send again', async () => {
    const res = await request(t.app).post(`/api/v1/waves/${wave.id}/import/rejected.csv`).set(bearer(admin))
      .set('Content-Type', 'text/csv').send(fixture('invalid-values-on-lines-3-and-4.csv'));
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(rowsOf(res.text)).to.deep.equal([
      { regel: '3', problemen: 'c_ervaring: ‘misschien’ hoort niet bij de keuzes van ‘Heb je te maken (gehad) met een onveilige thuissituatie?’.', b_role: 'student', c_ervaring: 'misschien', e_wenselijk: '3', 't5.t5_1': '4' },
      { regel: '4', problemen: `t5.t5_1: ‘9’ hoort niet bij de keuzes van ‘${T5_1}’.`, b_role: 'professional', c_ervaring: 'nee', e_wenselijk: '3', 't5.t5_1': '9' },
    ]);
  });

  it('records the import and refuses the same file a second time with 409, even saved with a BOM and other line ends', async () => {
    expect((await importCsv(t.app, admin, wave.id, fixture('two-valid-quickscan-rows.csv'))).status).to.equal(200);
    const again = await importCsv(t.app, admin, wave.id, fixture('two-valid-quickscan-rows.csv'));
    expect(again.status).to.equal(409);
    expect(again.body.error.message).to.match(/al eerder in deze meting ingelezen/);
    const resaved = Buffer.concat([Buffer.from('\uFEFF'), Buffer.from(fixture('two-valid-quickscan-rows.csv').toString('utf8').replace(/\r\n/g, '\n'))]);
    expect((await importCsv(t.app, admin, wave.id, resaved)).status).to.equal(409);
    expect(await count()).to.equal(2);
    const imports = await request(t.app).get(`/api/v1/waves/${wave.id}/imports`).set(bearer(admin));
    expect(imports.body).to.have.length(1);
    expect(imports.body[0]).to.include({ userEmail: 'beheer@opvang.test', rows: 2, userId: admin.user.id });
    expect(imports.body[0].fileHash).to.match(/^[0-9a-f]{64}$/);
    expect(imports.body[0].importedAt).to.match(/^\d{4}-\d{2}-\d{2}T/);
    // The same file into another wave is a different import.
    const other = await createWave(t.app, admin, { label: 'andere meting' });
    expect((await importCsv(t.app, admin, other.id, fixture('two-valid-quickscan-rows.csv'))).status).to.equal(200);
  });

  const badFiles: Array<[string, RegExp]> = [
    ['empty-file.csv', /leeg/],
    ['only-blank-lines.csv', /leeg/],
    ['headers-only.csv', /alleen de kopregel/],
    ['ragged-row-on-line-3.csv', /2 cellen, maar de kopregel heeft er 3/],
    ['duplicate-headers.csv', /twee keer/],
    ['saved-as-latin1-not-utf8.csv', /UTF-8/],
    ['excel-workbook-not-csv.xlsx', /geen CSV-bestand/],
    ['unterminated-quote.csv', /aanhalingsteken/],
    ['unknown-column.csv', /‘lievelingskleur’ hoort niet bij deze vragenlijst/],
    ['flags-not-one-or-zero.csv', /gebruik 1 \(aangevinkt\) of 0/],
  ];
  for (const [name, message] of badFiles) {
    it(`refuses ${name} with 422 and a clear message, changing nothing`, async () => {
      const res = await importCsv(t.app, admin, wave.id, fixture(name));
      expect(res.status, JSON.stringify(res.body)).to.equal(422);
      expect(res.body.imported).to.equal(0);
      expect(res.body.errors[0].message).to.match(message);
      expect(res.body.errors[0].line).to.be.a('number');
      expect(await count()).to.equal(0);
      expect((await request(t.app).get(`/api/v1/waves/${wave.id}/imports`).set(bearer(admin))).body).to.deep.equal([]);
    });
  }

  it('accepts a file with a BOM, and one with semicolons from Dutch Excel', async () => {
    expect((await importCsv(t.app, admin, wave.id, fixture('bom-before-the-header.csv'))).body).to.deep.equal({ imported: 1, errors: [] });
    expect((await importCsv(t.app, admin, wave.id, fixture('semicolon-separated-from-dutch-excel.csv'))).body).to.deep.equal({ imported: 2, errors: [] });
  });

  it('refuses a file over the size limit with 413, a body that is not text/csv with 415, changing nothing', async () => {
    const big = `b_role,c_ervaring,e_toelichting\n${'student,nee,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n'.repeat(3000)}`;
    expect((await importCsv(t.app, admin, wave.id, big)).status).to.equal(413);
    const json = await request(t.app).post(`/api/v1/waves/${wave.id}/import`).set(bearer(admin)).send({ b_role: 'student' });
    expect(json.status).to.equal(415);
    expect(await count()).to.equal(0);
  });

  it('answers 404 for another organisation\'s wave and 403 for a viewer, storing nothing', async () => {
    const otherOrg = await createOrganisation(t.app, admin, 'Opvang Zuid');
    const outsider = await createUser(t.app, admin, { email: 'm@zuid.test', role: 'manager', organisationId: otherOrg });
    expect((await importCsv(t.app, outsider, wave.id, fixture('two-valid-quickscan-rows.csv'))).status).to.equal(404);
    const viewer = await createUser(t.app, admin, { email: 'lezer@opvang.test', role: 'viewer' });
    expect((await importCsv(t.app, viewer, wave.id, fixture('two-valid-quickscan-rows.csv'))).status).to.equal(403);
    expect(await count()).to.equal(0);
  });

  it('gives imported responses the import day in an anonymous wave, whatever date the file holds', async () => {
    await importCsv(t.app, admin, wave.id, fixture('two-valid-quickscan-rows.csv'));
    const days = rowsOf(await exportCsv(t.app, admin, wave.id, '?full=1')).map((r) => r.datum);
    expect(days).to.deep.equal([dayInNetherlands(), dayInNetherlands()]);
  });

  it('gives imported responses the day of the date column in an identified wave, never the time', async () => {
    // The quickscan runs only anonymously (meta.modes), so the identified wave is a Weerman scan.
    const identified = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', mode: 'identified', label: 'met namen' });
    const res = await importCsv(t.app, admin, identified.id, fixture('dutch-dates-for-an-identified-wave.csv'));
    expect(res.body).to.deep.equal({ imported: 2, errors: [] });
    const days = (await t.testDb.db('responses').where({ wave_id: identified.id }).pluck('submitted_on')).map(String).sort();
    expect(days).to.deep.equal(['2024-03-01', '2024-03-02']);
    const bad = await importCsv(t.app, admin, identified.id, fixture('impossible-date.csv'));
    expect(bad.status).to.equal(422);
    expect(bad.body.errors).to.deep.equal([{ line: 2, column: 'datum', message: '‘31-2-2024’ is geen datum. Gebruik bijvoorbeeld 2024-03-01 of 1-3-2024.' }]);
  });

  it('keeps formula-like free text from a file as text, restoring what the export neutralised', async () => {
    expect((await importCsv(t.app, admin, wave.id, fixture('formula-like-free-text.csv'))).body.imported).to.equal(2);
    const texts = (await t.testDb.db('answers').where({ wave_id: wave.id, question: 'e_toelichting' }).pluck('text')).sort();
    expect(texts).to.deep.equal(['=HYPERLINK("http://example.invalid","klik")\nen een tweede regel met "aanhalingstekens"', '@SUM(1+1)']);
  });
});
