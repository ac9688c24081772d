import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createUser, createOrganisation, createWave, Account, login } from '../helpers/app';

describe('organisations and roles', () => {
  let t: TestApp;
  let admin: Account & { organisationId: string };
  let noord: { manager: Account; viewer: Account };
  let oost: { manager: Account; viewer: Account; organisationId: string };
  const auth = (a: Account) => ({ Authorization: `Bearer ${a.token}` });

  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    const oostId = await createOrganisation(t.app, admin, 'Opvang Oost');
    noord = {
      manager: await createUser(t.app, admin, { email: 'manager@noord.test', role: 'manager' }),
      viewer: await createUser(t.app, admin, { email: 'lezer@noord.test', role: 'viewer' }),
    };
    oost = {
      organisationId: oostId,
      manager: await createUser(t.app, admin, { email: 'manager@oost.test', role: 'manager', organisationId: oostId }),
      viewer: await createUser(t.app, admin, { email: 'lezer@oost.test', role: 'viewer', organisationId: oostId }),
    };
  });
  afterEach(async () => t.close());

  it('keeps each organisation\'s waves apart, while the admin sees all', async () => {
    const noordWave = await createWave(t.app, noord.manager, { label: 'Noord 2026' });
    const oostWave = await createWave(t.app, oost.manager, { label: 'Oost 2026', mode: 'identified', instrument: 'weerman-organisatiescan' });
    const ids = async (a: Account) => (await request(t.app).get('/api/v1/waves').set(auth(a))).body.map((w: { id: string }) => w.id).sort();
    expect(await ids(noord.manager)).to.deep.equal([noordWave.id]);
    expect(await ids(noord.viewer)).to.deep.equal([noordWave.id]);
    expect(await ids(oost.viewer)).to.deep.equal([oostWave.id]);
    expect(await ids(admin)).to.deep.equal([noordWave.id, oostWave.id].sort());
  });

  it('answers 404 on every wave endpoint for another organisation\'s wave', async () => {
    const wave = await createWave(t.app, noord.manager, { mode: 'identified', instrument: 'valente-zes-stappen' });
    const paths = [
      ['get', `/api/v1/waves/${wave.id}`], ['patch', `/api/v1/waves/${wave.id}`], ['get', `/api/v1/waves/${wave.id}/responses-per-day`],
      ['post', `/api/v1/waves/${wave.id}/invitations`], ['get', `/api/v1/waves/${wave.id}/invitations`], ['get', `/api/v1/waves/${wave.id}/contacts`],
    ] as const;
    for (const [method, path] of paths) {
      const res = await request(t.app)[method](path).set(auth(oost.manager)).send(method === 'post' ? { count: 1 } : method === 'patch' ? { status: 'closed' } : undefined);
      expect(res.status, `${method} ${path}`).to.equal(404);
    }
    expect((await request(t.app).get(`/waves/${wave.id}`).set(auth(oost.manager)).set('Accept', 'text/html')).status).to.equal(404);
  });

  it('lets managers create managers and viewers in their own organisation only', async () => {
    const created = await request(t.app).post('/api/v1/users').set(auth(noord.manager))
      .send({ email: 'nieuw@noord.test', password: 'lang genoeg wachtwoord', role: 'viewer' });
    expect(created.status).to.equal(201);
    expect(created.body.organisationId).to.equal(admin.organisationId);
    const asAdmin = await request(t.app).post('/api/v1/users').set(auth(noord.manager))
      .send({ email: 'baas@noord.test', password: 'lang genoeg wachtwoord', role: 'admin' });
    expect(asAdmin.status).to.equal(403);
    const elsewhere = await request(t.app).post('/api/v1/users').set(auth(noord.manager))
      .send({ email: 'x@oost.test', password: 'lang genoeg wachtwoord', role: 'viewer', organisationId: oost.organisationId });
    expect(elsewhere.status).to.equal(404);
    const byViewer = await request(t.app).post('/api/v1/users').set(auth(noord.viewer))
      .send({ email: 'y@noord.test', password: 'lang genoeg wachtwoord', role: 'viewer' });
    expect(byViewer.status).to.equal(403);
    const duplicate = await request(t.app).post('/api/v1/users').set(auth(admin))
      .send({ email: 'MANAGER@noord.test', password: 'lang genoeg wachtwoord', role: 'viewer' });
    expect(duplicate.status).to.equal(409);
  });

  it('lists only the own organisation\'s users to a manager, and none to a viewer', async () => {
    const emails = (await request(t.app).get('/api/v1/users').set(auth(noord.manager))).body.map((u: { email: string }) => u.email).sort();
    expect(emails).to.deep.equal(['beheer@opvang.test', 'lezer@noord.test', 'manager@noord.test']);
    expect((await request(t.app).get('/api/v1/users').set(auth(noord.viewer))).status).to.equal(403);
  });

  it('takes access away at once when a user is demoted or removed', async () => {
    const manager = await login(t.app, 'manager@oost.test');
    const demote = await request(t.app).patch(`/api/v1/users/${manager.user.id}`).set(auth(admin)).send({ role: 'viewer' });
    expect(demote.status).to.equal(200);
    expect((await request(t.app).get('/api/v1/waves').set(auth(manager))).status).to.equal(401);
    const asViewer = await login(t.app, 'manager@oost.test');
    expect((await request(t.app).post('/api/v1/waves').set(auth(asViewer)).send({ instrument: 'tno-quickscan', label: 'x', mode: 'anonymous' })).status).to.equal(403);
    expect((await request(t.app).delete(`/api/v1/users/${asViewer.user.id}`).set(auth(admin))).status).to.equal(204);
    expect((await request(t.app).get('/api/v1/waves').set(auth(asViewer))).status).to.equal(401);
    expect((await request(t.app).post('/api/v1/auth/login').send({ email: 'manager@oost.test', password: 'correct horse battery' })).status).to.equal(401);
  });

  it('does not let a manager touch another organisation\'s users (404) or an admin (403)', async () => {
    expect((await request(t.app).patch(`/api/v1/users/${oost.viewer.user.id}`).set(auth(noord.manager)).send({ role: 'manager' })).status).to.equal(404);
    expect((await request(t.app).delete(`/api/v1/users/${oost.viewer.user.id}`).set(auth(noord.manager))).status).to.equal(404);
    expect((await request(t.app).delete(`/api/v1/users/${admin.user.id}`).set(auth(noord.manager))).status).to.equal(403);
  });

  it('refuses to remove or demote the last admin', async () => {
    expect((await request(t.app).patch(`/api/v1/users/${admin.user.id}`).set(auth(admin)).send({ role: 'manager' })).status).to.equal(409);
    expect((await request(t.app).delete(`/api/v1/users/${admin.user.id}`).set(auth(admin))).status).to.equal(409);
  });

  it('lets only an admin create organisations', async () => {
    expect((await request(t.app).post('/api/v1/organisations').set(auth(noord.manager)).send({ name: 'X' })).status).to.equal(403);
    const list = (await request(t.app).get('/api/v1/organisations').set(auth(oost.viewer))).body;
    expect(list).to.deep.equal([{ id: oost.organisationId, name: 'Opvang Oost', kind: 'opvang' }]);
  });

  it('shows the user management page to managers, not to viewers', async () => {
    expect((await request(t.app).get('/users').set(auth(noord.manager))).text).to.contain('lezer@noord.test').and.not.contain('oost.test');
    expect((await request(t.app).get('/users').set(auth(noord.viewer)).set('Accept', 'text/html')).status).to.equal(403);
  });
});
