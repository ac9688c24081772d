// Issue 14 on the compare API and page: ordinal tests for items declared ordinal, the odds
// ratio of a 2×2 table, residual marks only for a significant item at a cell-corrected
// threshold, Wilson intervals on request, a trend over three waves. References from R,
// with `expand` as in test/unit/stats/methods-14.test.ts.
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account } from '../helpers/app';
import { storeResponses } from '../helpers/results';

const TOL = 1e-9;
type Data = Record<string, unknown>;

function answers(question: string, values: Array<number | string>, counts: number[]): Data[] {
  return values.flatMap((value, i) => Array.from({ length: counts[i] }, () => ({ [question]: value })));
}
function respondents(n: number, base: Data, ...lists: Data[][]): Data[] {
  return Array.from({ length: n }, (_, i) => Object.assign({}, base, ...lists.map((list) => list[i] ?? {})));
}

describe('compare: the tests a researcher can defend (issue 14)', function () {
  this.timeout(60000);
  let t: TestApp;
  let admin: Account;
  let waveId: string;
  let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  const get = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${admin.token}`);
  const item = (b: { items: Array<{ name: string }> }, name: string) => b.items.find((i) => i.name === name) as any; // eslint-disable-line @typescript-eslint/no-explicit-any

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin);
    waveId = wave.id;
    // f_leren (ordinal): rbind(c(10,15,20,25,12), c(18,20,14,10,7)); c_collegas: rbind(c(3,7), c(9,2));
    // t6_belemmerd (ordinal, not significant, one |z| > 1.96): rbind(c(12,2,10,10,10), c(10,9,10,10,10)).
    const professionals = respondents(82, { b_role: 'professional', c_ervaring: 'nee' },
      answers('f_leren', [1, 2, 3, 4, 5], [10, 15, 20, 25, 12]), answers('c_collegas', ['ja', 'nee'], [3, 7]),
      answers('t6_belemmerd', [1, 2, 3, 4, 5], [12, 2, 10, 10, 10]));
    const students = respondents(69, { b_role: 'student', c_ervaring: 'nee' },
      answers('f_leren', [1, 2, 3, 4, 5], [18, 20, 14, 10, 7]), answers('c_collegas', ['ja', 'nee'], [9, 2]),
      answers('t6_belemmerd', [1, 2, 3, 4, 5], [10, 9, 10, 10, 10]));
    await storeResponses(t.testDb.db, wave.id, [...professionals, ...students]);
    const res = await get(`/api/v1/waves/${wave.id}/compare?by=b_role`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    body = res.body;
  });
  after(async () => t.close());

  it('adds Mann-Whitney U and the linear-by-linear association to an ordinal item, as R gives them', () => {
    const leren = item(body, 'f_leren');
    expect(leren.level).to.equal('ordinal');
    // R: e <- expand(rbind(c(10,15,20,25,12), c(18,20,14,10,7))); wilcox.test(e$v[e$g==1], e$v[e$g==2], exact=FALSE, correct=FALSE)
    //    -> W = 3621, p = 0.0024717397534805333
    expect(leren.test.ordinal.method).to.equal('mann-whitney');
    expect(leren.test.ordinal.statistic).to.equal(3621);
    expect(leren.test.ordinal.p).to.be.closeTo(0.0024717397534805333, TOL);
    expect(leren.test.ordinal.effectSize).to.be.within(0, 1);
    // R: (length(e$v)-1)*cor(e$g,e$v)^2 -> 8.8439756386868158; p 0.0029405789326183399
    expect(leren.test.linearByLinear.statistic).to.be.closeTo(8.8439756386868158, TOL);
    expect(leren.test.linearByLinear.df).to.equal(1);
    expect(leren.test.linearByLinear.p).to.be.closeTo(0.0029405789326183399, TOL);
    expect(leren.test).not.to.have.property('oddsRatio');
  });

  it('gives a nominal item neither ordinal test, and a 2×2 table its odds ratio with the 95% interval', () => {
    const collegas = item(body, 'c_collegas');
    expect(collegas.level).to.equal('nominal');
    expect(collegas.test).not.to.have.property('ordinal');
    expect(collegas.test).not.to.have.property('linearByLinear');
    // R: lor <- log(3*2/(7*9)); se <- sqrt(1/3+1/7+1/9+1/2); exp(lor + c(0,-1,1)*qnorm(0.975)*se)
    //    -> 0.095238095238095247 0.012337605905002314 0.73517462418725188
    expect(collegas.test.oddsRatio.estimate).to.be.closeTo(0.095238095238095247, TOL);
    expect(collegas.test.oddsRatio.lower).to.be.closeTo(0.012337605905002314, TOL);
    expect(collegas.test.oddsRatio.upper).to.be.closeTo(0.73517462418725188, TOL);
  });

  it('marks no cell of an item that does not differ significantly, whatever its residuals', () => {
    // R: chisq.test(rbind(c(12,2,10,10,10), c(10,9,10,10,10)), correct=FALSE) -> p 0.35698900545056528, stdres[,2] = ∓2.060773
    const belemmerd = item(body, 't6_belemmerd');
    expect(belemmerd.test.pChiSquare).to.be.closeTo(0.35698900545056528, TOL);
    expect(Math.abs(belemmerd.residuals[0][1])).to.be.greaterThan(1.96);
    expect(belemmerd.significantCells.flat()).to.deep.equal(Array(10).fill(false));
    expect(belemmerd.markThreshold).to.be.closeTo(2.8070337683438114, 1e-12); // R: qnorm(1 - 0.05/(2*10))
  });

  it('adds Wilson intervals to the row percentages on request', async () => {
    const res = await get(`/api/v1/waves/${waveId}/compare?by=b_role&intervals=wilson`);
    const leren = item(res.body, 'f_leren');
    // R: prop.test(10, 82, correct=FALSE)$conf.int -> 0.067608536496778962 0.21012973995183348
    expect(leren.intervals[0][0].lower).to.be.closeTo(6.760853649677896, 1e-9);
    expect(leren.intervals[0][0].upper).to.be.closeTo(21.012973995183348, 1e-9);
    expect(item(body, 'f_leren')).not.to.have.property('intervals');
    expect((await get(`/api/v1/waves/${waveId}/compare?by=b_role&intervals=normal`)).status).to.equal(422);
  });

  it('shows it all on the compare page, in Dutch', async () => {
    const res = await get(`/waves/${waveId}/compare?by=b_role&intervals=wilson&adjust=bh`);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Ordinale toets: Mann-Whitney U = 3.621,00; p = 0,002');
    expect(res.text).to.contain('Lineair-bij-lineair verband: Χ² (1) = 8,84; p = 0,003');
    expect(res.text).to.contain('Odds ratio 0,10 (95%-betrouwbaarheidsinterval 0,01–0,74)');
    expect(res.text).to.contain('p na Benjamini-Hochberg-correctie');
    expect(res.text).to.contain('Geen markeringen: de vraag verschilt als geheel niet significant.');
    expect(res.text).to.match(/\|z\| &gt; 2,50 \(Bonferroni-correctie over de 4 cellen/);
    expect(res.text).to.contain('class="muted small interval">[7–21]');
    // f_leren's professionals: 12 + 18 + 24 + 30 + 15 = 99 (R: sum(floor(100 * c(10,15,20,25,12) / 82 + 0.5)) -> 99)
    expect(res.text).to.contain('Door afronding tellen de percentages niet altijd op tot 100.');
  });

  it('tests a trend over three waves of a series (linear-by-linear on the wave order)', async () => {
    const ids: string[] = [];
    // c_collegas ja/nee per wave: rbind(c(4,16), c(8,12), c(14,6))
    for (const [ja, nee] of [[4, 16], [8, 12], [14, 6]]) {
      const wave = await createWave(t.app, admin, { label: `meting ${ids.length}`, series: 'trend' });
      await storeResponses(t.testDb.db, wave.id, [
        ...respondents(ja, { b_role: 'professional', c_ervaring: 'nee', c_collegas: 'ja' }),
        ...respondents(nee, { b_role: 'professional', c_ervaring: 'nee', c_collegas: 'nee' }),
      ]);
      ids.push(wave.id);
    }
    const res = await get(`/api/v1/compare?waves=${ids.join(',')}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const collegas = item(res.body, 'c_collegas');
    // R: ew <- expand(rbind(c(4,16), c(8,12), c(14,6))); (length(ew$v)-1)*cor(ew$g,ew$v)^2 -> 10.011312217194568, p 0.0015558163091200158
    expect(collegas.test.linearByLinear.statistic).to.be.closeTo(10.011312217194568, TOL);
    expect(collegas.test.linearByLinear.p).to.be.closeTo(0.0015558163091200158, TOL);
  });
});
