// Mean, median, quartiles and range of a numeric scale from respondent counts per value
// (pure). Quantiles are R's default (type 7), so the numbers can be checked in R with
// quantile(rep(values, counts)).

export interface Descriptives {
  n: number;
  mean: number;
  median: number;
  q1: number;
  q3: number;
  iqr: number;
  min: number;
  max: number;
}

/** null when there is nothing to describe (no counts). */
export function describeCounts(counts: ReadonlyMap<number, number>): Descriptives | null {
  const values = [...counts].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const n = values.reduce((total, [, k]) => total + k, 0);
  if (n === 0) return null;
  const mean = values.reduce((total, [v, k]) => total + v * k, 0) / n;
  const q1 = quantile(values, n, 0.25);
  const q3 = quantile(values, n, 0.75);
  return { n, mean, median: quantile(values, n, 0.5), q1, q3, iqr: q3 - q1, min: values[0][0], max: values[values.length - 1][0] };
}

/** R type 7: h = (n − 1)·p; x[floor(h)] + (h − floor(h))·(x[floor(h)+1] − x[floor(h)]), 0-based. */
function quantile(sorted: ReadonlyArray<readonly [number, number]>, n: number, p: number): number {
  const h = (n - 1) * p;
  const lower = Math.floor(h);
  const low = nth(sorted, lower);
  const high = nth(sorted, Math.min(lower + 1, n - 1));
  return low + (h - lower) * (high - low);
}

/** The i-th (0-based) value of the sample the counts stand for. */
function nth(sorted: ReadonlyArray<readonly [number, number]>, index: number): number {
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (index < seen) return value;
  }
  return sorted[sorted.length - 1][0];
}
