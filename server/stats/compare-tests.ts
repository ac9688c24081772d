// Turns the per-item test results of one comparison into the `test` objects of
// the compare API (api.md): Holm-adjusted over the items compared together,
// with the Dutch text. Items that were not tested stay null.
import { formatChiSquare } from './format-nl';
import { holm } from './holm';
import type { TableTest, TestMethod } from './test-table';

/** The `test` object of GET /api/v1/waves/:id/compare, field for field. */
export interface CompareTest {
  method: TestMethod;
  statistic: number;
  df: number;
  pChiSquare: number;
  p: number;
  pAdjusted: number;
  cramersV: number;
  n: number;
  minExpected: number;
  lowExpected: boolean;
  text: string;
}

/**
 * `tests[i]` is item i's TableTest, or null when it was not tested. The Holm
 * family is exactly the tested items of this array, so pass all items of one
 * comparison together and nothing else.
 */
export function toCompareTests(tests: readonly (TableTest | null)[]): (CompareTest | null)[] {
  const adjusted = holm(tests.map((test) => (test ? test.p : null)));
  return tests.map((test, i) => {
    if (!test) return null;
    return {
      method: test.method,
      statistic: test.statistic,
      df: test.df,
      pChiSquare: test.pChiSquare,
      p: test.p,
      pAdjusted: adjusted[i] as number,
      cramersV: test.cramersV,
      n: test.n,
      minExpected: test.minExpected,
      lowExpected: test.lowExpected,
      text: formatChiSquare(test),
    };
  });
}
