// Issue 15: a number and the choices of a ranking are items of a comparison, with per group
// n, mean, median and quartiles (or mean place and first-place share) and a rank test, and
// the same disclosure rules as every item: a group under the minimum, or one whose value the
// whole selection's result minus the shown groups would give, is not shown.
// Reference values from R (tie-corrected, no continuity correction, as the ordinal items):
//   a <- c(1,3,3,5,8,2.5); b <- c(2,4,6,6,9,10); c <- c(3,3,7,12,15)
//   kruskal.test(list(a, b, c))          # chi-squared = 3.11519668737, p-value = 0.210641352336
//   quantile(c)                          # 3 3 7 12 15
//   ra <- c(1,1,2,3,1,2); rb <- c(3,2,3,3,2,1); rc <- c(1,1,1,1,1)   # places of 'veilig'
//   kruskal.test(list(ra, rb, rc))       # chi-squared = 7.10453648915, p-value = 0.0286595589835
import { expect } from 'chai';
import request from 'supertest';
import { Account, createTestApp, createWave, setupAdmin, TestApp } from '../helpers/app';
import { bearer, rowsOf, submit } from '../helpers/csv';
import { INSTRUMENT } from '../helpers/all-types';
import { sealPending } from '../helpers/seal';

/** An order of the three choices with 'veilig' at this place. */
const order = (place: number) => [['veilig', 'wonen', 'werk'], ['wonen', 'veilig', 'werk'], ['wonen', 'werk', 'veilig']][place - 1];

interface Item {
  name: string; choice?: string; suppressed: boolean; groups: number[]; test: unknown;
  numbers?: Array<{ n: number; mean: number; median: number; q1: number; q3: number; iqr: number }>;
  ranks?: Array<{ n: number; meanRank: number; firstPlaces: number; firstPlacePercent: number }>;
  rankTest?: { method: string; statistic: number; df: number; p: number; pAdjusted: number; family: { size: number } };
  excludedGroups: Array<{ value: number; reason: string }>;
}

describe('compare: numbers and rankings as items (issue 15)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let admin: Account;
  let wave: { id: string; token: string };
  const send = async (tevreden: number, jaren: number, veilig: number) => submit(t.app, wave.token, { tevreden, jaren, prioriteit: order(veilig) });
  const compare = async () => {
    await sealPending(t.testDb.db);
    const res = await request(t.app).get(`/api/v1/waves/${wave.id}/compare`).query({ by: 'tevreden' }).set(bearer(admin));
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).to.equal(200);
    return res.body as { items: Item[] };
  };
  const itemOf = (body: { items: Item[] }, name: string, choice?: string) => body.items.find((i) => i.name === name && i.choice === choice)!;

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    expect((await request(t.app).post('/api/v1/instruments?key=alle-typen').set(bearer(admin)).send(INSTRUMENT)).status).to.equal(201);
    wave = await createWave(t.app, admin, { instrument: 'alle-typen', label: 'Getallen', minGroupSize: 3 });
    const a = [1, 3, 3, 5, 8, 2.5];
    const ra = [1, 1, 2, 3, 1, 2];
    const b = [2, 4, 6, 6, 9, 10];
    const rb = [3, 2, 3, 3, 2, 1];
    for (const [i, x] of a.entries()) await send(1, x, ra[i]);
    for (const [i, x] of b.entries()) await send(2, x, rb[i]);
    // Two of a third group: fewer than the minimum.
    await send(3, 3, 1);
    await send(3, 3, 1);
  });
  after(async () => t.close());

  it('a group of two is not shown, nor derivable: the whole selection minus the two shown groups would be those two', async () => {
    const body = await compare();
    expect(itemOf(body, 'tevreden', undefined)).to.equal(undefined); // the grouping question itself
    const results = (await request(t.app).get(`/api/v1/waves/${wave.id}/results`).set(bearer(admin))).body;
    const whole = results.questions.find((q: { name: string }) => q.name === 'jaren');
    expect(whole.numbers.n).to.equal(14);
    for (const item of [itemOf(body, 'jaren'), itemOf(body, 'prioriteit', 'veilig')]) {
      // Shown: 1 and 2 with 12 answers, the whole has 14: a rest of 2 would give group 3's mean by subtraction.
      expect(item.suppressed, JSON.stringify(item)).to.equal(true);
      expect(item.numbers).to.equal(undefined);
      expect(item.ranks).to.equal(undefined);
      expect(item.rankTest).to.equal(undefined);
      expect(item.groups.length).to.be.at.most(1); // as every suppressed item: no numbers beside it
    }
    // Nothing of the two in the answer: not the mean 3, not their n.
    expect(JSON.stringify(itemOf(body, 'jaren'))).to.not.match(/"n":2\b/);
    // Nor in the CSV of the comparison: one line per suppressed item, no group, no summary.
    const csv = rowsOf((await request(t.app).get(`/api/v1/waves/${wave.id}/compare.csv`).query({ by: 'tevreden' }).set(bearer(admin))).text);
    for (const variable of ['jaren', 'prioriteit.veilig']) {
      const lines = csv.filter((r) => r.variable === variable);
      expect(lines, variable).to.have.length(1);
      expect(lines[0], variable).to.include({ group: '', group_n: '', mean: '', median: '', mean_rank: '', first_place_percent: '', suppressed: '1' });
    }
  });

  it('three groups large enough: per group summaries and Kruskal-Wallis as R, in the page family', async () => {
    await send(3, 7, 1);
    await send(3, 12, 1);
    await send(3, 15, 1);
    const body = await compare();
    const jaren = itemOf(body, 'jaren');
    expect(jaren.suppressed).to.equal(false);
    expect(jaren.test).to.equal(null);
    expect(jaren.groups).to.deep.equal([1, 2, 3]);
    expect(jaren.numbers![0]).to.include({ n: 6, mean: 3.75, median: 3, q1: 2.625, q3: 4.5, iqr: 1.875 });
    expect(jaren.numbers![2]).to.include({ n: 5, median: 7, q1: 3, q3: 12 });
    expect(jaren.rankTest!.method).to.equal('kruskal-wallis');
    expect(jaren.rankTest!.statistic).to.be.closeTo(3.11519668737, 1e-9);
    expect(jaren.rankTest!.p).to.be.closeTo(0.210641352336, 1e-9);
    const veilig = itemOf(body, 'prioriteit', 'veilig');
    expect(veilig.ranks![2]).to.deep.equal({ n: 5, meanRank: 1, firstPlaces: 5, firstPlacePercent: 100 });
    expect(veilig.ranks![0].firstPlacePercent).to.equal(50);
    expect(veilig.rankTest!.statistic).to.be.closeTo(7.10453648915, 1e-9);
    expect(veilig.rankTest!.p).to.be.closeTo(0.0286595589835, 1e-9);
    // Adjusted with every other test of its family (the instrument's page), not alone.
    expect(veilig.rankTest!.family.size).to.be.greaterThan(2);
    expect(veilig.rankTest!.pAdjusted).to.be.greaterThan(veilig.rankTest!.p);
  });

  it('the compare page shows them with Dutch labels', async () => {
    const page = await request(t.app).get(`/waves/${wave.id}/compare`).query({ by: 'tevreden' }).set(bearer(admin));
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('data-testid="value-compare"');
    expect(page.text).to.contain('Mediaan');
    expect(page.text).to.contain('Gerangschikt: ‘Veiligheid’');
    expect(page.text).to.contain('% eerste plaats');
    expect(page.text).to.contain('Kruskal-Wallis H (2, N = 17) = 3,12');
  });

  it('the CSV of the comparison lists them with their test, as shown', async () => {
    const csv = await request(t.app).get(`/api/v1/waves/${wave.id}/compare.csv`).query({ by: 'tevreden' }).set(bearer(admin));
    expect(csv.status).to.equal(200);
    expect(csv.text).to.contain('kruskal-wallis');
    // Per shown group the summaries the API gives: n, mean, median, quartiles and IQR of a number,
    // mean place and first places of a ranked choice; the test on every line of the item.
    const rows = rowsOf(csv.text);
    const jaren = rows.filter((r) => r.variable === 'jaren');
    expect(jaren.map((r) => r.group)).to.deep.equal(['1', '2', '3']);
    expect(jaren[0]).to.include({ group_n: '6', mean: '3.75', median: '3', q1: '2.625', q3: '4.5', iqr: '1.875', method: 'kruskal-wallis', suppressed: '0' });
    expect(jaren[2]).to.include({ group_n: '5', median: '7', q1: '3', q3: '12', mean_rank: '' });
    const veilig = rows.filter((r) => r.variable === 'prioriteit.veilig');
    expect(veilig.map((r) => r.group)).to.deep.equal(['1', '2', '3']);
    expect(veilig[2]).to.include({ group_n: '5', mean_rank: '1', first_places: '5', first_place_percent: '100', mean: '' });
    expect(veilig[0]).to.include({ first_place_percent: '50' });
    // Dutch Excel: decimal commas.
    const semicolon = rowsOf((await request(t.app).get(`/api/v1/waves/${wave.id}/compare.csv`).query({ by: 'tevreden', sep: ';' }).set(bearer(admin))).text, ';');
    expect(semicolon.find((r) => r.variable === 'jaren' && r.group === '1')).to.include({ mean: '3,75', iqr: '1,875' });
  });
});
