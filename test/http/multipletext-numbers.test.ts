// Issue 15: the number items of a multiple text (inputType number, or a numeric validator)
// are in the results and the comparison as a number question is: n, mean, median and
// quartiles, a rank test between the groups, and the same disclosure rules (a group under
// the minimum, or one the whole minus the shown groups would give, is not shown). The
// multiple text's other items stay text. Reference values from R, as compare-numbers:
//   a <- c(1,3,3,5,8,2.5); b <- c(2,4,6,6,9,10); c <- c(3,3,7,12,15)
//   kruskal.test(list(a, b, c))          # chi-squared = 3.11519668737, p-value = 0.210641352336
//   quantile(a)                          # 1 2.625 3 4.5 8
import { expect } from 'chai';
import request from 'supertest';
import { Account, createTestApp, createWave, setupAdmin, TestApp } from '../helpers/app';
import { bearer, rowsOf, submit } from '../helpers/csv';
import { INSTRUMENT } from '../helpers/all-types';
import { sealPending } from '../helpers/seal';

interface Item {
  name: string; row?: string; suppressed: boolean; groups: number[]; type: string;
  numbers?: Array<{ n: number; mean: number; median: number; q1: number; q3: number; iqr: number }>;
  rankTest?: { method: string; statistic: number; p: number };
}
interface Row { name: string; n: number | null; suppressed: boolean; numbers?: { n: number; mean: number; median: number; q1: number; q3: number; iqr: number } | null }

describe('multiple text: number items in results and compare (issue 15)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let admin: Account;
  let wave: { id: string; token: string };
  const send = async (tevreden: number, lengte: number) => submit(t.app, wave.token, { tevreden, maten: { lengte, merk: `merk ${lengte}` } });
  const compare = async () => {
    await sealPending(t.testDb.db);
    const res = await request(t.app).get(`/api/v1/waves/${wave.id}/compare`).query({ by: 'tevreden' }).set(bearer(admin));
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).to.equal(200);
    return (res.body as { items: Item[] }).items.filter((i) => i.name === 'maten');
  };
  const maten = async () => {
    await sealPending(t.testDb.db);
    const res = await request(t.app).get(`/api/v1/waves/${wave.id}/results`).set(bearer(admin));
    expect(res.status).to.equal(200);
    return res.body.questions.find((q: { name: string }) => q.name === 'maten') as { kind: string; rows?: Row[] };
  };

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    expect((await request(t.app).post('/api/v1/instruments?key=alle-typen').set(bearer(admin)).send(INSTRUMENT)).status).to.equal(201);
    wave = await createWave(t.app, admin, { instrument: 'alle-typen', label: 'Maten', minGroupSize: 3 });
    for (const x of [1, 3, 3, 5, 8, 2.5]) await send(1, x);
    for (const x of [2, 4, 6, 6, 9, 10]) await send(2, x);
    await send(3, 3);
    await send(3, 3);
  });
  after(async () => t.close());

  it('results: the number item has n, mean, median and IQR; the text item none', async () => {
    const q = await maten();
    expect(q.kind).to.equal('text');
    const lengte = q.rows!.find((r) => r.name === 'lengte')!;
    expect(lengte.suppressed).to.equal(false);
    expect(lengte.numbers).to.include({ n: 14, median: 3.5 });
    expect(lengte.numbers!.mean).to.be.closeTo(65.5 / 14, 1e-12);
    expect(q.rows!.find((r) => r.name === 'merk')).to.equal(undefined);
    // gewicht (a numeric validator) was not answered: held back, as a number nobody answered.
    const gewicht = q.rows!.find((r) => r.name === 'gewicht')!;
    expect(gewicht).to.include({ suppressed: true, n: null });
    expect(gewicht.numbers).to.equal(undefined);
    // The results page shows the item's summary beside the link to the texts, in Dutch.
    const page = await request(t.app).get(`/waves/${wave.id}/results`).set(bearer(admin));
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Lengte (cm)');
    expect(page.text).to.match(/Mediaan[\s\S]*?3,5/);
    // And the frequency CSV: the multiple text's own line, and one for its number item.
    const csv = rowsOf((await request(t.app).get(`/api/v1/waves/${wave.id}/results.csv`).set(bearer(admin))).text);
    expect(csv.filter((r) => r.variable === 'maten')).to.have.length(1);
    expect(csv.find((r) => r.variable === 'maten.lengte')).to.include({ n: '14', suppressed: '0' });
  });

  it('compare: a group of two is not shown nor derivable by subtraction', async () => {
    const items = await compare();
    const lengte = items.find((i) => i.row === 'lengte')!;
    expect(lengte, JSON.stringify(items)).to.not.equal(undefined);
    expect(lengte.suppressed).to.equal(true);
    expect(lengte.numbers).to.equal(undefined);
    expect(lengte.rankTest).to.equal(undefined);
    expect(JSON.stringify(lengte)).to.not.match(/"n":2\b/);
    expect(items.find((i) => i.row === 'merk')).to.equal(undefined);
  });

  it('compare: three groups large enough get per group summaries and Kruskal-Wallis as R', async () => {
    await send(3, 7);
    await send(3, 12);
    await send(3, 15);
    const lengte = (await compare()).find((i) => i.row === 'lengte')!;
    expect(lengte.suppressed).to.equal(false);
    expect(lengte.groups).to.deep.equal([1, 2, 3]);
    expect(lengte.numbers![0]).to.include({ n: 6, mean: 3.75, median: 3, q1: 2.625, q3: 4.5, iqr: 1.875 });
    expect(lengte.numbers![2]).to.include({ n: 5, median: 7, q1: 3, q3: 12 });
    expect(lengte.rankTest!.method).to.equal('kruskal-wallis');
    expect(lengte.rankTest!.statistic).to.be.closeTo(3.11519668737, 1e-9);
    expect(lengte.rankTest!.p).to.be.closeTo(0.210641352336, 1e-9);
  });
});
