import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, PASSWORD, setupAdmin, setupCodeOf } from '../helpers/app';

describe('first run and login', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp(); });
  afterEach(async () => t.close());

  it('sends the first visitor to the first-run page, in Dutch', async () => {
    const home = await request(t.app).get('/');
    expect(home.status).to.equal(302);
    expect(home.headers.location).to.equal('/setup');
    const page = await request(t.app).get('/setup');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Spiegel inrichten').and.contain('lang="nl"');
  });

  it('creates the first organisation and admin, after which setup answers 409', async () => {
    const res = await request(t.app).post('/api/v1/setup').send({ organisation: 'Opvang Zuid', email: 'Beheer@Opvang.test', password: PASSWORD, setupCode: setupCodeOf(t.app) });
    expect(res.status).to.equal(201);
    expect(res.body.organisation.name).to.equal('Opvang Zuid');
    expect(res.body.user).to.include({ email: 'beheer@opvang.test', role: 'admin' });
    const again = await request(t.app).post('/api/v1/setup').send({ organisation: 'X', email: 'x@y.test', password: PASSWORD });
    expect(again.status).to.equal(409);
    expect((await request(t.app).get('/setup')).status).to.equal(409);
  });

  it('sets up through the form and lands logged in on the waves page', async () => {
    const agent = request.agent(t.app);
    const res = await agent.post('/setup').type('form').send({ setupCode: setupCodeOf(t.app), organisation: 'Opvang West', email: 'a@b.test', password: PASSWORD });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/waves');
    const waves = await agent.get('/waves');
    expect(waves.status).to.equal(200);
    expect(waves.text).to.contain('Metingen');
  });

  it('returns the token in the body and in an httpOnly SameSite cookie', async () => {
    await setupAdmin(t.app);
    const res = await request(t.app).post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: PASSWORD });
    expect(res.status).to.equal(200);
    expect(res.body.token).to.be.a('string');
    expect(res.body.user).to.include({ email: 'beheer@opvang.test', role: 'admin' });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).to.match(/spiegel_session=/).and.match(/HttpOnly/).and.match(/SameSite=Strict/);
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    await setupAdmin(t.app);
    const wrong = await request(t.app).post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: 'niet het wachtwoord' });
    const unknown = await request(t.app).post('/api/v1/auth/login').send({ email: 'niemand@opvang.test', password: 'niet het wachtwoord' });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(wrong.body).to.deep.equal(unknown.body);
  });

  it('limits login attempts per account with 429', async function () {
    this.timeout(60000);
    await setupAdmin(t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await request(t.app).post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: 'fout fout fout' })).status);
    }
    expect(statuses.slice(0, 10)).to.deep.equal(Array(10).fill(401));
    expect(statuses[10]).to.equal(429);
  });

  it('logs out: the token stops working at once', async () => {
    const admin = await setupAdmin(t.app);
    expect((await request(t.app).get('/api/v1/waves').set('Authorization', `Bearer ${admin.token}`)).status).to.equal(200);
    expect((await request(t.app).post('/api/v1/auth/logout').set('Authorization', `Bearer ${admin.token}`)).status).to.equal(204);
    expect((await request(t.app).get('/api/v1/waves').set('Authorization', `Bearer ${admin.token}`)).status).to.equal(401);
  });

  it('refuses a request without a login with 401, and sends a browser to the login page', async () => {
    await setupAdmin(t.app);
    expect((await request(t.app).get('/api/v1/waves')).status).to.equal(401);
    const page = await request(t.app).get('/waves').set('Accept', 'text/html');
    expect(page.status).to.equal(303);
    expect(page.headers.location).to.equal('/login');
  });
});
