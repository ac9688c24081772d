// Issue 13: "Nog te doen" listed every action with any respondent not at "Gerealiseerd",
// including one that 8 of 9 MT members called realised. It lists what is still to do.
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account } from '../helpers/app';
import { storeResponses } from '../helpers/results';

describe('the Valente summary\'s open actions', () => {
  let t: TestApp;
  let admin: Account;
  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
  });
  after(async () => { await t.close(); });

  it('leaves out an action that most respondents call realised, and keeps one that most do not', async () => {
    const wave = await createWave(t.app, admin, { instrument: 'valente-zes-stappen', mode: 'identified', label: 'MT' });
    const people = Array.from({ length: 9 }, (_, i) => ({
      s1a1_status: i < 8 ? 'gerealiseerd' : 'bezig',
      s1a3_status: i < 4 ? 'gerealiseerd' : 'bezig',
    }));
    await storeResponses(t.testDb.db, wave.id, people);
    const res = await request(t.app).get(`/api/v1/waves/${wave.id}/summary`).set('Authorization', `Bearer ${admin.token}`);
    expect(res.status).to.equal(200);
    const open = res.body.valente.openActions.map((a: { id: string }) => a.id);
    expect(open).to.not.include('s1a1');
    expect(open).to.include('s1a3');
  });
});
