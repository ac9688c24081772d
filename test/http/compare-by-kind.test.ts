// Comparing groups is grouping by the answers of one closed question. A number, a day, a
// ranking or a table has no such answers: `by=` on one is refused with 422 and a Dutch
// reason, not answered with groups of one value each (or none), and the pages offer only
// single-choice questions to group by.
import { expect } from 'chai';
import request from 'supertest';
import { Account, createTestApp, createWave, setupAdmin, TestApp } from '../helpers/app';
import { bearer, submit } from '../helpers/csv';
import { INSTRUMENT } from '../helpers/all-types';
import { sealPending } from '../helpers/seal';

describe('compare: what may group the respondents', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: Account;
  let waveId: string;
  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    expect((await request(t.app).post('/api/v1/instruments?key=alle-typen').set(bearer(admin)).send(INSTRUMENT)).status).to.equal(201);
    const wave = await createWave(t.app, admin, { instrument: 'alle-typen', label: 'Vergelijken', minGroupSize: 3 });
    waveId = wave.id;
    for (let i = 0; i < 8; i++) {
      await submit(t.app, wave.token, {
        tevreden: 1 + (i % 2), jaren: i, prioriteit: i % 2 ? ['veilig', 'wonen', 'werk'] : ['werk', 'wonen', 'veilig'],
        kinderen: [{ leeftijd: 3 + i, school: 'ja' }],
      });
    }
    // Results count sealed responses only (server/sealing/): without this the groups are empty.
    await sealPending(t.testDb.db);
  });
  after(async () => t.close());

  const compare = (by: string) => request(t.app).get(`/api/v1/waves/${waveId}/compare`).query({ by }).set(bearer(admin));

  for (const [by, words] of [['jaren', 'een getal'], ['prioriteit', 'een rangorde'], ['kinderen', 'een tabel']] as const) {
    it(`refuses by=${by} (${words}) with 422 and says why`, async () => {
      const res = await compare(by);
      expect(res.status, JSON.stringify(res.body)).to.equal(422);
      expect(res.body.errors).to.have.length(1);
      expect(res.body.errors[0].question).to.equal('by');
      expect(res.body.errors[0].message).to.contain(`‘${by}’ is ${words}`);
    });
  }

  it('compares by a single-choice question as before', async () => {
    const res = await compare('tevreden');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.by.groups.map((g: { value: number }) => g.value)).to.deep.equal([1, 2]);
  });

  it('the compare page offers single-choice questions only', async () => {
    const page = await request(t.app).get(`/waves/${waveId}/compare`).set(bearer(admin));
    expect(page.status).to.equal(200);
    expect(page.text).to.match(/<option[^>]*value="tevreden"/);
    for (const name of ['jaren', 'prioriteit', 'kinderen', 'hulp']) expect(page.text).to.not.match(new RegExp(`<option[^>]*value="${name}"`));
  });
});
