import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, setupAdmin, createWave, TestApp, Account } from '../helpers/app';

describe("a closed wave's staff page", () => {
  let t: TestApp;
  let admin: Account;
  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
  });
  after(async () => { await t.close(); });

  it('no longer shows the link and QR code as if live, and shows them again once reopened', async () => {
    const wave = await createWave(t.app, admin);
    const auth = { Authorization: `Bearer ${admin.token}` };
    const open = await request(t.app).get(`/waves/${wave.id}`).set(auth);
    expect(open.text).to.contain(`/s/${wave.token}`);
    expect(open.text).to.contain('<svg');
    await request(t.app).patch(`/api/v1/waves/${wave.id}`).set(auth).send({ status: 'closed' }).expect(200);
    const closed = await request(t.app).get(`/waves/${wave.id}`).set(auth);
    expect(closed.text).not.to.contain(`/s/${wave.token}`);
    expect(closed.text).not.to.contain('<svg');
    expect(closed.text).to.contain('de link en de QR-code werken niet meer');
  });

  it('prints no QR poster for a closed wave: the poster page leads to the wave page that says why', async () => {
    const wave = await createWave(t.app, admin);
    const auth = { Authorization: `Bearer ${admin.token}` };
    expect((await request(t.app).get(`/waves/${wave.id}/qr`).set(auth)).text).to.contain('<svg');
    await request(t.app).patch(`/api/v1/waves/${wave.id}`).set(auth).send({ status: 'closed' }).expect(200);
    const poster = await request(t.app).get(`/waves/${wave.id}/qr`).set(auth);
    expect(poster.status).to.equal(303);
    expect(poster.headers.location).to.equal(`/waves/${wave.id}`);
  });
});
