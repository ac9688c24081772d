// Monte Carlo p-value for Pearson's chi-square on an r×c table, as R's
// chisq.test(x, simulate.p.value = TRUE, B): draw B random tables with the
// observed row and column totals (uniformly over tables with those margins,
// i.e. the conditional null distribution) and count how often their statistic
// reaches the observed one. Used where expected counts are too low for the
// chi-square approximation and the table is bigger than 2×2.
import mt19937 from '@stdlib/random-base-mt19937';
import { CountTable, assertCountTable, expectedCounts, margins } from './crosstab';
import { chiSquareStatistic } from './chi-square';
import { createFlatTableSampler } from './random-table';

/** Fewer replicates give p-values too coarse to report (SE up to 0.005 at B = 10,000). */
export const MIN_REPLICATES = 10_000;
/** Keeps one request's CPU time bounded (~1 s for a 2×5 table). */
export const MAX_REPLICATES = 1_000_000;
/** Fixed so that the same table always gets the same p-value; 1981 is the year of AS 159. */
export const DEFAULT_SEED = 1981;

/**
 * R counts a simulated statistic as "at least as extreme" when
 * sim >= (1 − 64·ε) · observed, so that the observed table itself and tables
 * with the same statistic computed in another order are not lost to rounding.
 */
const ALMOST_ONE = 1 - 64 * Number.EPSILON;

export interface MonteCarloOptions {
  /** Number of simulated tables; an integer from 10,000 to 1,000,000. Default 10,000. */
  replicates?: number;
  /** Seed for the Mersenne Twister; an integer from 1 to 4,294,967,295. Default 1981. */
  seed?: number;
}

export interface MonteCarloResult {
  /** (1 + #{simulated >= observed}) / (B + 1): never 0, as in R. */
  p: number;
  replicates: number;
  seed: number;
  /** Pearson's chi-square of the observed table. */
  statistic: number;
  /** Monte Carlo standard error of p: sqrt(p (1 − p) / B). */
  se: number;
}

/**
 * Checks the options and fills in the defaults. Throws a RangeError on fewer
 * than 10,000 replicates rather than quietly raising them, so a caller that
 * asks for something else learns it at once.
 */
export function resolveMonteCarloOptions(options: MonteCarloOptions = {}): Required<MonteCarloOptions> {
  const replicates = options.replicates ?? MIN_REPLICATES;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(replicates) || replicates < MIN_REPLICATES || replicates > MAX_REPLICATES) {
    throw new RangeError(
      `Monte Carlo replicates must be a whole number from ${MIN_REPLICATES} to ${MAX_REPLICATES}, got ${replicates}`,
    );
  }
  if (!Number.isInteger(seed) || seed < 1 || seed > 0xffffffff) {
    throw new RangeError(`seed must be a whole number from 1 to 4294967295, got ${seed}`);
  }
  return { replicates, seed };
}

export function monteCarloChiSquare(table: CountTable, options: MonteCarloOptions = {}): MonteCarloResult {
  const { replicates, seed } = resolveMonteCarloOptions(options);
  assertCountTable(table);
  const { rowTotals, colTotals } = margins(table);
  if (rowTotals.some((t) => t === 0) || colTotals.some((t) => t === 0)) {
    // R refuses too ("cannot compute simulated p-value with zero marginals").
    throw new RangeError('Monte Carlo test needs a table without empty rows or columns (see dropEmpty)');
  }

  const expected = expectedCounts(table);
  const statistic = chiSquareStatistic(table, expected);
  const threshold = ALMOST_ONE * statistic;

  const rand = mt19937.factory({ seed });
  // 32-bit integers to (0, 1): the +0.5 keeps both 0 and 1 out, as R's unif_rand does.
  const uniform = (): number => (rand() + 0.5) / 4294967296;
  const fill = createFlatTableSampler(rowTotals, colTotals, uniform);

  // The simulated statistic is summed in the same cell order as the observed
  // one (chiSquareStatistic), so the observed table itself always counts.
  const cells = expected.flat();
  const simulated = new Int32Array(cells.length);
  let atLeastAsExtreme = 0;
  for (let b = 0; b < replicates; b++) {
    fill(simulated);
    let sim = 0;
    for (let k = 0; k < cells.length; k++) {
      const diff = simulated[k] - cells[k];
      sim += (diff * diff) / cells[k];
    }
    if (sim >= threshold) atLeastAsExtreme++;
  }
  const p = (1 + atLeastAsExtreme) / (replicates + 1);
  return { p, replicates, seed, statistic, se: monteCarloStandardError(p, replicates) };
}

/** The binomial standard error of a simulated p from B tables. */
export function monteCarloStandardError(p: number, replicates: number): number {
  return Math.sqrt((p * (1 - p)) / replicates);
}

/**
 * A seed of its own for each item, derived from the item's key and its table (FNV-1a,
 * 32 bits): the same item and counts always give the same p, while two items no longer
 * share their random tables, so their Monte Carlo errors do not go up and down together.
 */
export function seedFor(key: string, table: CountTable): number {
  let hash = 0x811c9dc5;
  const text = `${key}\u0000${table.map((row) => row.join(',')).join(';')}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash === 0 ? DEFAULT_SEED : hash;
}

/** How close to α, in standard errors, a simulated p is run again with more tables. */
export const UNDECIDED_WITHIN_SE = 3;

/**
 * The simulated p with as many tables as its verdict needs: B = 10,000 first; while p
 * lies within three standard errors of α (where another seed could flip significant and
 * not significant) B goes up tenfold, to at most 1,000,000 (SE then below 0,00025 at
 * p = 0,05). Each run starts again from the seed, so the result depends on the table and
 * seed only.
 */
export function adaptiveMonteCarloChiSquare(table: CountTable, seed: number, alpha = 0.05): MonteCarloResult {
  let result = monteCarloChiSquare(table, { replicates: MIN_REPLICATES, seed });
  while (Math.abs(result.p - alpha) < UNDECIDED_WITHIN_SE * result.se && result.replicates < MAX_REPLICATES) {
    result = monteCarloChiSquare(table, { replicates: Math.min(MAX_REPLICATES, result.replicates * 10), seed });
  }
  return result;
}
