import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, setupAdmin, createWave, TestApp, Account } from '../helpers/app';

describe('a wave in a mode its instrument does not allow', () => {
  let t: TestApp;
  let admin: Account;
  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
  });
  after(async () => { await t.close(); });

  it('is refused by the API with 422 and a reason that names the mode, and nothing is created', async () => {
    const res = await request(t.app).post('/api/v1/waves').set('Authorization', `Bearer ${admin.token}`)
      .send({ instrument: 'tno-quickscan', label: 'met namen', mode: 'identified' });
    expect(res.status).to.equal(422);
    expect(res.body.errors).to.have.length(1);
    expect(res.body.errors[0].question).to.equal('mode');
    expect(res.body.errors[0].message).to.contain('alleen zo worden afgenomen: anoniem');
    // With the instrument's own reason.
    expect(res.body.errors[0].message).to.contain('eigen ervaring met een onveilige thuissituatie');
    expect(Number((await t.testDb.db('waves').count({ n: '*' }).first())!.n)).to.equal(0);
  });

  it('is named on the wave form before it is sent, with the reason, and the form\'s refusal says it too', async () => {
    const form = await request(t.app).get('/waves/new').set('Authorization', `Bearer ${admin.token}`).set('Accept', 'text/html');
    const limits = /<ul class="hint" id="mode-limits"[^>]*>([\s\S]*?)<\/ul>/.exec(form.text)?.[1] ?? '';
    expect(limits).to.contain('Quickscan ervaringskennis mag alleen anoniem worden afgenomen.');
    expect(limits).to.contain('eigen ervaring met een onveilige thuissituatie');
    expect(limits).not.to.contain('Weerman');
    expect(form.text).to.contain('aria-describedby="mode-limits"');
    const login = await request(t.app).post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: 'correct horse battery' });
    const cookie = String(login.headers['set-cookie']).match(/spiegel_session=[^;]+/)![0];
    const page = await request(t.app).get('/waves/new').set('Cookie', cookie);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const refused = await request(t.app).post('/waves').set('Cookie', cookie).type('form')
      .send({ _csrf: csrf, label: 'met namen', instrument: 'tno-quickscan', mode: 'identified', minGroupSize: '5' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('alleen zo worden afgenomen: anoniem');
    expect(refused.text).to.contain('eigen ervaring met een onveilige thuissituatie');
  });

  it('is allowed where the instrument allows it', async () => {
    const wave = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', mode: 'identified' });
    expect(wave.status).to.equal('open');
  });
});
