// Fisher's exact test for a 2×2 table, two-sided exactly as R's fisher.test:
// the p-value is the total probability, under the hypergeometric distribution of
// the top-left cell given both margins, of all tables that are at most as
// probable as the observed one.
import factorialln from '@stdlib/math-base-special-factorialln';
import { CountTable, assertCountTable } from './crosstab';
import { P_FLOOR } from './chi-square';

/**
 * R compares densities with a relative tolerance of 1e-7 (`relErr` in
 * fisher.test) so that tables exactly as probable as the observed one, which
 * floating point may compute a few ulps higher, still count. Without it
 * [[0,5],[2,3]] gives p = 0.222 instead of R's 0.444, and [[1,4],[0,5]] 0.5 instead of 1.
 */
const RELATIVE_TOLERANCE = 1 + 1e-7;

function logChoose(n: number, k: number): number {
  return factorialln(n) - factorialln(k) - factorialln(n - k);
}

export function fisherExact2x2(table: CountTable): number {
  assertCountTable(table);
  if (table.length !== 2 || table[0].length !== 2) {
    throw new RangeError(`Fisher's exact test here needs a 2×2 table, got ${table.length}×${table[0].length}`);
  }
  const [[a, b], [c, d]] = table;
  const firstRow = a + b;
  const firstCol = a + c;
  const secondCol = b + d;
  // Support of the top-left cell given the margins.
  const lo = Math.max(0, firstRow - secondCol);
  const hi = Math.min(firstRow, firstCol);

  // Log densities, then scaled by their maximum before exp() so that nothing
  // underflows for large tables, and normalised to sum to 1 (as R does).
  const logDensity: number[] = [];
  for (let x = lo; x <= hi; x++) {
    logDensity.push(logChoose(firstCol, x) + logChoose(secondCol, firstRow - x));
  }
  // A loop, not Math.max(...logDensity): spreading 200,000 arguments overflows the stack.
  let maxLog = -Infinity;
  for (const l of logDensity) if (l > maxLog) maxLog = l;
  const density = logDensity.map((l) => Math.exp(l - maxLog));
  const total = density.reduce((sum, p) => sum + p, 0);

  const observed = density[a - lo] * RELATIVE_TOLERANCE;
  let p = 0;
  for (const value of density) {
    if (value <= observed) p += value;
  }
  return Math.min(1, Math.max(P_FLOOR, p / total));
}
