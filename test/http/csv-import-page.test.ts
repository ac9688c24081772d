import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, createUser, Account, PASSWORD } from '../helpers/app';
import { bearer, exportCsv, fixture, responseCount, rowsOf } from '../helpers/csv';

describe('the import page with its mapping step', () => {
  let t: TestApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;
  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin, { label: 'Quickscan 2023 (Google Forms)' });
  });
  afterEach(async () => t.close());

  async function signedIn(email = 'beheer@opvang.test') {
    const agent = request.agent(t.app);
    await agent.post('/login').type('form').send({ email, password: PASSWORD });
    const page = await agent.get(`/waves/${wave.id}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    return { agent, csrf, page };
  }

  const selected = (html: string, field: string) => {
    const select = new RegExp(`name="${field}">([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
    return /<option value="([^"]*)" selected/.exec(select)?.[1] ?? '';
  };

  it('shows export, codebook and import on the wave page', async () => {
    const { page } = await signedIn();
    expect(page.text).to.contain(`href="/api/v1/waves/${wave.id}/export.csv"`).and.contain(`href="/api/v1/waves/${wave.id}/codebook.csv"`)
      .and.contain(`action="/waves/${wave.id}/import"`).and.contain('enctype="multipart/form-data"');
  });

  it('imports a Google Forms file: upload, suggested mapping, answer texts mapped, preview, confirm', async () => {
    const { agent, csrf } = await signedIn();
    const uploaded = await agent.post(`/waves/${wave.id}/import`).field('_csrf', csrf)
      .attach('file', fixture('google-forms-quickscan-earlier-round.csv'), 'quickscan-2023.csv');
    expect(uploaded.status, uploaded.text).to.equal(303);
    const mappingUrl = uploaded.headers.location as string;
    expect(mappingUrl).to.match(new RegExp(`^/waves/${wave.id}/import/[0-9a-f-]{36}$`));

    const first = await agent.get(mappingUrl);
    expect(first.status).to.equal(200);
    expect(first.text).to.contain('quickscan-2023.csv');
    expect(['column_0', 'column_1', 'column_2', 'column_3', 'column_6'].map((f) => selected(first.text, f)))
      .to.deep.equal(['datum', 'b_role', 'b_sector.*', 'c_ervaring', '']);
    // "Wil ik niet zeggen" is no choice text of the instrument: the preview lists it as a problem, and there is nothing to confirm yet.
    expect(first.text).to.contain('Wil ik niet zeggen').and.contain('data-testid="import-errors"').and.not.contain('value="confirm"');
    // The two good rows are counted, and the refused one is named.
    expect(first.text).to.contain('3 regels gelezen, 2 in orde. 1 afgekeurd: regel 4.');

    // The manager maps that answer text to "Zeg ik liever niet" and previews again.
    const fields: Record<string, string> = { _csrf: csrf, action: 'preview' };
    for (let i = 0; i < 7; i++) fields[`column_${i}`] = selected(first.text, `column_${i}`);
    for (const [, k, pair] of first.text.matchAll(/name="answerFor_(\d+)" value="([^"]+)"/g)) {
      const [target, text] = JSON.parse(pair!.replace(/&#34;/g, '"')) as [string, string];
      fields[`answerFor_${k}`] = JSON.stringify([target, text]);
      fields[`answer_${k}`] = text === 'Wil ik niet zeggen' ? 'refused' : selected(first.text, `answer_${k}`);
    }
    const multipart = (extra: Record<string, string>) => {
      const req = agent.post(mappingUrl);
      for (const [name, value] of Object.entries({ ...fields, ...extra })) req.field(name, value);
      return req;
    };
    const preview = await multipart({});
    expect(preview.status).to.equal(200);
    expect(preview.text).to.contain('3 regels gelezen, 3 in orde.').and.contain('value="confirm"').and.not.contain('data-testid="import-errors"');
    expect(await responseCount(t.testDb.db, wave.id)).to.equal(0);

    const confirmed = await multipart({ action: 'confirm' });
    expect(confirmed.status).to.equal(200);
    expect(confirmed.text).to.contain('Ingelezen: 3 antwoorden.');
    const rows = rowsOf(await exportCsv(t.app, admin, wave.id, '?full=1'));
    expect(rows.map((r) => [r.b_role, r['b_sector.vrouwenopvang'], r['b_sector.veilig_thuis'], r.c_ervaring, r.e_wenselijk, r['t5.t5_1']]).sort()).to.deep.equal([
      ['professional', '1', '0', 'refused', '4', '5'],
      ['professional', '1', '1', 'nee', '3', '4'],
      ['student', '', '', 'nee', '2', '3'],
    ]);
    // The upload is gone once imported, and the same file cannot be imported again.
    expect((await agent.get(mappingUrl)).status).to.equal(404);
    const again = await agent.post(`/waves/${wave.id}/import`).field('_csrf', csrf).attach('file', fixture('google-forms-quickscan-earlier-round.csv'), 'x.csv');
    expect((await agent.get(again.headers.location as string)).text).to.contain('al eerder in deze meting ingelezen');
  });

  it('warns before confirming about answers the routing drops, with counts per question', async () => {
    // A students-only grid row answered by everyone (Google Forms showed it to all): only the student's answer can be kept.
    const grid = 'In hoeverre ben je het eens met de volgende uitspraken over je opleiding? [Binnen mijn opleiding wordt er aandacht besteed aan de thema’s huiselijk geweld en kindermishandeling (onveiligheid in de thuissituatie).]';
    const file = Buffer.from([
      `Tijdstempel,Ben je professional of student?,Heb je te maken (gehad) met een onveilige thuissituatie?,"${grid}"`,
      ...['Professional', 'Professional', 'Student', 'Professional'].map((role, i) => `2023/05/04 10:1${i}:00,${role},Nee,Neutraal`),
    ].join('\n'));
    const { agent, csrf } = await signedIn();
    const uploaded = await agent.post(`/waves/${wave.id}/import`).field('_csrf', csrf).attach('file', file, 'opleiding.csv');
    const page = await agent.get(uploaded.headers.location as string);
    expect(selected(page.text, 'column_3')).to.equal('t9.t9_1');
    expect(page.text).to.contain('4 regels gelezen, 4 in orde.').and.contain('data-testid="import-warnings"')
      .and.contain('3 van de 4 antwoorden worden niet opgeslagen: deze vraag wordt alleen getoond als b_role = &#39;student&#39; (regels 2, 3, 5).')
      .and.contain('value="confirm"');
  });

  it('offers the rejected rows of a mapped file as CSV', async () => {
    const { agent, csrf } = await signedIn();
    const uploaded = await agent.post(`/waves/${wave.id}/import`).field('_csrf', csrf).attach('file', fixture('google-forms-quickscan-earlier-round.csv'), 'q.csv');
    const page = await agent.get(uploaded.headers.location as string);
    const req = agent.post(`${uploaded.headers.location as string}/rejected.csv`).field('_csrf', csrf);
    for (let i = 0; i < 7; i++) req.field(`column_${i}`, selected(page.text, `column_${i}`));
    const res = await req;
    expect(res.status).to.equal(200);
    const rows = rowsOf(res.text);
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ regel: '4', 'Ben je professional of student?': 'Professional' });
    expect(rows[0]!.problemen).to.contain('Heb je te maken (gehad) met een onveilige thuissituatie?: ‘Wil ik niet zeggen’');
  });

  it('shows a bad file\'s problem on the mapping page, and refuses an upload without the CSRF token', async () => {
    const { agent, csrf } = await signedIn();
    const uploaded = await agent.post(`/waves/${wave.id}/import`).field('_csrf', csrf).attach('file', fixture('saved-as-latin1-not-utf8.csv'), 'oud.csv');
    expect((await agent.get(uploaded.headers.location as string)).text).to.contain('niet als UTF-8 opgeslagen');
    const forged = await agent.post(`/waves/${wave.id}/import`).attach('file', fixture('two-valid-quickscan-rows.csv'), 'x.csv');
    expect(forged.status).to.equal(403);
  });

  it('refuses an upload over the size limit with 413, and a broken multipart body with 400, keeping nothing', async () => {
    const small = await createTestApp({ CSV_LIMIT_BYTES: '1024' });
    try {
      await setupAdmin(small.app);
      const smallWave = await createWave(small.app, (await request(small.app).post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: PASSWORD })).body);
      const agent = request.agent(small.app);
      await agent.post('/login').type('form').send({ email: 'beheer@opvang.test', password: PASSWORD });
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get(`/waves/${smallWave.id}`)).text)![1]!;
      const big = Buffer.from(`b_role,c_ervaring\n${'student,nee\n'.repeat(200)}`);
      const res = await agent.post(`/waves/${smallWave.id}/import`).field('_csrf', csrf).attach('file', big, 'groot.csv');
      expect(res.status).to.equal(413);
      const broken = await agent.post(`/waves/${smallWave.id}/import`).set('Content-Type', 'multipart/form-data; boundary=xyz').send('--xyz\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n' + csrf);
      expect(broken.status).to.equal(400);
      expect(await small.testDb.db('csv_uploads').count({ n: '*' }).first()).to.satisfy((r: { n: number | string }) => Number(r.n) === 0);
    } finally {
      await small.close();
    }
  });

  it('keeps an upload to the manager who made it, and away from viewers', async () => {
    const { agent, csrf } = await signedIn();
    const uploaded = await agent.post(`/waves/${wave.id}/import`).field('_csrf', csrf).attach('file', fixture('two-valid-quickscan-rows.csv'), 'x.csv');
    await createUser(t.app, admin, { email: 'tweede@opvang.test', role: 'manager' });
    const other = await signedIn('tweede@opvang.test');
    expect((await other.agent.get(uploaded.headers.location as string)).status).to.equal(404);
    await createUser(t.app, admin, { email: 'lezer@opvang.test', role: 'viewer' });
    const viewer = request.agent(t.app);
    await viewer.post('/login').type('form').send({ email: 'lezer@opvang.test', password: PASSWORD });
    expect((await viewer.get(uploaded.headers.location as string)).status).to.equal(403);
    expect((await request(t.app).get(`/api/v1/waves/${wave.id}`).set(bearer(admin))).body.responses).to.equal(0);
  });
});
