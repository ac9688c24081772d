import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, createUser, Account } from '../helpers/app';
import { sealPending } from '../helpers/seal';

describe('identified waves and their invitations', () => {
  let t: TestApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;
  const auth = (a: Account) => ({ Authorization: `Bearer ${a.token}` });
  const weerman = { w01_is: 2, w01_wens: 4, w01_vragen: 'Wie is eigenaar?' };

  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', mode: 'identified', label: 'MT-scan 2026' });
  });
  afterEach(async () => t.close());

  const invite = async (body: object) => request(t.app).post(`/api/v1/waves/${wave.id}/invitations`).set(auth(admin)).send(body);
  const submit = (token: string, submissionId = crypto.randomUUID()) =>
    request(t.app).post(`/s/${token}/responses`).send({ submissionId, data: weerman });

  it('makes single-use links in bulk, each with its own token', async () => {
    const res = await invite({ count: 3 });
    expect(res.status).to.equal(201);
    expect(res.body).to.have.length(3);
    expect(new Set(res.body.map((i: { token: string }) => i.token)).size).to.equal(3);
    expect(res.body[0].url).to.match(/\/s\/[A-Za-z0-9_-]{24}$/);
    const named = await invite({ names: ['Directeur', 'Teamleider'] });
    expect(named.body.map((i: { name: string }) => i.name)).to.deep.equal(['Directeur', 'Teamleider']);
  });

  it('accepts one response per invitation; the used link answers 410', async () => {
    const [first] = (await invite({ count: 1 })).body;
    expect((await request(t.app).get(`/s/${first.token}`)).status).to.equal(200);
    expect((await submit(first.token)).status).to.equal(201);
    expect((await request(t.app).get(`/s/${first.token}`)).status).to.equal(410);
    const second = await submit(first.token);
    expect(second.status).to.equal(410);
    expect(second.body.error.message).to.equal('Deze uitnodiging is al gebruikt.');
    const list = (await request(t.app).get(`/api/v1/waves/${wave.id}/invitations`).set(auth(admin))).body;
    expect(list[0].used).to.equal(true);
  });

  it('still answers a retry of the stored submission with 200 duplicate', async () => {
    const [first] = (await invite({ count: 1 })).body;
    const submissionId = crypto.randomUUID();
    expect((await submit(first.token, submissionId)).status).to.equal(201);
    expect((await submit(first.token, submissionId)).status).to.equal(200);
  });

  it('ties an identified response to its invitation, and an anonymous one to nothing', async () => {
    const [first] = (await invite({ count: 1 })).body;
    await submit(first.token);
    const anonymous = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan' });
    await request(t.app).post(`/s/${anonymous.token}/responses`).send({ submissionId: crypto.randomUUID(), data: weerman });
    await sealPending(t.testDb.db);
    const rows = await t.testDb.db('responses').select('wave_id', 'invitation_id');
    expect(rows.find((r) => r.wave_id === wave.id)!.invitation_id).to.equal(first.id);
    expect(rows.find((r) => r.wave_id === anonymous.id)!.invitation_id).to.equal(null);
  });

  it('refuses invitations for an anonymous wave (409), from a viewer (403) and for another organisation (404)', async () => {
    const anonymous = await createWave(t.app, admin);
    expect((await request(t.app).post(`/api/v1/waves/${anonymous.id}/invitations`).set(auth(admin)).send({ count: 2 })).status).to.equal(409);
    const viewer = await createUser(t.app, admin, { email: 'v@noord.test', role: 'viewer' });
    expect((await request(t.app).post(`/api/v1/waves/${wave.id}/invitations`).set(auth(viewer)).send({ count: 2 })).status).to.equal(403);
    expect((await invite({ count: 0 })).status).to.equal(422);
    expect((await invite({ count: 2, names: ['x'] })).status).to.equal(422);
  });

  it('prints the unused invitations as slips with QR codes', async () => {
    await invite({ names: ['Directeur', 'Teamleider'] });
    const page = await request(t.app).get(`/waves/${wave.id}/invitations`).set(auth(admin));
    expect(page.status).to.equal(200);
    expect((page.text.match(/<svg role="img"/g) ?? []).length).to.equal(2);
    expect(page.text).to.contain('Directeur').and.contain('Teamleider');
  });
});
