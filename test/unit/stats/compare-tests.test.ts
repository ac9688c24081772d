import { expect } from 'chai';
import { testTable, toCompareTests } from '../../../server/stats';

const TOL = 1e-6;

describe('stats/compare-tests', () => {
  it('Holm-adjusts over the tested items only and adds the Dutch text, in the shape of the compare API', () => {
    const items = [
      [[10, 15, 20, 25, 12], [18, 20, 14, 10, 7]], // chi-square, p 0.02935
      [[3, 4, 5]], // one group: not tested
      [[12, 8, 15, 10], [6, 14, 9, 11], [9, 7, 18, 20]], // chi-square, p 0.10545
      [[3, 7], [9, 2]], // Fisher, p 0.02997
    ];
    const tests = toCompareTests(items.map((counts) => testTable(counts).test));

    // R: p.adjust(c(0.029351338633951122, NA, 0.10544672909984305, 0.029973122852379824), "holm")
    //    -> 0.088054015901853369 NA 0.105446729099843053 0.088054015901853369
    expect(tests[1]).to.equal(null);
    expect(tests[0]!.pAdjusted).to.be.closeTo(0.088054015901853369, TOL);
    expect(tests[2]!.pAdjusted).to.be.closeTo(0.105446729099843053, TOL);
    expect(tests[3]!.pAdjusted).to.be.closeTo(0.088054015901853369, TOL);

    expect(Object.keys(tests[3]!).sort()).to.deep.equal(
      ['method', 'statistic', 'df', 'pChiSquare', 'p', 'pUnadjusted', 'pAdjusted', 'family', 'cramersV', 'n', 'minExpected', 'lowExpected', 'text'].sort(),
    );
    expect(tests[0]!.family).to.deep.equal({ name: '', size: 3, method: 'holm' });
    expect(tests[0]!.pUnadjusted).to.equal(tests[0]!.p);
    expect(tests[0]!.text).to.equal('Χ² (4, N = 151) = 10,76; p = 0,029');
    expect(tests[3]!.text).to.equal('Χ² (1, N = 21) = 5,74, p = 0,017; exacte toets van Fisher: p = 0,030');
    expect(tests[3]!.method).to.equal('fisher-exact');
  });

  it('writes the Monte Carlo text with the number of tables and reports b and se', () => {
    const [test] = toCompareTests([testTable([[3, 1, 0], [0, 2, 4]]).test]);
    expect(test!.text).to.match(/^Χ² \(2, N = 10\) = 7,22, p = 0,027; Monte-Carlotoets \(10\.000 tabellen\): p = 0,0\d\d \(99%-interval 0,0\d\d–0,0\d\d\)$/);
    expect(test!.monteCarlo!.b).to.equal(10_000);
    expect(test!.monteCarlo!.se).to.be.closeTo(Math.sqrt((test!.p * (1 - test!.p)) / 10_000), 1e-15);
  });

  it('adjusts each family on its own, by Holm or by Benjamini-Hochberg', () => {
    const items = [
      [[10, 15, 20, 25, 12], [18, 20, 14, 10, 7]], // p 0.029351338633951122
      [[12, 8, 15, 10], [6, 14, 9, 11], [9, 7, 18, 20]], // p 0.10544672909984305
      [[3, 7], [9, 2]], // Fisher, p 0.029973122852379824
    ];
    const outcomes = items.map((counts) => testTable(counts).test);
    const holm = toCompareTests(outcomes, { families: ['a', 'b', 'a'] });
    // R: p.adjust(c(0.029351338633951122, 0.029973122852379824), "holm") -> 0.058702677267902244 0.058702677267902244
    expect(holm[0]!.pAdjusted).to.be.closeTo(0.058702677267902244, TOL);
    expect(holm[1]!.pAdjusted).to.be.closeTo(0.10544672909984305, TOL);
    expect(holm[0]!.family).to.deep.equal({ name: 'a', size: 2, method: 'holm' });
    expect(holm[1]!.family).to.deep.equal({ name: 'b', size: 1, method: 'holm' });
    // R: p.adjust(c(0.029351338633951122, 0.10544672909984305, 0.029973122852379824), "BH") -> 0.044959684278569736 0.10544672909984305 0.044959684278569736
    const bh = toCompareTests(outcomes, { method: 'bh' });
    expect(bh[0]!.pAdjusted).to.be.closeTo(0.044959684278569736, TOL);
    expect(bh[2]!.pAdjusted).to.be.closeTo(0.044959684278569736, TOL);
    expect(bh[1]!.family.method).to.equal('bh');
  });
});
