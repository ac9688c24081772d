import { expect } from 'chai';
import { fisherExact2x2 } from '../../../server/stats';

const TOL = 1e-6;

describe('stats/fisher', () => {
  // Each reference: R 4.2.2, fisher.test(matrix(c(a, c, b, d), 2))$p.value for [[a,b],[c,d]]
  // (R fills matrices column by column).
  const cases: [number[][], number, string][] = [
    [[[3, 7], [9, 2]], 0.029973122852379824, 'fisher.test(matrix(c(3,9,7,2),2))'],
    [[[10, 2], [3, 15]], 0.00053672411914343593, 'fisher.test(matrix(c(10,3,2,15),2))'],
    [[[1, 9], [11, 3]], 0.0027594561852200836, 'fisher.test(matrix(c(1,11,9,3),2))'],
    [[[2, 7], [8, 2]], 0.023014137565221159, 'fisher.test(matrix(c(2,8,7,2),2))'],
    [[[0, 5], [5, 0]], 0.0079365079365079395, 'fisher.test(matrix(c(0,5,5,0),2))'],
    [[[50, 30], [20, 60]], 2.9159941881741129e-6, 'fisher.test(matrix(c(50,20,30,60),2))'],
    [[[0, 4], [3, 2]], 0.1666666666666666, 'fisher.test(matrix(c(0,3,4,2),2))'],
  ];
  for (const [table, reference, command] of cases) {
    it(`gives the two-sided p of R's ${command} = ${reference}`, () => {
      expect(fisherExact2x2(table)).to.be.closeTo(reference, TOL);
    });
  }

  describe('tables with equally probable other tables, which R counts through its 1e-7 relative tolerance', () => {
    // The first four have another table with exactly the observed probability,
    // but computed through other log-factorials it comes out a few ulps higher:
    // without the tolerance p would be 0.222 instead of 0.444, or 0.5 instead of 1.
    // The symmetric ones (mirror image equally probable) are there for good measure.
    const symmetric: [number[][], number, string][] = [
      [[[0, 5], [2, 3]], 0.44444444444444459, 'fisher.test(matrix(c(0,2,5,3),2))'],
      [[[5, 0], [3, 2]], 0.44444444444444459, 'fisher.test(matrix(c(5,3,0,2),2))'],
      [[[1, 1], [2, 6]], 1, 'fisher.test(matrix(c(1,2,1,6),2))'],
      [[[1, 4], [0, 5]], 1, 'fisher.test(matrix(c(1,0,4,5),2))'],
      [[[3, 1], [1, 3]], 0.48571428571428582, 'fisher.test(matrix(c(3,1,1,3),2))'],
      [[[7, 3], [3, 7]], 0.1788954079975755, 'fisher.test(matrix(c(7,3,3,7),2))'],
      [[[12, 5], [5, 12]], 0.038084343124522448, 'fisher.test(matrix(c(12,5,5,12),2))'],
      [[[5, 5], [5, 5]], 1, 'fisher.test(matrix(c(5,5,5,5),2))'],
      [[[1, 0], [0, 1]], 1, 'fisher.test(matrix(c(1,0,0,1),2))'],
    ];
    for (const [table, reference, command] of symmetric) {
      it(`gives R's ${command} = ${reference}`, () => {
        expect(fisherExact2x2(table)).to.be.closeTo(reference, TOL);
      });
    }
  });

  it('gives p = 1 when the margins allow only one table', () => {
    // R: fisher.test(matrix(c(20,0,1,0),2))$p.value -> 1
    expect(fisherExact2x2([[20, 1], [0, 0]])).to.equal(1);
  });

  it('never returns more than 1', () => {
    expect(fisherExact2x2([[4, 4], [4, 4]])).to.be.at.most(1);
  });

  it('refuses tables that are not 2×2', () => {
    expect(() => fisherExact2x2([[1, 2, 3], [4, 5, 6]])).to.throw(RangeError);
    expect(() => fisherExact2x2([[1, 2]])).to.throw(RangeError);
  });
});
