// The minimum group size on the wave page (issue 13): offered with what it protects, lowered
// to 4 for a 4-person MT before anything was shown, then only raised.
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, setupAdmin, createWave, TestApp, Account, PASSWORD } from '../helpers/app';
import { sealPending } from '../helpers/seal';

describe('the minimum group size on the wave form', () => {
  let t: TestApp;
  let admin: Account;
  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
  });
  after(async () => { await t.close(); });

  async function loggedIn() {
    const agent = request.agent(t.app);
    await agent.post('/login').type('form').send({ email: 'beheer@opvang.test', password: PASSWORD });
    return agent;
  }

  it('lets a 4-person MT lower it to 4 before results, see its results, and then only raise it', async () => {
    const wave = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', label: 'MT-scan', mode: 'anonymous', minGroupSize: 5 });
    expect(wave.minGroupSize).to.equal(5);
    const agent = await loggedIn();
    const page = await agent.get(`/waves/${wave.id}`);
    expect(page.text).to.contain('id="minGroupSize"').and.contain('De minimale groepsgrootte beschermt de deelnemers');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const settings = (minGroupSize: string) => agent.post(`/waves/${wave.id}/settings`).type('form')
      .send({ _csrf: csrf, label: 'MT-scan', minGroupSize });

    expect((await settings('2')).status).to.equal(422);
    expect((await settings('4')).status).to.equal(303);
    const api = () => request(t.app).get(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`);
    expect((await api()).body.minGroupSize).to.equal(4);

    for (const [i, score] of [1, 2, 3, 4].entries()) {
      const sent = await request(t.app).post(`/s/${wave.token}/responses`)
        .send({ submissionId: `6f9619ff-8b86-4d11-b42d-00c04fc964f${i}`, data: { w01_is: score, w01_wens: 4 } });
      expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    }
    await sealPending(t.testDb.db);
    const summary = await request(t.app).get(`/api/v1/waves/${wave.id}/summary`).set('Authorization', `Bearer ${admin.token}`);
    expect(summary.body.suppressed, JSON.stringify(summary.body).slice(0, 300)).to.equal(false);
    expect(summary.body.n).to.equal(4);

    // Results were shown at 4: lowering is refused (409), the page says so, raising still works.
    const lowered = await settings('3');
    expect(lowered.status).to.equal(409);
    expect(lowered.text).to.contain('kan nu alleen nog omhoog');
    expect((await api()).body.minGroupSize).to.equal(4);
    expect((await agent.get(`/waves/${wave.id}`)).text).to.contain('kan alleen nog omhoog');
    expect((await settings('6')).status).to.equal(303);
    expect((await api()).body.minGroupSize).to.equal(6);
  });

  it('offers the team mode on the new-wave form and says a team wave is not anonymous on its page', async () => {
    const agent = await loggedIn();
    expect((await agent.get('/waves/new')).text).to.contain('value="team"');
    const wave = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', label: 'Samen', mode: 'team' });
    const page = await agent.get(`/waves/${wave.id}`);
    expect(page.text).to.contain('data-testid="not-anonymous"').and.contain('Teamleden met een link');
    const record = await agent.get(`/waves/${wave.id}/record`);
    expect(record.status).to.equal(200);
    expect(record.text).to.contain('Dit dossier is niet anoniem');
    const plan = await agent.get(`/waves/${wave.id}/plan`);
    expect(plan.text).to.contain('Dit dossier is niet anoniem').and.contain('data-testid="record-answers"');
  });
});
