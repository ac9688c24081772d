import { expect } from 'chai';
import { describeCounts } from '../../../server/results/descriptives';

describe('results/descriptives', () => {
  it('gives R\'s type-7 quartiles, the mean and the range from counts per value', () => {
    // R: x <- rep(0:4, c(2,3,1,0,4)); quantile(x) -> 0 1 1.5 4 4; mean(x) -> 2.1
    const d = describeCounts(new Map([[0, 2], [1, 3], [2, 1], [3, 0], [4, 4]]))!;
    expect(d).to.deep.include({ n: 10, q1: 1, median: 1.5, q3: 4, iqr: 3, min: 0, max: 4 });
    expect(d.mean).to.be.closeTo(2.1, 1e-12);
  });

  it('interpolates between values as R does', () => {
    // R: quantile(c(1,2,2), c(.25,.75)) -> 1.5 2; quantile(c(0,0,4,4), c(.25,.5,.75)) -> 0 2 4
    expect(describeCounts(new Map([[1, 1], [2, 2]]))).to.deep.include({ q1: 1.5, median: 2, q3: 2 });
    expect(describeCounts(new Map([[0, 2], [4, 2]]))).to.deep.include({ q1: 0, median: 2, q3: 4, iqr: 4 });
  });

  it('describes a single answer and refuses nothing-to-describe with null', () => {
    expect(describeCounts(new Map([[3, 1]]))).to.deep.equal({ n: 1, mean: 3, median: 3, q1: 3, q3: 3, iqr: 0, min: 3, max: 3 });
    expect(describeCounts(new Map())).to.equal(null);
    expect(describeCounts(new Map([[2, 0]]))).to.equal(null);
  });
});
