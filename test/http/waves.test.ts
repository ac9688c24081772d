import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createUser, createOrganisation, createWave, Account } from '../helpers/app';

describe('waves (metingen)', () => {
  let t: TestApp;
  let admin: Account & { organisationId: string };
  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
  });
  afterEach(async () => t.close());

  const auth = (account: Account) => ({ Authorization: `Bearer ${account.token}` });

  it('creates an anonymous wave with a public link tied to the current instrument version', async () => {
    const res = await request(t.app).post('/api/v1/waves').set(auth(admin))
      .send({ instrument: 'tno-quickscan', label: '0-meting 2026', mode: 'anonymous', series: 'quickscan-medewerkers' });
    expect(res.status).to.equal(201);
    expect(res.body).to.include({ instrument: 'tno-quickscan', version: 1, label: '0-meting 2026', mode: 'anonymous',
      series: 'quickscan-medewerkers', minGroupSize: 5, status: 'open' });
    expect(res.body.token).to.match(/^[A-Za-z0-9_-]{24}$/);
    expect(res.body.url).to.match(new RegExp(`/s/${res.body.token}$`));
    const list = await request(t.app).get('/api/v1/waves').set(auth(admin));
    expect(list.body.map((w: { id: string }) => w.id)).to.deep.equal([res.body.id]);
    expect(list.body[0]).to.include({ responses: 0 });
  });

  it('gives an identified wave no public link', async () => {
    const wave = await createWave(t.app, admin, { mode: 'identified', instrument: 'weerman-organisatiescan' });
    expect(wave.token).to.equal(null);
    expect(wave.url).to.equal(null);
  });

  it('never accepts a minimum group size below 3', async () => {
    const res = await request(t.app).post('/api/v1/waves').set(auth(admin))
      .send({ instrument: 'tno-quickscan', label: 'x', mode: 'anonymous', minGroupSize: 2 });
    expect(res.status).to.equal(422);
    expect(res.body.errors[0]).to.include({ question: 'minGroupSize' });
  });

  it('refuses unknown fields with 400 and an unknown instrument with 422, storing nothing', async () => {
    const unknownField = await request(t.app).post('/api/v1/waves').set(auth(admin))
      .send({ instrument: 'tno-quickscan', label: 'x', mode: 'anonymous', colour: 'red' });
    expect(unknownField.status).to.equal(400);
    const unknownInstrument = await request(t.app).post('/api/v1/waves').set(auth(admin))
      .send({ instrument: 'nope', label: 'x', mode: 'anonymous' });
    expect(unknownInstrument.status).to.equal(422);
    expect((await request(t.app).get('/api/v1/waves').set(auth(admin))).body).to.deep.equal([]);
  });

  it('closes and relabels a wave', async () => {
    const wave = await createWave(t.app, admin);
    const res = await request(t.app).patch(`/api/v1/waves/${wave.id}`).set(auth(admin)).send({ status: 'closed', label: '0-meting 2026 (definitief)' });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ status: 'closed', label: '0-meting 2026 (definitief)' });
  });

  it('answers 404 for another organisation\'s wave, exactly as for one that does not exist', async () => {
    const otherOrg = await createOrganisation(t.app, admin, 'Opvang Oost');
    const otherManager = await createUser(t.app, admin, { email: 'm@oost.test', role: 'manager', organisationId: otherOrg });
    const wave = await createWave(t.app, admin);
    const theirs = await request(t.app).get(`/api/v1/waves/${wave.id}`).set(auth(otherManager));
    const missing = await request(t.app).get('/api/v1/waves/00000000-0000-4000-8000-000000000000').set(auth(otherManager));
    expect(theirs.status).to.equal(404);
    expect(theirs.body).to.deep.equal(missing.body);
    expect((await request(t.app).patch(`/api/v1/waves/${wave.id}`).set(auth(otherManager)).send({ status: 'closed' })).status).to.equal(404);
    expect((await request(t.app).get('/api/v1/waves').set(auth(otherManager))).body).to.deep.equal([]);
  });

  it('lets a viewer read but not change: 403', async () => {
    const viewer = await createUser(t.app, admin, { email: 'v@noord.test', role: 'viewer' });
    const wave = await createWave(t.app, admin);
    expect((await request(t.app).get(`/api/v1/waves/${wave.id}`).set(auth(viewer))).status).to.equal(200);
    expect((await request(t.app).patch(`/api/v1/waves/${wave.id}`).set(auth(viewer)).send({ status: 'closed' })).status).to.equal(403);
    expect((await request(t.app).post('/api/v1/waves').set(auth(viewer)).send({ instrument: 'tno-quickscan', label: 'x', mode: 'anonymous' })).status).to.equal(403);
  });

  it('creates a wave through the page form and shows its public link', async () => {
    const agent = request.agent(t.app);
    await agent.post('/login').type('form').send({ email: 'beheer@opvang.test', password: 'correct horse battery' });
    const form = await agent.get('/waves/new');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const created = await agent.post('/waves').type('form')
      .send({ _csrf: csrf, label: 'Quickscan 2026', instrument: 'tno-quickscan', mode: 'anonymous', minGroupSize: '5' });
    expect(created.status, created.text).to.equal(303);
    const page = await agent.get(created.headers.location);
    expect(page.text).to.contain('Quickscan 2026').and.match(/data-testid="public-link">http:\/\/[^<]+\/s\/[A-Za-z0-9_-]{24}</);
  });

  it('refuses a cookie-authenticated change without the CSRF token', async () => {
    const agent = request.agent(t.app);
    await agent.post('/login').type('form').send({ email: 'beheer@opvang.test', password: 'correct horse battery' });
    const res = await agent.post('/waves').type('form').send({ label: 'x', instrument: 'tno-quickscan', mode: 'anonymous', minGroupSize: '5' });
    expect(res.status).to.equal(403);
    const api = await agent.post('/api/v1/waves').send({ instrument: 'tno-quickscan', label: 'x', mode: 'anonymous' });
    expect(api.status).to.equal(403);
    expect((await request(t.app).get('/api/v1/waves').set(auth(admin))).body).to.deep.equal([]);
  });

  it('refuses a cross-origin form post even with a valid session', async () => {
    const agent = request.agent(t.app);
    await agent.post('/login').type('form').send({ email: 'beheer@opvang.test', password: 'correct horse battery' });
    const form = await agent.get('/waves/new');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const res = await agent.post('/waves').set('Origin', 'https://evil.example').type('form')
      .send({ _csrf: csrf, label: 'x', instrument: 'tno-quickscan', mode: 'anonymous', minGroupSize: '5' });
    expect(res.status).to.equal(403);
  });
});
