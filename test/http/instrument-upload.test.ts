// POST /api/v1/instruments: an admin or manager adds an instrument without a restart (api.md
// additions). Every problem is listed at once; a manager's instrument is the own
// organisation's only; it runs a wave whose response is stored, shown and exported.
import { expect } from 'chai';
import crypto from 'node:crypto';
import request from 'supertest';
import { Account, createOrganisation, createTestApp, createUser, createWave, dbOf, setupAdmin, TestApp } from '../helpers/app';
import { sealPending } from '../helpers/seal';

const survey = {
  title: 'Tevredenheid training',
  showProgressBar: 'top',
  pages: [{ name: 'p1', elements: [
    { type: 'rating', name: 'score', title: 'Hoe tevreden bent u?', rateMin: 1, rateMax: 5, isRequired: true },
    { type: 'ranking', name: 'volgorde', title: 'Wat is het belangrijkst?', choices: ['tijd', 'geld', 'steun'] },
    { type: 'text', name: 'uren', title: 'Hoeveel uur?', inputType: 'number' },
    { type: 'comment', name: 'opmerking', rows: 3 },
  ] }],
};

describe('publishing an instrument through the API', () => {
  let t: TestApp;
  let admin: Account & { organisationId: string };
  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
  });
  afterEach(async () => t.close());
  const auth = (account: Account) => ({ Authorization: `Bearer ${account.token}` });

  it('publishes a bare SurveyJS definition at once as version 1, then a changed one as version 2', async () => {
    const first = await request(t.app).post('/api/v1/instruments?key=training').set(auth(admin)).send(survey);
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.body).to.include({ key: 'training', version: 1, title: 'Tevredenheid training' });
    expect(first.body.hash).to.match(/^[0-9a-f]{64}$/);
    const list = await request(t.app).get('/api/v1/instruments').set(auth(admin));
    expect(list.body.map((i: { key: string }) => i.key)).to.include('training');
    const second = await request(t.app).post('/api/v1/instruments').set(auth(admin))
      .send({ key: 'training', title: 'Tevredenheid training', meta: {}, definition: { ...survey, title: 'Anders' } });
    expect(second.status, JSON.stringify(second.body)).to.equal(201);
    expect(second.body).to.include({ key: 'training', version: 2 });
  });

  it('lists every problem at once as {path, rule, message} and stores nothing', async () => {
    const res = await request(t.app).post('/api/v1/instruments?key=slecht').set(auth(admin)).send({
      cookieName: 'gedaan',
      pages: [{ name: 'p1', elements: [{ type: 'file', name: 'foto' }, { type: 'radiogroup', name: 'a', choices: [1, 1] }] }],
    });
    expect(res.status).to.equal(422);
    expect(res.body.error.message).to.be.a('string');
    const rules = res.body.errors.map((e: { rule: string }) => e.rule);
    expect(rules).to.include.members(['cookieName', 'type', 'duplicateValue']);
    for (const error of res.body.errors) expect(error).to.have.all.keys('path', 'rule', 'message');
    expect((await request(t.app).get('/api/v1/instruments/slecht').set(auth(admin))).status).to.equal(404);
  });

  it('refuses viewers, and keeps a manager\'s instrument from other organisations (404)', async () => {
    const other = await createOrganisation(t.app, admin, 'Opvang Zuid');
    const manager = await createUser(t.app, admin, { email: 'm@noord.test', role: 'manager', organisationId: admin.organisationId });
    const viewer = await createUser(t.app, admin, { email: 'v@noord.test', role: 'viewer', organisationId: admin.organisationId });
    const stranger = await createUser(t.app, admin, { email: 'm@zuid.test', role: 'manager', organisationId: other });
    expect((await request(t.app).post('/api/v1/instruments?key=eigen').set(auth(viewer)).send(survey)).status).to.equal(403);
    const own = await request(t.app).post('/api/v1/instruments?key=eigen').set(auth(manager)).send(survey);
    expect(own.status, JSON.stringify(own.body)).to.equal(201);
    expect((await request(t.app).get('/api/v1/instruments/eigen').set(auth(manager))).status).to.equal(200);
    expect((await request(t.app).get('/api/v1/instruments/eigen').set(auth(stranger))).status).to.equal(404);
    const strangerList = await request(t.app).get('/api/v1/instruments').set(auth(stranger));
    expect(strangerList.body.map((i: { key: string }) => i.key)).not.to.include('eigen');
    const wave = await request(t.app).post('/api/v1/waves').set(auth(stranger)).send({ instrument: 'eigen', label: 'x', mode: 'anonymous' });
    expect(wave.status).to.equal(422);
    // A manager publishes for the own organisation only.
    expect((await request(t.app).post(`/api/v1/instruments?key=eigen2&organisationId=${other}`).set(auth(manager)).send(survey)).status).to.equal(404);
    // Another organisation's key cannot be taken over.
    const takeOver = await request(t.app).post('/api/v1/instruments?key=eigen').set(auth(stranger)).send(survey);
    expect(takeOver.status).to.equal(422);
  });

  it('runs a wave of the uploaded instrument: the response is validated, stored, shown and exported', async () => {
    await request(t.app).post('/api/v1/instruments?key=training').set(auth(admin)).send(survey).expect(201);
    const wave = await createWave(t.app, admin, { instrument: 'training', minGroupSize: 3 });
    const bad = await request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data: { score: 9 } });
    expect(bad.status).to.equal(422);
    for (const [score, order, hours] of [[4, ['geld', 'tijd', 'steun'], 3], [5, ['geld', 'steun', 'tijd'], 5], [2, ['tijd', 'geld', 'steun'], 10]] as const) {
      const res = await request(t.app).post(`/s/${wave.token}/responses`)
        .send({ submissionId: crypto.randomUUID(), data: { score, volgorde: order, uren: hours, opmerking: 'goed' } });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
    await sealPending(dbOf(t.app));
    const results = await request(t.app).get(`/api/v1/waves/${wave.id}/results`).set(auth(admin));
    expect(results.status).to.equal(200);
    const score = results.body.questions.find((q: { name: string }) => q.name === 'score');
    expect(score.n).to.equal(3);
    expect(score.options.find((o: { value: unknown }) => String(o.value) === '5').count).to.equal(1);
    const hours = results.body.questions.find((q: { name: string }) => q.name === 'uren');
    // R: x <- c(3, 5, 10); mean(x); quantile(x)  ->  6; 25% 4, 50% 5, 75% 7.5
    expect(hours.numbers).to.deep.equal({ n: 3, mean: 6, median: 5, q1: 4, q3: 7.5 });
    const ranking = results.body.questions.find((q: { name: string }) => q.name === 'volgorde');
    const geld = ranking.options.find((o: { value: unknown }) => o.value === 'geld');
    expect(geld).to.include({ meanRank: 4 / 3, firstPlaces: 2 });
    const csv = await request(t.app).get(`/api/v1/waves/${wave.id}/export.csv?full=1`).set(auth(admin));
    expect(csv.status).to.equal(200);
    expect(csv.text.split('\n')[0]).to.contain('score').and.contain('uren');
    // The results page shows the ranking and the number (it failed with 500 on a ranking).
    const page = await request(t.app).get(`/waves/${wave.id}/results`).set(auth(admin));
    expect(page.status, page.text.slice(0, 300)).to.equal(200);
    const rankingTable = /<table class="report-table" data-testid="ranking-table">[\s\S]*?<\/table>/.exec(page.text)![0];
    expect(rankingTable).to.contain('Gemiddelde plaats').and.match(/geld<\/th><td class="num">1,3<\/td><td class="num">2<\/td><td class="num">67<\/td>/);
    const numbers = /<table class="report-table" data-testid="number-summary">[\s\S]*?<\/table>/.exec(page.text)![0];
    expect(numbers).to.contain('6,00').and.contain('5,00').and.contain('4,00 – 7,50');
    const compare = await request(t.app).get(`/waves/${wave.id}/compare`).query({ by: 'score' }).set(auth(admin));
    expect(compare.status, compare.text.slice(0, 300)).to.be.oneOf([200, 422]);
  });
});

describe('the instruments page: upload, every problem, preview that stores nothing, publish', () => {
  let t: TestApp;
  let admin: Account & { organisationId: string };
  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
  });
  afterEach(async () => t.close());

  async function signedIn() {
    const agent = request.agent(t.app);
    await agent.post('/login').type('form').send({ email: 'beheer@opvang.test', password: 'correct horse battery' });
    const page = await agent.get('/instruments');
    expect(page.status).to.equal(200);
    return { agent, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1], page };
  }

  it('is for staff only', async () => {
    const viewer = await createUser(t.app, admin, { email: 'v@noord.test', role: 'viewer', organisationId: admin.organisationId });
    expect((await request(t.app).get('/instruments').set({ Authorization: `Bearer ${viewer.token}` })).status).to.equal(403);
  });

  it('lists every problem of a pasted definition at once, with element and rule', async () => {
    const { agent, csrf } = await signedIn();
    const bad = { cookieName: 'x', pages: [{ name: 'p', elements: [{ type: 'file', name: 'foto' }, { type: 'text', name: 'Uw naam' }] }] };
    const res = await agent.post('/instruments/check').type('form').send({ _csrf: csrf, key: 'slecht', definition: JSON.stringify(bad) });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('cookieName').and.contain('upload.json: element &#34;foto&#34;').and.contain('Uw naam');
    const notJson = await agent.post('/instruments/check').type('form').send({ _csrf: csrf, definition: '{ nee' });
    expect(notJson.status).to.equal(422);
    expect(notJson.text).to.contain('Dit bestand is geen JSON.');
  });

  it('takes a chosen JSON file (multipart): every problem at once under the file\'s name, its text in the box to fix, then a draft', async () => {
    const { agent, csrf } = await signedIn();
    const bad = { cookieName: 'x', pages: [{ name: 'p', elements: [{ type: 'file', name: 'foto' }, { type: 'comment', name: 'toelichting', rows: 4 }] }] };
    const refused = await agent.post('/instruments/check').field('_csrf', csrf).field('key', 'uit-bestand')
      .attach('file', Buffer.from(`\uFEFF${JSON.stringify(bad)}`), { filename: 'vragenlijst.json', contentType: 'application/json' });
    expect(refused.status, refused.text.slice(0, 500)).to.equal(422);
    expect(refused.text).to.contain('cookieName').and.contain('vragenlijst.json: element &#34;foto&#34;').and.not.contain('upload.json');
    expect(refused.text, 'the file\'s text is in the box, to be fixed there').to.contain('&#34;cookieName&#34;:&#34;x&#34;');

    const fixed = { pages: [{ name: 'p', elements: [{ type: 'comment', name: 'toelichting', title: 'Toelichting', rows: 4 }] }] };
    const checked = await agent.post('/instruments/check').field('_csrf', csrf).field('key', 'uit-bestand').field('definition', '')
      .attach('file', Buffer.from(JSON.stringify(fixed)), { filename: 'vragenlijst.json', contentType: 'application/json' });
    expect(checked.status, checked.text.slice(0, 500)).to.equal(200);
    const draftId = /\/instruments\/drafts\/([A-Za-z0-9_-]+)\/publish/.exec(checked.text)![1];
    const published = await agent.post(`/instruments/drafts/${draftId}/publish`).type('form').send({ _csrf: csrf });
    expect(published.text).to.contain('is gepubliceerd als versie 1');
    expect((await request(t.app).get('/api/v1/instruments/uit-bestand').set({ Authorization: `Bearer ${admin.token}` })).status).to.equal(200);
  });

  it('lists a file that is too large, not UTF-8, empty or missing as a problem, and still needs the CSRF token', async () => {
    const { agent, csrf } = await signedIn();
    const send = (bytes: Buffer, filename = 'x.json') => agent.post('/instruments/check').field('_csrf', csrf).attach('file', bytes, { filename, contentType: 'application/json' });
    const large = await send(Buffer.alloc(513 * 1024, 0x20));
    expect(large.status).to.equal(422);
    expect(large.text).to.contain('groter dan 512 KB').and.contain('<code>size</code>');
    const latin1 = await send(Buffer.from('{"title":"Caf\xe9"}', 'latin1'));
    expect(latin1.status).to.equal(422);
    expect(latin1.text).to.contain('geen UTF-8').and.contain('<code>encoding</code>');
    expect((await send(Buffer.from('  \n'))).text).to.contain('Dit bestand is leeg.');
    const nothing = await agent.post('/instruments/check').field('_csrf', csrf).field('definition', '');
    expect(nothing.status).to.equal(422);
    expect(nothing.text).to.contain('Kies een bestand of plak de definitie');
    const forged = await agent.post('/instruments/check').attach('file', Buffer.from(JSON.stringify(survey)), { filename: 'x.json', contentType: 'application/json' });
    expect(forged.status).to.equal(403);
    // The page offers both ways.
    const page = await agent.get('/instruments');
    expect(page.text).to.contain('enctype="multipart/form-data"').and.contain('type="file"').and.contain('<textarea id="definition"');
  });

  it('previews a definition as a respondent sees it, checks what is sent without storing it, then publishes it', async () => {
    const { agent, csrf } = await signedIn();
    const checked = await agent.post('/instruments/check').type('form').send({ _csrf: csrf, key: 'training', definition: JSON.stringify(survey) });
    expect(checked.status, checked.text).to.equal(200);
    const draftId = /\/instruments\/drafts\/([A-Za-z0-9_-]+)\/preview/.exec(checked.text)![1];
    const preview = await agent.get(`/instruments/drafts/${draftId}/preview`);
    expect(preview.status).to.equal(200);
    expect(preview.text).to.contain('id="spiegel-survey"').and.contain('Hoe tevreden bent u?');
    // Said to be a preview, so that "sent" is not read as "stored".
    expect(preview.text).to.contain('data-testid="preview-banner"').and.contain('Terug naar de vragenlijsten');
    // What the preview page sends is checked like a submission, and answered without a cookie.
    const sent = await request(t.app).post(`/instruments/drafts/${draftId}/responses`).send({ submissionId: crypto.randomUUID(), data: { score: 4 } });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(200);
    expect(sent.body).to.deep.equal({ status: 'checked' });
    const wrong = await request(t.app).post(`/instruments/drafts/${draftId}/responses`).send({ submissionId: crypto.randomUUID(), data: { score: 9 } });
    expect(wrong.status).to.equal(422);
    for (const table of ['responses', 'pending_responses']) {
      expect(Number((await dbOf(t.app)(table).count({ n: '*' }).first())?.n), table).to.equal(0);
    }
    expect((await request(t.app).get('/api/v1/instruments/training').set({ Authorization: `Bearer ${admin.token}` })).status).to.equal(404);
    // Another member of staff cannot open the draft.
    await createUser(t.app, admin, { email: 'm@noord.test', role: 'manager', organisationId: admin.organisationId });
    const other = request.agent(t.app);
    await other.post('/login').type('form').send({ email: 'm@noord.test', password: 'correct horse battery' });
    expect((await other.get(`/instruments/drafts/${draftId}/preview`)).status).to.equal(404);
    const published = await agent.post(`/instruments/drafts/${draftId}/publish`).type('form').send({ _csrf: csrf });
    expect(published.status, published.text).to.equal(200);
    expect(published.text).to.contain('is gepubliceerd als versie 1');
    expect((await request(t.app).get('/api/v1/instruments/training').set({ Authorization: `Bearer ${admin.token}` })).status).to.equal(200);
  });

  it('offers the respondent the languages an instrument has, with Spiegel\'s texts in that language', async () => {
    const bilingual = {
      title: { default: 'Check-in', nl: 'Even peilen' },
      pages: [{ name: 'p', elements: [{ type: 'radiogroup', name: 'gevoel', title: { default: 'How are you?', nl: 'Hoe gaat het?' },
        choices: [{ value: 'goed', text: { default: 'Fine', nl: 'Goed' } }, { value: 'slecht', text: { default: 'Not fine', nl: 'Niet goed' } }] }] }],
    };
    await request(t.app).post('/api/v1/instruments?key=peiling').set({ Authorization: `Bearer ${admin.token}` }).send(bilingual).expect(201);
    const wave = await createWave(t.app, admin, { instrument: 'peiling' });
    const dutch = await request(t.app).get(`/s/${wave.token}`);
    expect(dutch.text).to.contain('<html lang="nl">').and.contain('Snel weg').and.contain('href="?lang=en"');
    expect(JSON.parse(/id="spiegel-survey">([^<]+)</.exec(dutch.text)![1]).locale).to.equal('nl');
    const english = await request(t.app).get(`/s/${wave.token}?lang=en`);
    expect(english.text).to.contain('<html lang="en">').and.contain('Leave now').and.contain('href="?lang=nl"').and.not.contain('Snel weg');
    expect(JSON.parse(/id="spiegel-survey">([^<]+)</.exec(english.text)![1]).locale).to.equal('en');
    // A language the instrument does not have is not offered.
    const quickscan = await createWave(t.app, admin, { instrument: 'tno-quickscan' });
    const onlyDutch = await request(t.app).get(`/s/${quickscan.token}?lang=en`);
    expect(onlyDutch.text).to.contain('<html lang="nl">').and.not.contain('?lang=');
  });
});
