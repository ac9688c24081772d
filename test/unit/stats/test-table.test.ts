import { expect } from 'chai';
import { TableTest, testTable } from '../../../server/stats';

const TOL = 1e-6;

function tested(counts: number[][], options = {}): TableTest {
  const outcome = testTable(counts, options);
  if (outcome.test === null) throw new Error(`expected a test, got ${outcome.reason}`);
  return outcome.test;
}

describe('stats/test-table', () => {
  it('uses Fisher for the 2×2 table [[3,7],[9,2]], whose expected counts are low, and keeps the chi-square', () => {
    const test = tested([[3, 7], [9, 2]]);
    expect(test.method).to.equal('fisher-exact');
    // R: chisq.test(matrix(c(3,9,7,2),2), correct=FALSE) -> X-squared = 5.7431818181818191, p-value = 0.016552780261048519
    expect(test.statistic).to.be.closeTo(5.7431818181818191, TOL);
    expect(test.df).to.equal(1);
    expect(test.pChiSquare).to.be.closeTo(0.016552780261048519, TOL);
    // R: fisher.test(matrix(c(3,9,7,2),2))$p.value -> 0.029973122852379824
    expect(test.p).to.be.closeTo(0.029973122852379824, TOL);
    // R: min(chisq.test(matrix(c(3,9,7,2),2))$expected) -> 4.2857142857142856
    expect(test.minExpected).to.be.closeTo(4.2857142857142856, TOL);
    expect(test.lowExpected).to.equal(true);
    expect(test.n).to.equal(21);
    expect(test.replicates).to.equal(null);
    // R: sqrt(5.7431818181818191/21) -> 0.52295778843502139
    expect(test.cramersV).to.be.closeTo(0.52295778843502139, TOL);
    expect(test.significantCells).to.deep.equal([[true, true], [true, true]]);
  });

  it('uses the chi-square p for a 2×2 table with enough expected counts', () => {
    const test = tested([[50, 30], [20, 60]]);
    expect(test.method).to.equal('chi-square');
    expect(test.lowExpected).to.equal(false);
    // R: r <- chisq.test(matrix(c(50,20,30,60),2), correct=FALSE)
    // R: r$statistic -> 22.857142857142858; r$p.value -> 1.7449962508738078e-06; min(r$expected) -> 35
    expect(test.statistic).to.be.closeTo(22.857142857142858, TOL);
    expect(test.p).to.equal(test.pChiSquare);
    expect(test.p / 1.7449962508738078e-6).to.be.closeTo(1, TOL);
    expect(test.minExpected).to.be.closeTo(35, TOL);
  });

  it('uses the chi-square p for a 2×5 Likert table with enough expected counts', () => {
    const test = tested([[10, 15, 20, 25, 12], [18, 20, 14, 10, 7]]);
    expect(test.method).to.equal('chi-square');
    expect(test.lowExpected).to.equal(false);
    // R: chisq.test(rbind(c(10,15,20,25,12), c(18,20,14,10,7)), correct=FALSE)$p.value -> 0.029351338633951122
    expect(test.p).to.equal(test.pChiSquare);
    expect(test.p).to.be.closeTo(0.029351338633951122, TOL);
    expect(test.df).to.equal(4);
    // R: min(chisq.test(rbind(c(10,15,20,25,12), c(18,20,14,10,7)))$expected) -> 8.6821192052980134
    expect(test.minExpected).to.be.closeTo(8.6821192052980134, TOL);
  });

  it('uses the chi-square p for a 3×4 table with enough expected counts', () => {
    const test = tested([[12, 8, 15, 10], [6, 14, 9, 11], [9, 7, 18, 20]]);
    expect(test.method).to.equal('chi-square');
    // R: chisq.test(rbind(c(12,8,15,10), c(6,14,9,11), c(9,7,18,20)), correct=FALSE)$p.value -> 0.10544672909984305
    expect(test.p).to.be.closeTo(0.10544672909984305, TOL);
    expect(test.df).to.equal(6);
    // R: sqrt(X2/(n*(min(dim(m))-1))) -> 0.19425953210030358
    expect(test.cramersV).to.be.closeTo(0.19425953210030358, TOL);
  });

  it('drops an empty group and an empty category and takes df over what is left', () => {
    const test = tested([
      [15, 0, 18, 13],
      [0, 0, 0, 0],
      [17, 0, 12, 19],
    ]);
    expect(test.counts).to.deep.equal([[15, 18, 13], [17, 12, 19]]);
    expect(test.keptRows).to.deep.equal([0, 2]);
    expect(test.keptCols).to.deep.equal([0, 2, 3]);
    // R: m <- rbind(c(15,0,18,13), c(0,0,0,0), c(17,0,12,19)); r <- chisq.test(m[rowSums(m)>0, colSums(m)>0], correct=FALSE)
    // R: r$statistic -> 2.4085371376811602; r$parameter -> 2; r$p.value -> 0.29991128376581044
    expect(test.df).to.equal(2);
    expect(test.statistic).to.be.closeTo(2.4085371376811602, TOL);
    expect(test.p).to.be.closeTo(0.29991128376581044, TOL);
    // R: min(r$expected) -> 14.680851063829786
    expect(test.minExpected).to.be.closeTo(14.680851063829786, TOL);
    // R: r$stdres
    const reference = [
      [-0.28720053716997906, 1.4691575521513951, -1.1580666821370129],
      [0.28720053716997984, -1.4691575521513951, 1.1580666821370138],
    ];
    test.residuals.forEach((row, i) => row.forEach((z, j) => expect(z).to.be.closeTo(reference[i][j], TOL)));
  });

  it('uses Fisher when dropping an empty category leaves a 2×2 table', () => {
    const test = tested([[3, 0, 1], [0, 0, 4]]);
    expect(test.method).to.equal('fisher-exact');
    expect(test.df).to.equal(1);
    // R: fisher.test(matrix(c(3,0,1,4),2))$p.value -> 0.14285714285714288
    expect(test.p).to.be.closeTo(0.14285714285714288, TOL);
    // R: chisq.test(matrix(c(3,0,1,4),2), correct=FALSE) -> X-squared = 4.7999999999999998, p-value = 0.028459736916310541
    expect(test.statistic).to.be.closeTo(4.8, TOL);
    expect(test.pChiSquare).to.be.closeTo(0.028459736916310541, TOL);
  });

  it('uses Monte Carlo for tiny groups in a table larger than 2×2', () => {
    const test = tested([[3, 1, 0], [0, 2, 4]]);
    expect(test.method).to.equal('monte-carlo');
    expect(test.replicates).to.equal(10_000);
    // R: chisq.test(rbind(c(3,1,0), c(0,2,4)), simulate.p.value=TRUE, B=1e6)$p.value -> 0.033113966886033117
    expect(test.p).to.be.closeTo(0.033113966886033117, 3 * Math.sqrt((0.0331 * 0.9669) / 10_000));
    // R: chisq.test(rbind(c(3,1,0), c(0,2,4)), correct=FALSE)$p.value -> 0.027021805951209048
    expect(test.pChiSquare).to.be.closeTo(0.027021805951209048, TOL);
    expect(test.df).to.equal(2);
  });

  it('uses Monte Carlo when a Likert category is nearly empty (TNO-like 2×5)', () => {
    const test = tested([[0, 1, 8, 42, 19], [1, 4, 11, 33, 12]]);
    expect(test.method).to.equal('monte-carlo');
    // R: min(chisq.test(rbind(c(0,1,8,42,19), c(1,4,11,33,12)))$expected) -> 0.46564885496183206
    expect(test.minExpected).to.be.closeTo(0.46564885496183206, TOL);
    expect(test.lowExpected).to.equal(true);
  });

  it('passes seed and replicates on to the Monte Carlo test', () => {
    const a = tested([[3, 1, 0], [0, 2, 4]], { seed: 5, replicates: 20_000 });
    expect(a.replicates).to.equal(20_000);
    expect(tested([[3, 1, 0], [0, 2, 4]], { seed: 5, replicates: 20_000 }).p).to.equal(a.p);
  });

  it('refuses fewer than 10,000 replicates even when the table needs no simulation', () => {
    expect(() => testTable([[10, 15, 20, 25, 12], [18, 20, 14, 10, 7]], { replicates: 500 })).to.throw(RangeError);
  });

  describe('tables with nothing to compare get no test and a reason, never NaN', () => {
    it('a single group (1×k table)', () => {
      expect(testTable([[3, 4, 5]])).to.deep.equal({ test: null, reason: 'fewer-than-two-groups', n: 12 });
    });

    it('two groups of which one has no answers', () => {
      expect(testTable([[3, 4, 5], [0, 0, 0]])).to.deep.equal({ test: null, reason: 'fewer-than-two-groups', n: 12 });
    });

    it('all answers in one cell', () => {
      expect(testTable([[0, 0], [0, 7]])).to.deep.equal({ test: null, reason: 'fewer-than-two-groups', n: 7 });
    });

    it('every group chose the same single answer', () => {
      expect(testTable([[0, 5, 0], [0, 7, 0]])).to.deep.equal({ test: null, reason: 'fewer-than-two-categories', n: 12 });
    });

    it('no answers at all', () => {
      expect(testTable([[0, 0], [0, 0]])).to.deep.equal({ test: null, reason: 'no-observations', n: 0 });
    });
  });

  it('has only finite numbers in every result', () => {
    const tables = [
      [[3, 7], [9, 2]],
      [[1, 0], [0, 1]],
      [[5, 0], [0, 5]],
      [[3, 1, 0], [0, 2, 4]],
      [[100, 0, 0], [0, 100, 0], [0, 0, 100]],
    ];
    for (const table of tables) {
      const test = tested(table);
      const numbers = [
        test.statistic, test.df, test.pChiSquare, test.p, test.cramersV, test.minExpected,
        ...test.expected.flat(), ...test.residuals.flat(),
      ];
      expect(numbers.every(Number.isFinite), JSON.stringify(table)).to.equal(true);
    }
  });

  it('refuses counts that are not whole non-negative numbers', () => {
    expect(() => testTable([[1.5, 2], [3, 4]])).to.throw(RangeError);
    expect(() => testTable([[-1, 2], [3, 4]])).to.throw(RangeError);
  });
});
