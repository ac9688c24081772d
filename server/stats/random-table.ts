// Random r×c tables with fixed row and column totals, drawn from the null
// distribution of independence (every arrangement of the n respondents over the
// margins equally likely). This is Patefield's method (Applied Statistics AS 159,
// 1981), the one behind R's r2dtable() and chisq.test(simulate.p.value = TRUE):
// fill the table cell by cell; given what is already filled, a cell is
// hypergeometric, and it is drawn by inverting its distribution function,
// starting at the mode and stepping outwards, so a draw costs about
// sqrt(variance) steps instead of one step per possible value.
import factorialln from '@stdlib/math-base-special-factorialln';

export type Uniform = () => number;

/**
 * Returns a function that writes one random table, row by row, into `out`
 * (length rows × cols). Filling a reused buffer keeps 10,000 draws free of
 * allocation; see createTableSampler for a friendlier shape.
 */
export function createFlatTableSampler(
  rowTotals: readonly number[],
  colTotals: readonly number[],
  uniform: Uniform,
): (out: Int32Array) => void {
  const n = rowTotals.reduce((s, t) => s + t, 0);
  if (colTotals.reduce((s, t) => s + t, 0) !== n) {
    throw new RangeError('row and column totals must add up to the same n');
  }
  const logFactorial = Float64Array.from({ length: n + 1 }, (_, k) => factorialln(k));
  const rows = rowTotals.length;
  const cols = colTotals.length;
  const colLeft = new Int32Array(cols); // column totals not yet placed in rows above

  return (out) => {
    colLeft.set(colTotals);
    let remaining = n; // respondents not yet placed in rows above
    for (let i = 0; i < rows - 1; i++) {
      let rowLeft = rowTotals[i];
      let pool = remaining; // respondents in columns j.. of rows i..
      for (let j = 0; j < cols - 1; j++) {
        const cell = drawHypergeometric(rowLeft, colLeft[j], pool, logFactorial, uniform);
        out[i * cols + j] = cell;
        pool -= colLeft[j];
        rowLeft -= cell;
        colLeft[j] -= cell;
      }
      out[i * cols + cols - 1] = rowLeft; // the row total fixes the last cell
      colLeft[cols - 1] -= rowLeft;
      remaining -= rowTotals[i];
    }
    // The column totals fix the last row.
    for (let j = 0; j < cols; j++) out[(rows - 1) * cols + j] = colLeft[j];
  };
}

/** Returns a function that draws one table, as a fresh rows × cols array, per call. */
export function createTableSampler(
  rowTotals: readonly number[],
  colTotals: readonly number[],
  uniform: Uniform,
): () => number[][] {
  const fill = createFlatTableSampler(rowTotals, colTotals, uniform);
  const cols = colTotals.length;
  const buffer = new Int32Array(rowTotals.length * cols);
  return () => {
    fill(buffer);
    return rowTotals.map((_, i) => Array.from(buffer.subarray(i * cols, (i + 1) * cols)));
  };
}

/**
 * Number of the `draws` respondents of this row that fall in this column, when
 * `draws` are taken without replacement from a pool of `pool` of whom `successes`
 * are in the column: P(k) = C(successes, k) C(pool − successes, draws − k) / C(pool, draws).
 */
function drawHypergeometric(
  draws: number,
  successes: number,
  pool: number,
  logFactorial: Float64Array,
  uniform: Uniform,
): number {
  if (draws === 0 || successes === 0) return 0;
  const failures = pool - successes;
  const lo = Math.max(0, draws - failures);
  const hi = Math.min(draws, successes);
  if (lo === hi) return lo;

  const mode = Math.min(hi, Math.max(lo, Math.floor(((draws + 1) * (successes + 1)) / (pool + 2))));
  const modeProbability = Math.exp(
    logFactorial[successes] + logFactorial[failures] + logFactorial[draws] + logFactorial[pool - draws] -
      logFactorial[pool] - logFactorial[mode] - logFactorial[successes - mode] -
      logFactorial[draws - mode] - logFactorial[failures - draws + mode],
  );

  let u = uniform();
  for (;;) {
    // Accumulate probabilities outwards from the mode, alternating up and down,
    // until they pass u. Ratios of neighbouring probabilities avoid exp() per step.
    let cumulative = modeProbability;
    if (u <= cumulative) return mode;
    let up = mode;
    let down = mode;
    let pUp = modeProbability;
    let pDown = modeProbability;
    while (up < hi || down > lo) {
      if (up < hi) {
        pUp *= ((successes - up) * (draws - up)) / ((up + 1) * (failures - draws + up + 1));
        up++;
        cumulative += pUp;
        if (u <= cumulative) return up;
      }
      if (down > lo) {
        pDown *= (down * (failures - draws + down)) / ((successes - down + 1) * (draws - down + 1));
        down--;
        cumulative += pDown;
        if (u <= cumulative) return down;
      }
    }
    // Rounding left the total a hair below 1 and u above it: draw again within
    // the mass actually accumulated (Patefield does the same).
    u = cumulative * uniform();
  }
}
