// Paired measurements (issue 14): identified waves of a series run as a panel. The second
// wave's invitations are made from the first's (`panelFrom`), so each person keeps one
// pseudonymous key (never shown); GET /api/v1/compare/paired tests the same people before
// and after over complete pairs only, with small-group suppression on the pairs.
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account } from '../helpers/app';
import { sealPending } from '../helpers/seal';

describe('paired measurements: a panel over two identified waves', function () {
  this.timeout(60000);
  let t: TestApp;
  let admin: Account;
  const auth = (a: Account) => ({ Authorization: `Bearer ${a.token}` });
  const get = (path: string) => request(t.app).get(path).set(auth(admin));
  // w01_is before and after for ten people; rol: three hulpverleners become ervaringsdeskundige.
  const atStart = [0, 1, 1, 2, 2, 2, 3, 3, 4, 1];
  const atEnd = [1, 2, 1, 3, 3, 2, 4, 3, 4, 2];
  const roleBefore = ['hulpverlener', 'hulpverlener', 'hulpverlener', 'hulpverlener', 'hulpverlener', 'hulpverlener', 'hulpverlener', 'hulpverlener', 'ervaringsdeskundige', 'ervaringsdeskundige'];
  const roleAfter = ['hulpverlener', 'hulpverlener', 'hulpverlener', 'hulpverlener', 'hulpverlener', 'ervaringsdeskundige', 'ervaringsdeskundige', 'ervaringsdeskundige', 'ervaringsdeskundige', 'ervaringsdeskundige'];
  let first: string;
  let second: string;
  let invitations: Array<{ token: string; name: string | null }>;

  /** Each invitation answers as the person its name says (Persoon k -> index k − 1). */
  const person = (name: string | null) => Number(String(name).split(' ')[1]) - 1;
  async function answer(list: Array<{ token: string; name: string | null }>, data: (i: number) => Record<string, unknown>) {
    for (const { token, name } of list) {
      const i = person(name);
      const res = await request(t.app).post(`/s/${token}/responses`).send({ submissionId: crypto.randomUUID(), data: data(i) });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
    await sealPending(t.testDb.db);
  }

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    // The minimum of 5 set on purpose: the Weerman scan's own default is 3.
    const body = { instrument: 'weerman-organisatiescan', mode: 'identified', series: 'mt-panel', minGroupSize: 5 };
    first = (await createWave(t.app, admin, { ...body, label: 'Start', opensAt: '2026-01-05' })).id;
    second = (await createWave(t.app, admin, { ...body, label: 'Eind', opensAt: '2026-06-01' })).id;
    const names = atStart.map((_, i) => `Persoon ${i + 1}`);
    const made = await request(t.app).post(`/api/v1/waves/${first}/invitations`).set(auth(admin)).send({ names });
    expect(made.status).to.equal(201);
    // Everyone answers w02_is at the start; at the end three leave it out.
    await answer(made.body, (i) => ({ rol: roleBefore[i], w01_is: atStart[i], w02_is: 2 }));
    const again = await request(t.app).post(`/api/v1/waves/${second}/invitations`).set(auth(admin)).send({ panelFrom: first });
    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    invitations = again.body;
    expect(invitations.map((i) => i.name)).to.have.members(names);
    await answer(invitations, (i) => ({ rol: roleAfter[i], w01_is: atEnd[i], ...(i < 7 ? { w02_is: 3 } : {}) }));
  });
  after(async () => t.close());

  it('tests an ordinal item with the Wilcoxon signed-rank test over the pairs, as R does', async () => {
    const res = await get(`/api/v1/compare/paired?waves=${first},${second}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.pairs).to.equal(10);
    const item = res.body.items.find((i: { name: string }) => i.name === 'w01_is');
    expect(item.level).to.equal('ordinal');
    expect(item.n).to.equal(10);
    // R: x <- c(0,1,1,2,2,2,3,3,4,1); y <- c(1,2,1,3,3,2,4,3,4,2)
    //    wilcox.test(y, x, paired=TRUE, exact=FALSE, correct=FALSE) -> V = 21, p = 0.01430587843542965
    expect(item.test.method).to.equal('wilcoxon-signed-rank');
    expect(item.test.statistic).to.equal(21);
    expect(item.test.p).to.be.closeTo(0.01430587843542965, 1e-9);
    expect(item.test.family).to.include({ method: 'holm' });
    expect(item.test.text).to.match(/^Wilcoxon \(gepaarde rangtekentoets\): z = \d,\d\d, N = 10; p = 0,014/);
  });

  it('tests a nominal item with McNemar (Bowker for more answers) over the pairs', async () => {
    const res = await get(`/api/v1/compare/paired?waves=${first},${second}`);
    const rol = res.body.items.find((i: { name: string }) => i.name === 'rol');
    // R: mcnemar.test(matrix(c(5,0,3,2),2), correct=FALSE) -> 3, p 0.083264516663550558
    expect(rol.test.method).to.equal('mcnemar');
    expect(rol.test.statistic).to.be.closeTo(3, 1e-12);
    expect(rol.test.p).to.be.closeTo(0.083264516663550558, 1e-9);
  });

  it('shows an item\'s pairs only when the answerers left out of them are nobody or at least the minimum', async () => {
    const res = await get(`/api/v1/compare/paired?waves=${first},${second}`);
    // w02_is: 7 pairs, but 10 answered it at the start: the 3 without a pair would be derivable.
    const w02 = res.body.items.find((i: { name: string }) => i.name === 'w02_is');
    expect(w02).to.include({ suppressed: true, n: null, test: null });
    expect(w02).not.to.have.property('counts');
  });

  it('never shows the pseudonymous panel key', async () => {
    const keys = (await t.testDb.db('invitations').whereNotNull('panel_key').select('panel_key')).map((r: { panel_key: string }) => r.panel_key);
    expect(keys.length).to.equal(20);
    expect(new Set(keys).size).to.equal(10);
    const texts = [
      (await get(`/api/v1/compare/paired?waves=${first},${second}`)).text,
      (await get(`/api/v1/waves/${second}/invitations`)).text,
      (await get(`/api/v1/waves/${second}/export.csv`)).text,
    ];
    for (const text of texts) for (const key of keys) expect(text).not.to.contain(key);
  });

  it('shows the paired comparison on the series page, and offers the earlier wave on the wave page', async () => {
    const page = await get(`/series/mt-panel`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Dezelfde mensen voor en na: Start en Eind').and.contain('10 paren');
    expect(page.text).to.match(/Wilcoxon \(gepaarde rangtekentoets\): z = \d,\d\d, N = 10; p = 0,014/);
    const wavePage = await get(`/waves/${second}`);
    expect(wavePage.text).to.contain('name="panelFrom"').and.contain(`<option value="${first}">Start</option>`);
  });

  it('says nothing when fewer than the minimum took part in both waves', async () => {
    const third = (await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', mode: 'identified', series: 'mt-panel', label: 'Later', opensAt: '2026-09-01', minGroupSize: 5 })).id;
    const made = await request(t.app).post(`/api/v1/waves/${third}/invitations`).set(auth(admin)).send({ panelFrom: second });
    await answer(made.body.slice(0, 4), () => ({ w01_is: 1 }));
    const res = await get(`/api/v1/compare/paired?waves=${second},${third}`);
    expect(res.body).to.include({ pairs: null, suppressed: true });
    expect(res.body.items).to.deep.equal([]);
  });

  it('refuses anonymous waves, waves of another series, a wave of another organisation (404), and bad panelFrom', async () => {
    const anonymous = (await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', series: 'mt-panel' })).id;
    expect((await get(`/api/v1/compare/paired?waves=${first},${anonymous}`)).status).to.equal(422);
    expect((await get(`/api/v1/compare/paired?waves=${first}`)).status).to.equal(422);
    expect((await get(`/api/v1/compare/paired?waves=${first},00000000-0000-4000-8000-000000000000`)).status).to.equal(404);
    const other = (await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', mode: 'identified', series: 'andere' })).id;
    expect((await request(t.app).post(`/api/v1/waves/${other}/invitations`).set(auth(admin)).send({ panelFrom: first })).status).to.equal(422);
    expect((await request(t.app).post(`/api/v1/waves/${other}/invitations`).set(auth(admin)).send({ panelFrom: first, count: 2 })).status).to.equal(422);
  });
});
