import { expect } from 'chai';
import {
  chiSquarePValue,
  formatChiSquare,
  formatNumberNl,
  formatPValue,
  formatPercentNl,
  roundHalfUp,
  roundedPercent,
  roundedPercentsAddUp,
  roundShare,
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
        'Χ² (4) = 11,08; Monte-Carlotoets (10.000 tabellen): p = 0,031',
      );
    });

    it('writes N as Dutch reports do, and the 99% interval of a Monte Carlo p', () => {
      // The TNO report's Table test 1 as the report writes it: Χ² (4, N = 131) = 11,08; p = 0,026.
      expect(formatChiSquare({ method: 'chi-square', statistic: 11.08, df: 4, n: 131, p: chiSquarePValue(11.08, 4) })).to.equal(
        'Χ² (4, N = 131) = 11,08; p = 0,026',
      );
      // 0.031 ± qnorm(0.995) · 0.0017 (R: 0.031 + c(-1, 1) * qnorm(0.995) * 0.0017 -> 0.02662108 0.03537892)
      expect(formatChiSquare({ method: 'monte-carlo', statistic: 11.08, df: 4, n: 131, p: 0.031, pChiSquare: 0.0257, replicates: 10_000, se: 0.0017 })).to.equal(
        'Χ² (4, N = 131) = 11,08, p = 0,026; Monte-Carlotoets (10.000 tabellen): p = 0,031 (99%-interval 0,027–0,035)',
      );
    });

    it("names Fisher's exact test, e.g. for [[3,7],[9,2]]", () => {
      const outcome = testTable([[3, 7], [9, 2]]);
      // Each p under its own test, so Fisher's p does not read as the p of Χ²
      // (R: chisq.test(matrix(c(3,9,7,2),2), correct=FALSE) -> X-squared = 5.7432, p-value = 0.01655)
      expect(formatChiSquare(outcome.test!)).to.equal('Χ² (1, N = 21) = 5,74, p = 0,017; exacte toets van Fisher: p = 0,030');
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
    });

    it('writes "p > 0,999" rather than "p = 1,000"', () => {
      expect(formatPValue(1)).to.equal('p > 0,999');
      expect(formatPValue(0.9995)).to.equal('p > 0,999');
      expect(formatPValue(0.9994)).to.equal('p = 0,999');
    });

    it('never prints a p below α as 0,050 (which reads as not significant beside "significant")', () => {
      expect(formatPValue(0.0495)).to.equal('p = 0,0495');
      expect(formatPValue(0.04996)).to.equal('p < 0,050');
      expect(formatPValue(0.05)).to.equal('p = 0,050');
      expect(formatPValue(0.0504)).to.equal('p = 0,050');
    });

    it('puts a label in place of p without "= <"', () => {
      expect(formatPValue(0.0004, 'p na Holm-correctie')).to.equal('p na Holm-correctie < 0,001');
      expect(formatPValue(0.13, 'p na Holm-correctie')).to.equal('p na Holm-correctie = 0,130');
    });

    it('rounds p half up on its exact value: 0.0264999999999996 is 0,026, not 0,027', () => {
      expect(formatPValue(0.0264999999999996)).to.equal('p = 0,026');
    });

    it('refuses values outside [0, 1]', () => {
      expect(() => formatPValue(1.2)).to.throw(RangeError);
      expect(() => formatPValue(NaN)).to.throw(RangeError);
    });
  });

  describe('roundHalfUp (on the exact value of the double)', () => {
    // Exact: (0.0264999999999996).toFixed(3) is what R's sprintf("%.3f", 0.0264999999999996) gives: "0.026".
    const cases: [number, number, number][] = [
      [12.5, 0, 13],
      [0.5, 0, 1],
      [1.5, 0, 2],
      [2.5, 0, 3], // not banker's rounding
      [0.125, 2, 0.13], // an exact tie in binary too
      [12.4999, 0, 12],
      [0.0264999999999996, 3, 0.026], // was 0.027 when trimmed to 12 digits first
      [2.675, 2, 2.67], // stored as 2.67499999…: below the tie
      [26.35, 1, 26.4], // stored as 26.35000000000000142…
      [-2.5, 0, -3], // half away from zero
      [-0.4, 0, 0],
      [1e-7, 2, 0],
      [1e20, 0, 1e20],
    ];
    for (const [value, decimals, expected] of cases) {
      it(`rounds ${value} to ${decimals} decimals as ${expected}`, () => {
        expect(roundHalfUp(value, decimals)).to.equal(expected);
      });
    }

    describe('roundShare (a percentage of counts, on the fraction it stands for)', () => {
      const shares: [number, number, number][] = [
        [(29 / 200) * 100, 0, 15], // 14.499999999999998 in binary; the share is 14.5
        [1.005 * 100, 0, 101], // 100.49999999999999
        [2.675, 2, 2.68],
        [1.005, 2, 1.01],
        [1.255, 2, 1.26],
      ];
      for (const [value, decimals, expected] of shares) {
        it(`rounds ${value} to ${decimals} decimals as ${expected}`, () => {
          expect(roundShare(value, decimals)).to.equal(expected);
        });
      }
    });

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

    it('knows when rounded percentages do not add up to 100 (the footnote Dutch reports use)', () => {
      expect(roundedPercentsAddUp([1, 1, 1])).to.equal(false); // 33 + 33 + 33 = 99
      expect(roundedPercentsAddUp([1, 1])).to.equal(true);
      expect(roundedPercentsAddUp([1, 5, 19, 75, 31])).to.equal(false); // 1 + 4 + 15 + 57 + 24 = 101
      expect(roundedPercentsAddUp([0, 0])).to.equal(true);
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
      expect(formatNumberNl(11.0751, 2)).to.equal('11,08');
      // A statistic is rounded on its exact value: 11.075 is stored as 11.07499999999999929…
      expect(formatNumberNl(11.075, 2)).to.equal('11,07');
      expect(formatNumberNl(10_000, 0)).to.equal('10.000');
      expect(formatNumberNl(0.1, 3)).to.equal('0,100');
    });
  });
});
