import { expect } from 'chai';
import {
  chiSquarePValue,
  formatChiSquare,
  formatNumberNl,
  formatPValue,
  formatPercentNl,
  roundHalfUp,
  roundedPercent,
  testTable,
} from '../../../server/stats';

describe('stats/format-nl', () => {
  describe('formatChiSquare', () => {
    it('writes Χ (U+03A7) and ² (U+00B2), df in parentheses, decimal commas, p to 3 decimals', () => {
      const text = formatChiSquare({ method: 'chi-square', statistic: 11.08, df: 4, p: chiSquarePValue(11.08, 4) });
      expect(text).to.equal('Χ² (4) = 11,08; p = 0,026');
      expect(text.codePointAt(0)).to.equal(0x03a7);
      expect(text.codePointAt(1)).to.equal(0x00b2);
    });

    describe('reproduces the seven TNO results with p recomputed from Χ² and df (tno-quickscan.md §3)', () => {
      // p: R pchisq(X2, df, lower.tail=FALSE), see chi-square.test.ts
      const tno: [number, number, string][] = [
        [11.08, 4, 'Χ² (4) = 11,08; p = 0,026'],
        [12.83, 4, 'Χ² (4) = 12,83; p = 0,012'],
        [8.44, 2, 'Χ² (2) = 8,44; p = 0,015'], // the report prints 0,02; p is 0.0147
        [12.64, 4, 'Χ² (4) = 12,64; p = 0,013'],
        [9.29, 4, 'Χ² (4) = 9,29; p = 0,054'], // the report prints 0,05 and calls it significant
        [9.54, 4, 'Χ² (4) = 9,54; p = 0,049'],
        [9.9, 3, 'Χ² (3) = 9,90; p = 0,019'],
      ];
      for (const [statistic, df, expected] of tno) {
        it(expected, () => {
          expect(formatChiSquare({ method: 'chi-square', statistic, df, p: chiSquarePValue(statistic, df) })).to.equal(expected);
        });
      }
    });

    it('writes p < 0,001 for small p, and groups thousands in a large statistic', () => {
      expect(formatChiSquare({ method: 'chi-square', statistic: 303.42198198058412, df: 6, p: 1.5e-62 })).to.equal(
        'Χ² (6) = 303,42; p < 0,001',
      );
      expect(formatChiSquare({ method: 'chi-square', statistic: 1234.5, df: 6, p: 0 })).to.equal(
        'Χ² (6) = 1.234,50; p < 0,001',
      );
    });

    it('names the Monte Carlo method and its number of tables', () => {
      expect(formatChiSquare({ method: 'monte-carlo', statistic: 11.08, df: 4, p: 0.031, replicates: 10_000 })).to.equal(
        'Χ² (4) = 11,08; p = 0,031 (Monte-Carlo, 10.000 tabellen)',
      );
    });

    it("names Fisher's exact test, e.g. for [[3,7],[9,2]]", () => {
      const outcome = testTable([[3, 7], [9, 2]]);
      expect(formatChiSquare(outcome.test!)).to.equal('Χ² (1) = 5,74; p = 0,030 (exacte toets van Fisher)');
    });

    it('refuses a Monte Carlo result without its number of tables', () => {
      expect(() => formatChiSquare({ method: 'monte-carlo', statistic: 1, df: 1, p: 0.5 })).to.throw(RangeError);
    });
  });

  describe('formatPValue', () => {
    it('switches to "p < 0,001" below 0.001 only', () => {
      expect(formatPValue(0.00099)).to.equal('p < 0,001');
      expect(formatPValue(0.001)).to.equal('p = 0,001');
      expect(formatPValue(0)).to.equal('p < 0,001');
      expect(formatPValue(1)).to.equal('p = 1,000');
      expect(formatPValue(0.0495)).to.equal('p = 0,050');
    });

    it('refuses values outside [0, 1]', () => {
      expect(() => formatPValue(1.2)).to.throw(RangeError);
      expect(() => formatPValue(NaN)).to.throw(RangeError);
    });
  });

  describe('roundHalfUp (on the decimal value, not the binary one)', () => {
    const cases: [number, number, number][] = [
      [12.5, 0, 13],
      [0.5, 0, 1],
      [1.5, 0, 2],
      [2.5, 0, 3], // not banker's rounding
      [12.4999, 0, 12],
      [2.675, 2, 2.68], // stored as 2.67499999…; (2.675).toFixed(2) gives "2.67"
      [1.005, 2, 1.01], // (1.005).toFixed(2) gives "1.00"
      [1.255, 2, 1.26],
      [(29 / 200) * 100, 0, 15], // 14.499999999999998 in binary; Math.round gives 14
      [1.005 * 100, 0, 101], // 100.49999999999999
      [26.35, 1, 26.4],
      [-2.5, 0, -3], // half away from zero
      [-0.4, 0, 0],
      [1e-7, 2, 0],
      [1e21, 0, 1e21],
    ];
    for (const [value, decimals, expected] of cases) {
      it(`rounds ${value} to ${decimals} decimals as ${expected}`, () => {
        expect(roundHalfUp(value, decimals)).to.equal(expected);
      });
    }

    it('never returns negative zero', () => {
      expect(Object.is(roundHalfUp(-0.4), 0)).to.equal(true);
    });

    it('refuses NaN, Infinity and odd decimals', () => {
      expect(() => roundHalfUp(NaN)).to.throw(RangeError);
      expect(() => roundHalfUp(Infinity)).to.throw(RangeError);
      expect(() => roundHalfUp(1, 1.5)).to.throw(RangeError);
    });
  });

  describe('percentages', () => {
    it('rounds count/total half up in exact integer arithmetic', () => {
      expect(roundedPercent(1, 8)).to.equal(13); // 12.5
      expect(roundedPercent(29, 200)).to.equal(15); // 14.5
      expect(roundedPercent(1, 200)).to.equal(1); // 0.5
      expect(roundedPercent(0, 7)).to.equal(0);
      expect(roundedPercent(7, 7)).to.equal(100);
      expect(roundedPercent(2, 3)).to.equal(67);
    });

    it('reproduces TNO Tabel 5 rows from the back-calculated counts (n = 131)', () => {
      // tno-quickscan.md §2b: "realiteit" 1,5,19,75,31 printed as 1,4,15,57,24;
      // "zorgen bespreekbaar" 2,17,54,44,14 printed as 2,13,41,34,11
      expect([1, 5, 19, 75, 31].map((c) => roundedPercent(c, 131))).to.deep.equal([1, 4, 15, 57, 24]);
      expect([2, 17, 54, 44, 14].map((c) => roundedPercent(c, 131))).to.deep.equal([2, 13, 41, 34, 11]);
    });

    it('refuses impossible counts', () => {
      expect(() => roundedPercent(3, 0)).to.throw(RangeError);
      expect(() => roundedPercent(4, 3)).to.throw(RangeError);
      expect(() => roundedPercent(1.5, 3)).to.throw(RangeError);
    });

    it('formats percentages whole and half up by default, with a decimal comma on request', () => {
      expect(formatPercentNl(12.5)).to.equal('13');
      expect(formatPercentNl(34.351)).to.equal('34');
      expect(formatPercentNl((29 / 200) * 100)).to.equal('15');
      expect(formatPercentNl(26.35, 1)).to.equal('26,4');
    });

    it('formats numbers with a decimal comma and a thousands point', () => {
      expect(formatNumberNl(11.075, 2)).to.equal('11,08');
      expect(formatNumberNl(10_000, 0)).to.equal('10.000');
      expect(formatNumberNl(0.1, 3)).to.equal('0,100');
    });
  });
});
