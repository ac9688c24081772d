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
    expect(Number((await t.testDb.db('waves').count({ n: '*' }).first())!.n)).to.equal(0);
  });

  it('is allowed where the instrument allows it', async () => {
    const wave = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', mode: 'identified' });
    expect(wave.status).to.equal('open');
  });
});
