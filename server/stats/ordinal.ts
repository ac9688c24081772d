// Tests for answers on an ordered scale (Likert, 0-4), computed from the crosstab of
// groups × ordered categories: each respondent of category j has the same midrank.
// Mann-Whitney U (two groups) and Kruskal-Wallis (more), both with the correction for
// ties and without continuity correction (as SPSS's asymptotic p and R's
// wilcox.test(exact = FALSE, correct = FALSE) / kruskal.test), and the linear-by-linear
// association test SPSS prints under every crosstab. All pure, all on whole counts.
import { CountTable, assertCountTable, margins } from './crosstab';
import { chiSquarePValue } from './chi-square';
import { normalQuantile, normalTwoSidedP } from './normal';

export interface RankTest {
  method: 'mann-whitney' | 'kruskal-wallis';
  /** U of the first group (Mann-Whitney), or H (Kruskal-Wallis). */
  statistic: number;
  /** The normal approximation's z (Mann-Whitney only, else null). */
  z: number | null;
  df: number | null;
  p: number;
  /**
   * Mann-Whitney: r = |z| / √N. Kruskal-Wallis: ε² = H / (N − 1) (Tomczak & Tomczak 2014).
   * Both from 0 (no difference) to 1.
   */
  effectSize: number;
  n: number;
}

/** Midrank of every category: the ranks its respondents share. */
function categoryMidranks(colTotals: readonly number[]): number[] {
  let below = 0;
  return colTotals.map((t) => {
    const mid = below + (t + 1) / 2;
    below += t;
    return mid;
  });
}

/** Σ (t³ − t) over the categories: the ties. */
function tieSum(colTotals: readonly number[]): number {
  return colTotals.reduce((s, t) => s + (t * t * t - t), 0);
}

function checked(table: CountTable): { rowTotals: number[]; colTotals: number[]; n: number } {
  assertCountTable(table);
  const m = margins(table);
  if (m.rowTotals.some((t) => t === 0)) throw new RangeError('every group needs at least one answer');
  if (m.colTotals.filter((t) => t > 0).length < 2) throw new RangeError('a rank test needs answers in at least two categories');
  return m;
}

/** Mann-Whitney U for a 2 × k table, categories in their order on the scale. */
export function mannWhitney(table: CountTable): RankTest {
  if (table.length !== 2) throw new RangeError(`Mann-Whitney needs two groups, got ${table.length}`);
  const { rowTotals, colTotals, n } = checked(table);
  const ranks = categoryMidranks(colTotals);
  const [n1, n2] = rowTotals;
  const rankSum = table[0].reduce((s, count, j) => s + count * ranks[j], 0);
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieSum(colTotals) / (n * (n - 1)));
  const z = (u - (n1 * n2) / 2) / Math.sqrt(variance);
  return { method: 'mann-whitney', statistic: u, z, df: null, p: normalTwoSidedP(z), effectSize: Math.abs(z) / Math.sqrt(n), n };
}

/** Kruskal-Wallis H for a g × k table (g ≥ 2), with the tie correction. */
export function kruskalWallis(table: CountTable): RankTest {
  if (table.length < 2) throw new RangeError('Kruskal-Wallis needs at least two groups');
  const { rowTotals, colTotals, n } = checked(table);
  const ranks = categoryMidranks(colTotals);
  let sum = 0;
  table.forEach((row, i) => {
    const r = row.reduce((s, count, j) => s + count * ranks[j], 0);
    sum += (r * r) / rowTotals[i];
  });
  const uncorrected = (12 / (n * (n + 1))) * sum - 3 * (n + 1);
  const h = uncorrected / (1 - tieSum(colTotals) / (n * n * n - n));
  const df = table.length - 1;
  return { method: 'kruskal-wallis', statistic: h, z: null, df, p: chiSquarePValue(h, df), effectSize: h / (n - 1), n };
}

/** Mann-Whitney for two groups, Kruskal-Wallis for more: what the compare API reports as `ordinal`. */
export function rankTest(table: CountTable): RankTest {
  return table.length === 2 ? mannWhitney(table) : kruskalWallis(table);
}

export interface LinearByLinear {
  /** M² = (N − 1) r², r Pearson's correlation of the row and column scores. */
  statistic: number;
  df: 1;
  p: number;
}

/**
 * The linear-by-linear association test (Mantel-Haenszel's M², SPSS "Linear-by-Linear
 * Association") with scores 1, 2, … for the rows and columns in their order: a test for
 * a trend. With the waves of a series as the rows and a yes/no item as the columns it is
 * the Cochran-Armitage trend test (times (N − 1)/N).
 */
export function linearByLinear(table: CountTable, rowScores?: readonly number[], colScores?: readonly number[]): LinearByLinear {
  assertCountTable(table);
  const { rowTotals, colTotals, n } = margins(table);
  const u = rowScores ?? table.map((_, i) => i + 1);
  const v = colScores ?? table[0].map((_, j) => j + 1);
  if (u.length !== table.length || v.length !== table[0].length) throw new RangeError('scores do not fit the table');
  if (n < 2) throw new RangeError('linear-by-linear needs at least two observations');
  const meanU = rowTotals.reduce((s, t, i) => s + t * u[i], 0) / n;
  const meanV = colTotals.reduce((s, t, j) => s + t * v[j], 0) / n;
  let suv = 0;
  let suu = 0;
  let svv = 0;
  rowTotals.forEach((t, i) => { suu += t * (u[i] - meanU) ** 2; });
  colTotals.forEach((t, j) => { svv += t * (v[j] - meanV) ** 2; });
  table.forEach((row, i) => row.forEach((count, j) => { suv += count * (u[i] - meanU) * (v[j] - meanV); }));
  if (suu === 0 || svv === 0) throw new RangeError('linear-by-linear needs two or more rows and columns with answers');
  const r = suv / Math.sqrt(suu * svv);
  const statistic = (n - 1) * r * r;
  return { statistic, df: 1, p: chiSquarePValue(statistic, 1) };
}

export interface OddsRatio {
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * The odds ratio (a·d)/(b·c) of a 2×2 table with its 95% interval on the log scale
 * (Woolf): exp(ln OR ± 1,96 · √(1/a + 1/b + 1/c + 1/d)). With a zero cell, 0,5 is added
 * to every cell first (Haldane-Anscombe), so the estimate and interval stay finite.
 */
export function oddsRatio(table: CountTable): OddsRatio {
  assertCountTable(table);
  if (table.length !== 2 || table[0].length !== 2) throw new RangeError('an odds ratio needs a 2×2 table');
  const zero = table.some((row) => row.some((c) => c === 0));
  const [[a, b], [c, d]] = table.map((row) => row.map((x) => (zero ? x + 0.5 : x)));
  const log = Math.log((a * d) / (b * c));
  const se = Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d);
  const z = 1.959963984540054; // R: qnorm(0.975)
  return { estimate: Math.exp(log), lower: Math.exp(log - z * se), upper: Math.exp(log + z * se) };
}

/**
 * Wilson's score interval for a proportion x/n (R: prop.test(x, n, correct = FALSE)$conf.int),
 * which unlike p ± 1,96·SE stays within 0-1 and does not collapse at 0% or 100%.
 */
export function wilsonInterval(x: number, n: number, confidence = 0.95): { lower: number; upper: number } {
  if (!Number.isSafeInteger(x) || !Number.isSafeInteger(n) || x < 0 || n <= 0 || x > n) {
    throw new RangeError(`need whole numbers 0 <= x <= n, n > 0; got ${x}/${n}`);
  }
  const z = confidence === 0.95 ? 1.959963984540054 : zFor(confidence);
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0% and 100% the bound is 0 or 1 exactly; rounding would leave a hair beside it.
  return { lower: x === 0 ? 0 : Math.max(0, centre - half), upper: x === n ? 1 : Math.min(1, centre + half) };
}

function zFor(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1, got ${confidence}`);
  return normalQuantile(1 - (1 - confidence) / 2);
}
