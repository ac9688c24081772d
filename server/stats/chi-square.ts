// Pearson's chi-square test of independence WITHOUT continuity correction, as
// R's chisq.test(x, correct = FALSE) and SPSS's "Pearson Chi-Square" row, plus
// the effect size and cell residuals that go with it.
import gammainc from '@stdlib/math-base-special-gammainc';
import { CountTable, margins } from './crosstab';
import { normalQuantile } from './normal';

/** |z| above which an adjusted residual marks a cell (two-sided 5%). */
export const RESIDUAL_THRESHOLD = 1.96;

/** Σ (o − e)² / e over all cells. Cells are visited row by row. */
export function chiSquareStatistic(observed: CountTable, expected: CountTable): number {
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    for (let j = 0; j < observed[i].length; j++) {
      const diff = observed[i][j] - expected[i][j];
      statistic += (diff * diff) / expected[i][j];
    }
  }
  return statistic;
}

export function degreesOfFreedom(rows: number, cols: number): number {
  return (rows - 1) * (cols - 1);
}

/**
 * P(X² >= statistic) for df degrees of freedom. Uses the upper regularized
 * incomplete gamma function Q(df/2, x/2) directly instead of 1 − cdf: the
 * subtraction loses every digit once p drops below ~1e-16 (1 − cdf would give
 * 0 for Χ²(20) = 200, whose p is 1.1e-31).
 */
export function chiSquarePValue(statistic: number, df: number): number {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`df must be positive, got ${df}`);
  if (!(statistic >= 0)) throw new RangeError(`chi-square statistic must be >= 0, got ${statistic}`);
  // Below ~5e-324 the double underflows to exactly 0, which JSON, CSV and a reader take
  // as "impossible"; the smallest positive double stands for "this small or smaller".
  return Math.max(P_FLOOR, gammainc(statistic / 2, df / 2, true, true));
}

/**
 * The smallest p any test here reports (Number.MIN_VALUE, 5e-324): a p that would
 * underflow to 0 (Χ²(1) above ~1,480) is reported as this floor, never as 0.
 */
export const P_FLOOR = Number.MIN_VALUE;

/** Cramér's V = sqrt(Χ² / (n · (min(r, c) − 1))); equals |φ| for a 2×2 table. */
export function cramersV(statistic: number, n: number, rows: number, cols: number): number {
  const k = Math.min(rows, cols) - 1;
  if (k < 1 || n <= 0) throw new RangeError('Cramér\'s V needs at least a 2×2 table with observations');
  return Math.sqrt(statistic / (n * k));
}

/**
 * Adjusted standardized residuals (SPSS ASRESID, R chisq.test()$stdres):
 * (o − e) / sqrt(e · (1 − rowTotal/n) · (1 − colTotal/n)). Under independence
 * each is approximately standard normal, so |z| > 1.96 singles out the cells
 * that drive a significant difference. Needs a table without empty rows or
 * columns (see dropEmpty) and at least two of each, else a denominator is 0.
 */
export function adjustedResiduals(observed: CountTable, expected: CountTable): number[][] {
  const { rowTotals, colTotals, n } = margins(observed);
  return observed.map((row, i) =>
    row.map((o, j) => {
      const e = expected[i][j];
      const variance = e * (1 - rowTotals[i] / n) * (1 - colTotals[j] / n);
      return (o - e) / Math.sqrt(variance);
    }),
  );
}

/**
 * The |z| above which one cell of a table with `cells` cells counts as deviating, with
 * the Bonferroni correction over the cells: qnorm(1 − α / (2 · cells)). A 2×5 table has
 * ten residuals; at 1.96 each, one in four tables without any difference would show a
 * mark by chance. 2.81 for ten cells, 2.50 for four.
 */
export function cellThreshold(cells: number, alpha = 0.05): number {
  if (!Number.isInteger(cells) || cells < 1) throw new RangeError(`cells must be a whole number >= 1, got ${cells}`);
  return normalQuantile(1 - alpha / (2 * cells));
}

export function significantCells(residuals: CountTable, threshold = RESIDUAL_THRESHOLD): boolean[][] {
  return residuals.map((row) => row.map((z) => Math.abs(z) > threshold));
}
