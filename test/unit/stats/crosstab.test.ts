import { expect } from 'chai';
import {
  assertCountTable,
  dropEmpty,
  expectedCounts,
  hasLowExpected,
  margins,
  minExpected,
  rowPercentages,
} from '../../../server/stats';

const TOL = 1e-6;

describe('stats/crosstab', () => {
  describe('dropEmpty', () => {
    it('removes all-zero rows and columns together with their labels', () => {
      const dropped = dropEmpty(
        [
          [15, 0, 18, 13],
          [0, 0, 0, 0],
          [17, 0, 12, 19],
        ],
        ['studenten', 'onbekend', 'professionals'],
        ['oneens', 'helemaal oneens', 'neutraal', 'eens'],
      );
      expect(dropped.counts).to.deep.equal([
        [15, 18, 13],
        [17, 12, 19],
      ]);
      expect(dropped.rowLabels).to.deep.equal(['studenten', 'professionals']);
      expect(dropped.colLabels).to.deep.equal(['oneens', 'neutraal', 'eens']);
      expect(dropped.keptRows).to.deep.equal([0, 2]);
      expect(dropped.keptCols).to.deep.equal([0, 2, 3]);
    });

    it('keeps a table without empty rows or columns as it is', () => {
      const dropped = dropEmpty([[3, 7], [9, 2]], ['a', 'b'], ['x', 'y']);
      expect(dropped.counts).to.deep.equal([[3, 7], [9, 2]]);
      expect(dropped.keptRows).to.deep.equal([0, 1]);
    });

    it('does not modify its input', () => {
      const table = [[0, 1], [0, 2]];
      dropEmpty(table, ['a', 'b'], ['x', 'y']);
      expect(table).to.deep.equal([[0, 1], [0, 2]]);
    });

    it('refuses labels that do not fit the table', () => {
      expect(() => dropEmpty([[1, 2]], ['a', 'b'], ['x', 'y'])).to.throw(RangeError);
      expect(() => dropEmpty([[1, 2]], ['a'], ['x'])).to.throw(RangeError);
    });
  });

  describe('assertCountTable', () => {
    it('refuses negative, fractional, non-finite and ragged input', () => {
      expect(() => assertCountTable([[1, -1]])).to.throw(RangeError);
      expect(() => assertCountTable([[1, 0.5]])).to.throw(RangeError);
      expect(() => assertCountTable([[1, NaN]])).to.throw(RangeError);
      expect(() => assertCountTable([[1, Infinity]])).to.throw(RangeError);
      expect(() => assertCountTable([[1, 2], [3]])).to.throw(RangeError);
      expect(() => assertCountTable([])).to.throw(RangeError);
      expect(() => assertCountTable([[]])).to.throw(RangeError);
    });
  });

  describe('margins, percentages and expected counts', () => {
    it('computes row and column totals and n', () => {
      expect(margins([[3, 7], [9, 2]])).to.deep.equal({ rowTotals: [10, 11], colTotals: [12, 9], n: 21 });
    });

    it('gives row percentages, and zeros rather than NaN for a row without answers', () => {
      const percent = rowPercentages([[1, 3], [0, 0]]);
      expect(percent).to.deep.equal([[25, 75], [0, 0]]);
    });

    // R: chisq.test(matrix(c(3,9,7,2),2), correct=FALSE)$expected
    //    -> 5.7142857142857144 4.2857142857142856 / 6.2857142857142856 4.7142857142857144
    it('computes expected counts as R does', () => {
      const expected = expectedCounts([[3, 7], [9, 2]]);
      expect(expected[0][0]).to.be.closeTo(5.7142857142857144, TOL);
      expect(expected[0][1]).to.be.closeTo(4.2857142857142856, TOL);
      expect(expected[1][0]).to.be.closeTo(6.2857142857142856, TOL);
      expect(expected[1][1]).to.be.closeTo(4.7142857142857144, TOL);
      expect(minExpected(expected)).to.be.closeTo(4.2857142857142856, TOL);
    });
  });

  describe('hasLowExpected (SPSS rule: any < 1 or more than 20% of cells < 5)', () => {
    it('is true when one expected count is below 1', () => {
      expect(hasLowExpected([[0.9, 10, 10, 10, 10, 10]])).to.equal(true);
    });

    it('is false when exactly 20% of the cells are below 5', () => {
      // 2 of 10 cells = 20%, not more than 20%
      expect(hasLowExpected([[4, 4, 6, 6, 6], [6, 6, 6, 6, 6]])).to.equal(false);
    });

    it('is true when more than 20% of the cells are below 5', () => {
      expect(hasLowExpected([[4, 4, 4, 6, 6], [6, 6, 6, 6, 6]])).to.equal(true);
    });

    it('is true for the 2×2 table [[3,7],[9,2]] (2 of 4 cells below 5)', () => {
      expect(hasLowExpected(expectedCounts([[3, 7], [9, 2]]))).to.equal(true);
    });

    it('treats an expected count of exactly 1 as not below 1', () => {
      // 1 of 10 cells below 5 (10%), none below 1
      expect(hasLowExpected([[1, 6, 6, 6, 6], [6, 6, 6, 6, 6]])).to.equal(false);
    });

    it('treats an expected count of exactly 5 as enough', () => {
      expect(hasLowExpected([[5, 5], [5, 5]])).to.equal(false);
    });
  });
});
