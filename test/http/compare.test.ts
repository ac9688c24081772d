import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account } from '../helpers/app';
import { storeResponses } from '../helpers/results';
import { holm } from '../../server/stats';

const TOL = 1e-6;
type Data = Record<string, unknown>;

/** Respondents with the given answers to one question: counts per value, in order. */
function answers(question: string, values: Array<number | string>, counts: number[]): Data[] {
  return values.flatMap((value, i) => Array.from({ length: counts[i] }, () => ({ [question]: value })));
}

/** Merges per-question answer lists into respondents: the i-th answer of each list goes to respondent i. */
function respondents(n: number, base: Data, ...lists: Data[][]): Data[] {
  return Array.from({ length: n }, (_, i) => Object.assign({}, base, ...lists.map((list) => list[i] ?? {})));
}

describe('comparing groups within a wave', () => {
  let t: TestApp;
  let admin: Account;
  const get = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${admin.token}`);
  const item = (body: { items: Array<{ name: string; row?: string }> }, name: string) => body.items.find((i) => i.name === name) as any; // eslint-disable-line @typescript-eslint/no-explicit-any

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
  });
  after(async () => t.close());

  describe('professionals and students (the R reference tables of test/unit/stats)', () => {
    let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any

    before(async () => {
      const wave = await createWave(t.app, admin);
      // f_leren: rbind(c(10,15,20,25,12), c(18,20,14,10,7)); c_collegas (ja, nee): rbind(c(3,7), c(9,2)).
      const professionals = respondents(82, { b_role: 'professional', c_ervaring: 'nee' },
        answers('f_leren', [1, 2, 3, 4, 5], [10, 15, 20, 25, 12]), answers('c_collegas', ['ja', 'nee'], [3, 7]));
      const students = respondents(69, { b_role: 'student', c_ervaring: 'nee' },
        answers('f_leren', [1, 2, 3, 4, 5], [18, 20, 14, 10, 7]), answers('c_collegas', ['ja', 'nee'], [9, 2]));
      await storeResponses(t.testDb.db, wave.id, [...professionals, ...students]);
      const res = await get(`/api/v1/waves/${wave.id}/compare?by=b_role`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      body = res.body;
    });

    it('describes the groups of `by`', () => {
      expect(body.by).to.deep.equal({
        name: 'b_role', row: null, title: 'Ben je professional of student?',
        groups: [{ value: 'professional', label: 'Professional', n: 82 }, { value: 'student', label: 'Student', n: 69 }], excluded: [],
      });
      expect(body.items.some((i: { name: string }) => i.name === 'b_role')).to.equal(false);
    });

    it('tests a 2×5 Likert item with Pearson\'s chi-square as R does', () => {
      const leren = item(body, 'f_leren');
      expect(leren.groups).to.deep.equal(['professional', 'student']);
      expect(leren.categories).to.deep.equal([1, 2, 3, 4, 5]);
      expect(leren.counts).to.deep.equal([[10, 15, 20, 25, 12], [18, 20, 14, 10, 7]]);
      // R: chisq.test(rbind(c(10,15,20,25,12), c(18,20,14,10,7)), correct=FALSE)$p.value -> 0.029351338633951122
      expect(leren.test.method).to.equal('chi-square');
      expect(leren.test.df).to.equal(4);
      expect(leren.test.p).to.be.closeTo(0.029351338633951122, TOL);
      // R: min(chisq.test(...)$expected) -> 8.6821192052980134
      expect(leren.test.minExpected).to.be.closeTo(8.6821192052980134, TOL);
      expect(leren.test.text).to.equal('Χ² (4, N = 151) = 10,76; p = 0,029');
      expect(leren.rowPercents[0][0]).to.be.closeTo(100 * 10 / 82, 1e-9);
      expect(leren.residuals).to.have.length(2);
    });

    it('uses Fisher\'s exact test for a 2×2 table with low expected counts, and names it', () => {
      const collegas = item(body, 'c_collegas');
      expect(collegas.counts).to.deep.equal([[3, 7], [9, 2]]);
      expect(collegas.test.method).to.equal('fisher-exact');
      // R: fisher.test(matrix(c(3,9,7,2),2))$p.value -> 0.029973122852379824
      expect(collegas.test.p).to.be.closeTo(0.029973122852379824, TOL);
      // R: chisq.test(matrix(c(3,9,7,2),2), correct=FALSE)$p.value -> 0.016552780261048519
      expect(collegas.test.pChiSquare).to.be.closeTo(0.016552780261048519, TOL);
      // Each p under its own test: Fisher's p does not read as the p of Χ².
      expect(collegas.test.text).to.equal('Χ² (1, N = 21) = 5,74, p = 0,017; exacte toets van Fisher: p = 0,030');
    });

    it('adjusts p within each item\'s family (its page, by default), names the family, and keeps the unadjusted p', () => {
      // f_leren and c_collegas are on different pages: each is a family of one, so nothing is adjusted.
      const leren = item(body, 'f_leren').test;
      const collegas = item(body, 'c_collegas').test;
      expect(leren.family).to.deep.equal({ name: 'Ervaringen delen in het werk', size: 1, method: 'holm' });
      expect(collegas.family).to.deep.equal({ name: 'Ervaring met een onveilige thuissituatie', size: 1, method: 'holm' });
      expect(leren.pAdjusted).to.equal(leren.p);
      expect(leren.pUnadjusted).to.equal(leren.p);
      expect(body.items.filter((i: { test: unknown }) => i.test !== null)).to.have.length(2);
      expect(item(body, 'f_leren').sentence).to.not.equal('Geen significant verschil tussen de groepen.');
    });

    it('adjusts one family together, by Holm or on request by Benjamini-Hochberg', async () => {
      const wave = await createWave(t.app, admin);
      const professionals = respondents(82, { b_role: 'professional', c_ervaring: 'nee' },
        answers('f_leren', [1, 2, 3, 4, 5], [10, 15, 20, 25, 12]), answers('e_wenselijk', [4, 3, 2, 1], [20, 30, 20, 12]));
      const students = respondents(69, { b_role: 'student', c_ervaring: 'nee' },
        answers('f_leren', [1, 2, 3, 4, 5], [18, 20, 14, 10, 7]), answers('e_wenselijk', [4, 3, 2, 1], [18, 20, 20, 11]));
      await storeResponses(t.testDb.db, wave.id, [...professionals, ...students]);
      const holmBody = (await get(`/api/v1/waves/${wave.id}/compare?by=b_role`)).body;
      const bhBody = (await get(`/api/v1/waves/${wave.id}/compare?by=b_role&adjust=bh`)).body;
      const p1 = item(holmBody, 'f_leren').test.p;
      const p2 = item(holmBody, 'e_wenselijk').test.p;
      // Both on page "Ervaringen delen in het werk": R p.adjust(c(p1, p2), "holm") / "BH"
      expect(item(holmBody, 'f_leren').test.family).to.deep.equal({ name: 'Ervaringen delen in het werk', size: 2, method: 'holm' });
      expect(item(holmBody, 'f_leren').test.pAdjusted).to.be.closeTo(holm([p1, p2])[0]!, 1e-12);
      expect(item(bhBody, 'f_leren').test.family.method).to.equal('bh');
      expect(item(bhBody, 'f_leren').test.pAdjusted).to.be.closeTo(Math.min(1, Math.min(2 * p1, Math.max(p1, p2))), 1e-12);
      expect((await get(`/api/v1/waves/${wave.id}/compare?by=b_role&adjust=bonferroni`)).status).to.equal(422);
    });

    it('does not test an item every group answered the same way, and shows no numbers for an item without two groups', () => {
      const ervaring = item(body, 'c_ervaring');
      expect(ervaring).to.include({ test: null, suppressed: false, reason: 'fewer-than-two-categories' });
      expect(ervaring.counts).to.deep.equal([[82], [69]]);
      const t9 = body.items.find((i: { name: string; row?: string }) => i.name === 't9' && i.row === 't9_1');
      expect(t9).to.include({ test: null, suppressed: true, reason: 'fewer-than-two-groups' });
      expect(t9).not.to.have.property('counts');
      // No answers and a few share one reason: telling them apart would say that a few answered.
      expect(t9.excludedGroups.map((g: { reason: string }) => g.reason)).to.deep.equal(['below-minimum', 'below-minimum']);
    });
  });

  describe('students by institution, with small groups and missing values', () => {
    let waveId: string;
    let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any

    before(async () => {
      waveId = (await createWave(t.app, admin, { minGroupSize: 3 })).id;
      const student = { b_role: 'student' };
      // e_wenselijk in the instrument's order (4, 3, 2, 1): rbind(c(15,0,18,13), c(17,0,12,19)) once the
      // HAN (2 students, below the minimum of 3) is left out, so nobody is left in category 3.
      const haagse = respondents(46, { ...student, b_instelling: 'haagse_hogeschool' },
        answers('e_wenselijk', [4, 2, 1], [15, 18, 13]), answers('f_leren', [1, 2], [3, 1]),
        answers('c_collegas', ['ja'], [20]), answers('c_ervaring', ['ja', 'refused', 'nee'], [10, 2, 34]));
      const rotterdam = respondents(48, { ...student, b_instelling: 'hogeschool_rotterdam' },
        answers('e_wenselijk', [4, 2, 1], [17, 12, 19]), answers('f_leren', [2, 3], [2, 4]),
        answers('c_collegas', ['nee'], [20]), answers('c_ervaring', ['ja', 'refused', 'nee'], [10, 2, 36]));
      const han = respondents(2, { ...student, b_instelling: 'han', c_ervaring: 'nee' }, answers('e_wenselijk', [3], [2]));
      // One student who named no institution and answered as the HAN did: without her, the
      // students minus the two groups shown would be the HAN's two (the complement rule
      // would then hide a group); with her, the rest is 3, the minimum.
      const unnamed = { ...student, c_ervaring: 'nee', e_wenselijk: 3 };
      await storeResponses(t.testDb.db, waveId, [...haagse, ...rotterdam, ...han, unnamed]);
      const res = await get(`/api/v1/waves/${waveId}/compare?by=b_instelling&filter=b_role:student`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      body = res.body;
    });

    it('leaves out groups below the minimum and empty groups, and says so without their size', () => {
      expect(body.by.groups).to.deep.equal([
        { value: 'haagse_hogeschool', label: 'De Haagse Hogeschool', n: 46 }, { value: 'hogeschool_rotterdam', label: 'Hogeschool Rotterdam', n: 48 }]);
      const excluded = Object.fromEntries(body.by.excluded.map((e: { value: string; reason: string }) => [e.value, e.reason]));
      expect(excluded).to.include({ han: 'below-minimum', universiteit_leiden: 'below-minimum' });
      expect(JSON.stringify(body.by.excluded)).not.to.contain('"n"');
      expect(body.filters).to.deep.equal([{ name: 'b_role', row: null, value: 'student', label: 'Student' }]);
      expect(body.items.some((i: { name: string }) => i.name === 'b_role' || i.name === 'b_instelling')).to.equal(false);
    });

    it('drops the empty category and takes df over what is left, with R\'s residuals', () => {
      const wish = item(body, 'e_wenselijk');
      expect(wish.categories).to.deep.equal([4, 2, 1]);
      expect(wish.categoryLabels).to.deep.equal(['Altijd', 'Soms', 'Nooit']);
      expect(wish.counts).to.deep.equal([[15, 18, 13], [17, 12, 19]]);
      // R: m <- rbind(c(15,18,13), c(17,12,19)); r <- chisq.test(m, correct=FALSE)
      // R: r$statistic -> 2.4085371376811602; r$parameter -> 2; r$p.value -> 0.29991128376581044
      expect(wish.test.df).to.equal(2);
      expect(wish.test.statistic).to.be.closeTo(2.4085371376811602, TOL);
      expect(wish.test.p).to.be.closeTo(0.29991128376581044, TOL);
      const reference = [[-0.28720053716997906, 1.4691575521513951, -1.1580666821370129], [0.28720053716997984, -1.4691575521513951, 1.1580666821370138]];
      wish.residuals.forEach((row: number[], i: number) => row.forEach((z, j) => expect(z).to.be.closeTo(reference[i][j], TOL)));
    });

    it('uses a Monte Carlo p-value with the fixed seed for a larger table with low expected counts, and names it', async () => {
      const leren = item(body, 'f_leren');
      expect(leren.counts).to.deep.equal([[3, 1, 0], [0, 2, 4]]);
      expect(leren.test.method).to.equal('monte-carlo');
      // R: chisq.test(rbind(c(3,1,0), c(0,2,4)), simulate.p.value=TRUE, B=1e6)$p.value -> 0.033113966886033117
      expect(leren.test.p).to.be.closeTo(0.033113966886033117, 3 * Math.sqrt((0.0331 * 0.9669) / 10_000));
      // R: chisq.test(rbind(c(3,1,0), c(0,2,4)), correct=FALSE)$p.value -> 0.027021805951209048
      expect(leren.test.pChiSquare).to.be.closeTo(0.027021805951209048, TOL);
      expect(leren.test.text).to.match(/^Χ² \(2, N = 10\) = 7,22, p = 0,027; Monte-Carlotoets \((10|100)\.000 tabellen\): p = 0,0\d+ \(99%-interval 0,0\d\d–0,0\d\d\)$/);
      expect(leren.test.monteCarlo.b).to.be.oneOf([10_000, 100_000, 1_000_000]);
      expect(leren.test.monteCarlo.se).to.be.closeTo(Math.sqrt((leren.test.p * (1 - leren.test.p)) / leren.test.monteCarlo.b), 1e-15);
      const again = await get(`/api/v1/waves/${waveId}/compare?by=b_instelling&filter=b_role:student`);
      expect(item(again.body, 'f_leren').test.p).to.equal(leren.test.p);
    });

    it('leaves the missing values out of the test, and Holm-adjusts over every tested item of a family', () => {
      const ervaring = item(body, 'c_ervaring');
      expect(ervaring.categories).to.deep.equal(['ja', 'nee']);
      expect(ervaring.counts).to.deep.equal([[10, 34], [10, 36]]);
      const tested = body.items.filter((i: { test: { family: { name: string } } | null }) => i.test?.family.name === 'Ervaring met een onveilige thuissituatie');
      expect(tested.length).to.be.greaterThan(1);
      const adjusted = holm(tested.map((i: { test: { p: number } }) => i.test.p));
      tested.forEach((i: { test: { pAdjusted: number; family: { size: number } } }, k: number) => {
        expect(i.test.pAdjusted).to.be.closeTo(adjusted[k]!, 1e-12);
        expect(i.test.family.size).to.equal(tested.length);
      });
    });

    it('says in plain Dutch which group chose what more often', () => {
      const collegas = item(body, 'c_collegas');
      expect(collegas.test.pAdjusted).to.be.below(0.05);
      expect(collegas.sentence).to.equal('Respondenten met ‘De Haagse Hogeschool’ kozen vaker ‘Ja’ dan respondenten met '
        + '‘Hogeschool Rotterdam’; respondenten met ‘Hogeschool Rotterdam’ kozen vaker ‘Nee’.');
      expect(collegas.significantCells).to.deep.equal([[true, true], [true, true]]);
    });

    it('leaves a missing-value answer out of the groups of `by`', async () => {
      const res = await get(`/api/v1/waves/${waveId}/compare?by=c_ervaring`);
      expect(res.body.by.groups.map((g: { value: string; n: number }) => [g.value, g.n])).to.deep.equal([['ja', 20], ['nee', 73]]);
      expect(res.body.by.excluded).to.deep.include({ value: 'refused', label: 'Zeg ik liever niet', reason: 'missing-value' });
    });

    it('treats each checkbox choice as an item of its own, ticked or not', async () => {
      const wave = await createWave(t.app, admin);
      await storeResponses(t.testDb.db, wave.id, [
        ...respondents(10, { b_role: 'professional', c_ervaring: 'ja', b_sector: ['vrouwenopvang'] }),
        ...respondents(10, { b_role: 'professional', c_ervaring: 'nee', b_sector: ['vrouwenopvang', 'veilig_thuis'] }),
      ]);
      const res = await get(`/api/v1/waves/${wave.id}/compare?by=c_ervaring`);
      const veilig = res.body.items.find((i: { name: string; choice?: string }) => i.name === 'b_sector' && i.choice === 'veilig_thuis');
      expect(veilig).to.include({ title: 'Veilig Thuis', questionTitle: 'In welke sector(en) werk je?', type: 'checkbox' });
      expect(veilig.categories).to.deep.equal([1, 0]);
      expect(veilig.categoryLabels).to.deep.equal(['Aangekruist', 'Niet aangekruist']);
      expect(veilig.counts).to.deep.equal([[0, 10], [10, 0]]);
    });

    it('refuses to compare by a checkbox question, an open question or an unknown one (422)', async () => {
      for (const by of ['b_sector', 't5_toelichting', 'nope', 't5']) {
        const res = await get(`/api/v1/waves/${waveId}/compare?by=${by}`);
        expect(res.status, by).to.equal(422);
      }
      expect((await get(`/api/v1/waves/${waveId}/compare`)).status).to.equal(422);
    });

    it('says so, without numbers, when the filter leaves too few respondents', async () => {
      const res = await get(`/api/v1/waves/${waveId}/compare?by=b_instelling&filter=b_instelling:han`);
      expect(res.body).to.include({ n: null, suppressed: true });
      expect(res.body.items).to.deep.equal([]);
      expect(res.body.by.groups).to.deep.equal([]);
    });
  });
});
