// One crosstab in, one test result out: chi-square always, and where expected
// counts are too low for the chi-square approximation the p-value of an exact
// (2×2: Fisher) or Monte Carlo (larger) test instead.
import {
  CountTable,
  assertCountTable,
  dropEmpty,
  expectedCounts,
  hasLowExpected,
  margins,
  minExpected,
} from './crosstab';
import {
  adjustedResiduals,
  chiSquarePValue,
  chiSquareStatistic,
  cramersV,
  degreesOfFreedom,
  significantCells,
} from './chi-square';
import { fisherExact2x2 } from './fisher';
import { MonteCarloOptions, adaptiveMonteCarloChiSquare, monteCarloChiSquare, resolveMonteCarloOptions } from './monte-carlo';

export type TestMethod = 'chi-square' | 'fisher-exact' | 'monte-carlo';

export interface TableTest {
  /** Which test `p` comes from. */
  method: TestMethod;
  /** Pearson's chi-square (no continuity correction), whatever the method. */
  statistic: number;
  df: number;
  /** p from the chi-square distribution, whatever the method. */
  pChiSquare: number;
  /** p of `method`. */
  p: number;
  /** Number of simulated tables when method is monte-carlo, else null. */
  replicates: number | null;
  /** Monte Carlo standard error of `p` when method is monte-carlo, else null. */
  se: number | null;
  cramersV: number;
  n: number;
  minExpected: number;
  lowExpected: boolean;
  /** The tested table: the input without all-zero rows and columns. */
  counts: number[][];
  /** Indices (into the input) of the rows and columns that were tested. */
  keptRows: number[];
  keptCols: number[];
  expected: number[][];
  /** Adjusted standardized residuals, same shape as `counts`. */
  residuals: number[][];
  /** |residual| > 1.96. */
  significantCells: boolean[][];
}

/** Why a table could not be tested; after dropping empty rows and columns. */
export type NoTestReason = 'no-observations' | 'fewer-than-two-groups' | 'fewer-than-two-categories';

export type TableTestOutcome =
  | { test: TableTest; reason: null }
  | { test: null; reason: NoTestReason; n: number };

/**
 * Tests independence of rows (groups) and columns (answer categories).
 * All-zero rows and columns are dropped first (df counts what is left). A table
 * with fewer than two non-empty rows or columns has nothing to compare, e.g.
 * one group, or every answer in the same category: it gets `test: null` and a
 * reason instead of NaN.
 */
export interface TestTableOptions extends MonteCarloOptions {
  /**
   * Raise the number of Monte Carlo tables while p is within a few standard errors of
   * this α (adaptiveMonteCarloChiSquare); `replicates` is then ignored.
   */
  adaptiveAlpha?: number;
}

export function testTable(counts: CountTable, options: TestTableOptions = {}): TableTestOutcome {
  assertCountTable(counts);
  // Checked even when no simulation turns out to be needed, so that a bad
  // option fails on every table, not only on the few with low expected counts.
  const monteCarlo = resolveMonteCarloOptions(options);
  const { n } = margins(counts);
  const dropped = dropEmpty(counts, counts.map((_, i) => i), counts[0].map((_, j) => j));
  const table = dropped.counts;
  if (n === 0) return { test: null, reason: 'no-observations', n };
  if (table.length < 2) return { test: null, reason: 'fewer-than-two-groups', n };
  if (table[0].length < 2) return { test: null, reason: 'fewer-than-two-categories', n };

  const rows = table.length;
  const cols = table[0].length;
  const expected = expectedCounts(table);
  const statistic = chiSquareStatistic(table, expected);
  const df = degreesOfFreedom(rows, cols);
  const pChiSquare = chiSquarePValue(statistic, df);
  const lowExpected = hasLowExpected(expected);
  const residuals = adjustedResiduals(table, expected);

  let method: TestMethod = 'chi-square';
  let p = pChiSquare;
  let replicates: number | null = null;
  let se: number | null = null;
  if (lowExpected && rows === 2 && cols === 2) {
    method = 'fisher-exact';
    p = fisherExact2x2(table);
  } else if (lowExpected) {
    method = 'monte-carlo';
    const simulated = options.adaptiveAlpha === undefined
      ? monteCarloChiSquare(table, monteCarlo)
      : adaptiveMonteCarloChiSquare(table, monteCarlo.seed, options.adaptiveAlpha);
    p = simulated.p;
    replicates = simulated.replicates;
    se = simulated.se;
  }

  return {
    reason: null,
    test: {
      method,
      statistic,
      df,
      pChiSquare,
      p,
      replicates,
      se,
      cramersV: cramersV(statistic, n, rows, cols),
      n,
      minExpected: minExpected(expected),
      lowExpected,
      counts: table,
      keptRows: dropped.keptRows,
      keptCols: dropped.keptCols,
      expected,
      residuals,
      significantCells: significantCells(residuals),
    },
  };
}
