import { expect } from 'chai';
import {
  adjustedResiduals,
  chiSquarePValue,
  chiSquareStatistic,
  cramersV,
  degreesOfFreedom,
  expectedCounts,
  margins,
  significantCells,
} from '../../../server/stats';

const TOL = 1e-6;

function expectMatrixClose(actual: number[][], reference: number[][]): void {
  expect(actual.length).to.equal(reference.length);
  actual.forEach((row, i) => {
    expect(row.length).to.equal(reference[i].length);
    row.forEach((value, j) => expect(value, `[${i}][${j}]`).to.be.closeTo(reference[i][j], TOL));
  });
}

function pearson(table: number[][]) {
  const expected = expectedCounts(table);
  const statistic = chiSquareStatistic(table, expected);
  const df = degreesOfFreedom(table.length, table[0].length);
  return {
    statistic,
    df,
    p: chiSquarePValue(statistic, df),
    v: cramersV(statistic, margins(table).n, table.length, table[0].length),
    residuals: adjustedResiduals(table, expected),
  };
}

describe('stats/chi-square', () => {
  describe('Pearson chi-square without continuity correction, against R 4.2.2', () => {
    it('matches R for the 2×2 table [[3,7],[9,2]]', () => {
      const result = pearson([[3, 7], [9, 2]]);
      // R: m <- matrix(c(3,9,7,2),2); r <- chisq.test(m, correct=FALSE)
      // R: r$statistic -> 5.7431818181818191; r$p.value -> 0.016552780261048519
      expect(result.statistic).to.be.closeTo(5.7431818181818191, TOL);
      expect(result.df).to.equal(1);
      expect(result.p).to.be.closeTo(0.016552780261048519, TOL);
      // R: sqrt(r$statistic/(sum(m)*(min(dim(m))-1))) -> 0.52295778843502139
      expect(result.v).to.be.closeTo(0.52295778843502139, TOL);
      // R: r$stdres -> [-2.3964936507701866, 2.3964936507701866; 2.3964936507701866, -2.3964936507701866]
      expectMatrixClose(result.residuals, [
        [-2.3964936507701866, 2.3964936507701866],
        [2.3964936507701866, -2.3964936507701866],
      ]);
    });

    it('matches R for a 2×5 Likert table', () => {
      const table = [
        [10, 15, 20, 25, 12],
        [18, 20, 14, 10, 7],
      ];
      const result = pearson(table);
      // R: m <- rbind(c(10,15,20,25,12), c(18,20,14,10,7)); r <- chisq.test(m, correct=FALSE)
      // R: r$statistic -> 10.763759642384608; r$parameter -> 4; r$p.value -> 0.029351338633951122
      expect(result.statistic).to.be.closeTo(10.763759642384608, TOL);
      expect(result.df).to.equal(4);
      expect(result.p).to.be.closeTo(0.029351338633951122, TOL);
      // R: sqrt(r$statistic/(sum(m)*(min(dim(m))-1))) -> 0.2669890942335158
      expect(result.v).to.be.closeTo(0.2669890942335158, TOL);
      // R: r$stdres
      expectMatrixClose(result.residuals, [
        [-2.1880033204508584, -1.5511341518149753, 0.60091438095793959, 2.3202915824670294, 0.8285657032635384],
        [2.1880033204508584, 1.5511341518149753, -0.60091438095794036, -2.3202915824670294, -0.8285657032635384],
      ]);
      expect(significantCells(result.residuals)).to.deep.equal([
        [true, false, false, true, false],
        [true, false, false, true, false],
      ]);
    });

    it('matches R for a 3×4 table', () => {
      const table = [
        [12, 8, 15, 10],
        [6, 14, 9, 11],
        [9, 7, 18, 20],
      ];
      const result = pearson(table);
      // R: m <- rbind(c(12,8,15,10), c(6,14,9,11), c(9,7,18,20)); r <- chisq.test(m, correct=FALSE)
      // R: r$statistic -> 10.490820895688429; r$parameter -> 6; r$p.value -> 0.10544672909984305
      expect(result.statistic).to.be.closeTo(10.490820895688429, TOL);
      expect(result.df).to.equal(6);
      expect(result.p).to.be.closeTo(0.10544672909984305, TOL);
      // R: sqrt(r$statistic/(sum(m)*(min(dim(m))-1))) -> 0.19425953210030358
      expect(result.v).to.be.closeTo(0.19425953210030358, TOL);
      // R: r$expected
      expectMatrixClose(expectedCounts(table), [
        [8.7410071942446042, 9.3884892086330929, 13.597122302158274, 13.273381294964029],
        [7.7697841726618702, 8.3453237410071939, 12.086330935251798, 11.798561151079136],
        [10.4892086330935257, 11.2661870503597115, 16.31654676258993, 15.928057553956835],
      ]);
      // R: r$stdres
      expectMatrixClose(result.residuals, [
        [1.49329126615797891, -0.61943991108824803, 0.55381066571521287, -1.30119877842312937],
        [-0.83811578626587802, 2.60727602820670468, -1.25923442233280158, -0.32807853708283236],
        [-0.6550591380349281, -1.82709197121193068, 0.63797902777884807, 1.55386227292091839],
      ]);
    });

    it('keeps full relative precision for tiny p (no 1 − cdf cancellation)', () => {
      const table = [
        [120, 30, 10, 5],
        [20, 90, 100, 40],
        [15, 20, 25, 60],
      ];
      const result = pearson(table);
      // R: m <- rbind(c(120,30,10,5), c(20,90,100,40), c(15,20,25,60)); r <- chisq.test(m, correct=FALSE)
      // R: r$statistic -> 303.42198198058412; r$parameter -> 6; r$p.value -> 1.5117604745822815e-62
      expect(result.statistic).to.be.closeTo(303.42198198058412, TOL);
      expect(result.df).to.equal(6);
      expect(result.p).to.be.above(0);
      expect(result.p / 1.5117604745822815e-62).to.be.closeTo(1, TOL);
      // R: sqrt(r$statistic/(sum(m)*(min(dim(m))-1))) -> 0.53251473761413104
      expect(result.v).to.be.closeTo(0.53251473761413104, TOL);
    });
  });

  describe('chiSquarePValue (upper tail of the chi-square distribution)', () => {
    const cases: [number, number, number][] = [
      // R: pchisq(200, 20, lower.tail=FALSE) -> 1.1253473960842735e-31
      [200, 20, 1.1253473960842735e-31],
      // R: pchisq(80, 12, lower.tail=FALSE) -> 4.1273087297317366e-12
      [80, 12, 4.1273087297317366e-12],
      // R: pchisq(1000, 4, lower.tail=FALSE) -> 3.5694127797773843e-215
      [1000, 4, 3.5694127797773843e-215],
      // R: pchisq(5.74, 1, lower.tail=FALSE) -> 0.016582792524048793
      [5.74, 1, 0.016582792524048793],
      // R: pchisq(0.001, 3, lower.tail=FALSE) -> 0.99999159208094202
      [0.001, 3, 0.99999159208094202],
    ];
    for (const [x, df, reference] of cases) {
      it(`gives P(Χ²(${df}) >= ${x}) = ${reference} to a relative 1e-6`, () => {
        expect(chiSquarePValue(x, df) / reference).to.be.closeTo(1, TOL);
      });
    }

    it('gives p = 1 for a statistic of 0', () => {
      // R: pchisq(0, 2, lower.tail=FALSE) -> 1
      expect(chiSquarePValue(0, 2)).to.equal(1);
    });

    it('refuses a negative statistic, NaN and df <= 0', () => {
      expect(() => chiSquarePValue(-1, 2)).to.throw(RangeError);
      expect(() => chiSquarePValue(NaN, 2)).to.throw(RangeError);
      expect(() => chiSquarePValue(3, 0)).to.throw(RangeError);
    });
  });

  describe('the seven chi-square results of the TNO report (tno-quickscan.md §3)', () => {
    // Χ², df as printed; p recomputed with R: pchisq(X2, df, lower.tail=FALSE)
    const tno: [string, number, number, number][] = [
      ['#1 realiteit, studenten vs professionals', 11.08, 4, 0.02567948552251878],
      ['#2 zorgen bespreekbaar, studenten met vs zonder', 12.83, 4, 0.012137019618842905],
      ['#3 contact leggen, studenten met vs zonder', 8.44, 2, 0.014698644504901784],
      ['#4 belevingswereld, professionals met vs zonder', 12.64, 4, 0.013175586465607928],
      ['#5 moeilijk bereikbaar, professionals met vs zonder', 9.29, 4, 0.054245794928835175],
      ['#6 emotionele belasting, studenten vs professionals', 9.54, 4, 0.048931793522930367],
      ['#7 draagvlak, studenten vs professionals', 9.9, 3, 0.019435580728320256],
    ];
    for (const [label, x2, df, reference] of tno) {
      it(`recomputes p = ${reference.toFixed(4)} from Χ²(${df}) = ${x2} (${label})`, () => {
        expect(chiSquarePValue(x2, df)).to.be.closeTo(reference, TOL);
      });
    }
  });

  describe('cramersV', () => {
    it('refuses a table with a single row or column', () => {
      expect(() => cramersV(3, 10, 1, 4)).to.throw(RangeError);
    });
  });
});
