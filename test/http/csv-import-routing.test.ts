// The import of an earlier round says what Spiegel's routing will drop, names the value and
// the question it refuses, says which rows are refused and how many are fine, suggests a
// column whose header differs only by a final '?' or ':', and has an API for its mapping step.
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, createUser, Account, PASSWORD } from '../helpers/app';
import { bearer, importCsv, responseCount } from '../helpers/csv';

const csv = (lines: string[]) => Buffer.from(lines.join('\n') + '\n');

describe('CSV import and routing', () => {
  let t: TestApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;
  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin, { label: 'Quickscan 2023' });
  });
  afterEach(async () => t.close());

  // t9 (about the study programme) is shown to students only: a professional's answers to it are dropped.
  const routedFile = csv([
    'b_role,b_instelling,c_ervaring,t9.t9_1,t9.t9_2,t8_scholing',
    'professional,,nee,4,3,2',
    'professional,,nee,5,,',
    'student,han,nee,3,4,',
    'professional,,ja,2,,3',
  ]);

  it('warns per question, with counts, about answers that the routing drops, in the dry run and the import', async () => {
    const res = await importCsv(t.app, admin, wave.id, routedFile, '?dryRun=1');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ dryRun: true, valid: 4 });
    const warnings = res.body.warnings as Array<{ column: string; answered: number; dropped: number; shownIf: string; message: string }>;
    expect(warnings.map((w) => [w.column, w.answered, w.dropped, w.shownIf])).to.deep.equal([
      ['t9.t9_1', 4, 3, "b_role = 'student'"],
      ['t9.t9_2', 2, 1, "b_role = 'student'"],
      ['t8_scholing', 2, 1, "c_ervaring = 'ja'"],
    ]);
    expect(warnings[0]!.message).to.equal('3 van de 4 antwoorden worden niet opgeslagen: deze vraag wordt alleen getoond als b_role = \'student\' (regels 2, 3, 5).');
    const imported = await importCsv(t.app, admin, wave.id, routedFile);
    expect(imported.body).to.include({ imported: 4 });
    expect(imported.body.warnings).to.have.length(3);
  });

  it('names the refused answer and its question, and says which rows are refused and how many are fine', async () => {
    const file = csv(['b_role,c_ervaring,e_wenselijk,t5.t5_1', 'student,nee,3,4', 'student,misschien,3,4', 'professional,nee,3,9', 'student,nee,2,2']);
    const res = await importCsv(t.app, admin, wave.id, file, '?dryRun=1');
    expect(res.status).to.equal(422);
    expect(res.body.errors).to.deep.equal([
      { line: 3, column: 'c_ervaring', message: '‘misschien’ hoort niet bij de keuzes van ‘Heb je te maken (gehad) met een onveilige thuissituatie?’.' },
      { line: 4, column: 't5.t5_1', message: '‘9’ hoort niet bij de keuzes van ‘Professionals die ervaring hebben met onveiligheid in de thuissituatie, zijn beter in staat om: Zorgen over een onveilige thuissituatie bespreekbaar te maken bij cliënten.’.' },
    ]);
    expect(res.body).to.include({ valid: 2 });
    expect(res.body.refusedLines).to.deep.equal([3, 4]);
    expect(await responseCount(t.testDb.db, wave.id)).to.equal(0);
  });

  describe('the mapping step as an API', () => {
    const googleForms = csv([
      'Tijdstempel,Ben je professional of student?,Heb je te maken (gehad) met een onveilige thuissituatie,Het is wenselijk dat professionals die ervaring hebben met een onveilige thuissituatie hun ervaringen delen?',
      '2023/05/04 10:11:12,Professional,Nee,Vaak',
      '2023/05/04 11:00:00,Student,nee,Soms',
      '2023/05/04 12:00:00,Student,Wil ik niet zeggen,Nooit',
    ]);
    const upload = () => request(t.app).post(`/api/v1/waves/${wave.id}/imports`).set(bearer(admin)).set('Content-Type', 'text/csv').send(googleForms);

    it('uploads a file, suggests columns (also where the header differs by a final ? or :), takes a mapping, and confirms', async () => {
      const created = await upload();
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const id = created.body.id as string;
      expect(created.headers.location).to.equal(`/api/v1/imports/${id}/mapping`);
      const first = await request(t.app).get(`/api/v1/imports/${id}/mapping`).set(bearer(admin));
      expect(first.status).to.equal(200);
      expect(first.body.columns.map((c: { target: string }) => c.target)).to.deep.equal(['datum', 'b_role', 'c_ervaring', 'e_wenselijk']);
      expect(first.body).to.include({ rows: 3, valid: 2 });
      expect(first.body.refusedLines).to.deep.equal([4]);
      const texts = first.body.answerTexts.find((a: { target: string }) => a.target === 'c_ervaring');
      expect(texts.texts.find((x: { text: string }) => x.text === 'Wil ik niet zeggen')).to.include({ chosen: null });

      const put = await request(t.app).put(`/api/v1/imports/${id}/mapping`).set(bearer(admin)).send({
        columns: ['datum', 'b_role', 'c_ervaring', 'e_wenselijk'],
        answers: [{ target: 'c_ervaring', text: 'Wil ik niet zeggen', value: 'refused' }],
      });
      expect(put.status, JSON.stringify(put.body)).to.equal(200);
      expect(put.body).to.include({ rows: 3, valid: 3 });
      expect(put.body.errors).to.deep.equal([]);
      // The mapping is kept: reading it again gives the same.
      expect((await request(t.app).get(`/api/v1/imports/${id}/mapping`).set(bearer(admin))).body).to.include({ valid: 3 });

      const confirmed = await request(t.app).post(`/api/v1/imports/${id}/confirm`).set(bearer(admin));
      expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(200);
      expect(confirmed.body).to.include({ imported: 3 });
      expect(await responseCount(t.testDb.db, wave.id)).to.equal(3);
      expect((await request(t.app).get(`/api/v1/imports/${id}/mapping`).set(bearer(admin))).status).to.equal(404);
    });

    it('refuses a confirm while rows are refused (422, nothing stored), a bad mapping (400), viewers (403) and other users (404)', async () => {
      const id = (await upload()).body.id as string;
      const refused = await request(t.app).post(`/api/v1/imports/${id}/confirm`).set(bearer(admin));
      expect(refused.status).to.equal(422);
      expect(refused.body.errors[0]).to.include({ line: 4 });
      expect(await responseCount(t.testDb.db, wave.id)).to.equal(0);
      expect((await request(t.app).put(`/api/v1/imports/${id}/mapping`).set(bearer(admin)).send({ columns: 'b_role' })).status).to.equal(400);
      expect((await request(t.app).put(`/api/v1/imports/${id}/mapping`).set(bearer(admin)).send({ columns: ['x', 'y', 'z', 'w', 'v'] })).status).to.equal(400);
      const viewer = await createUser(t.app, admin, { email: 'lezer@opvang.test', role: 'viewer', password: PASSWORD });
      expect((await request(t.app).get(`/api/v1/imports/${id}/mapping`).set(bearer(viewer))).status).to.equal(403);
      const other = await createUser(t.app, admin, { email: 'tweede@opvang.test', role: 'manager', password: PASSWORD });
      expect((await request(t.app).get(`/api/v1/imports/${id}/mapping`).set(bearer(other))).status).to.equal(404);
      expect((await request(t.app).post(`/api/v1/imports/${id}/confirm`).set(bearer(other))).status).to.equal(404);
    });
  });
});
