// Numbers as Dutch reports write them: decimal comma, "Χ² (4) = 11,08; p = 0,026",
// whole-number percentages rounded half up (12,5 -> 13).
import type { TestMethod } from './test-table';

const formatters = new Map<number, Intl.NumberFormat>();

function dutch(decimals: number): Intl.NumberFormat {
  let formatter = formatters.get(decimals);
  if (!formatter) {
    formatter = new Intl.NumberFormat('nl-NL', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    formatters.set(decimals, formatter);
  }
  return formatter;
}

/** Moves the decimal point by `places` through the decimal text, not by multiplying. */
function shiftDecimal(value: number, places: number): number {
  const [mantissa, exponent = '0'] = String(value).split('e');
  return Number(`${mantissa}e${Number(exponent) + places}`);
}

/**
 * Rounds half up (away from zero) on the EXACT value of the double. toFixed rounds the
 * exact binary value and takes the larger candidate on a true tie, so 0.125 -> 0.13 and
 * 0.0264999999999996 -> 0.026 (trimming to 12 digits first, as this did before, made it
 * 0.027: a p of 0.026499… printed as 0,027). A computed statistic has no "intended"
 * decimal value to recover; a share of counts has, and roundShare serves that.
 */
export function roundHalfUp(value: number, decimals = 0): number {
  if (!Number.isFinite(value)) throw new RangeError(`cannot round ${value}`);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 10) {
    throw new RangeError(`decimals must be a whole number from 0 to 10, got ${decimals}`);
  }
  const rounded = Number(Math.abs(value).toFixed(decimals));
  return value < 0 && rounded !== 0 ? -rounded : rounded; // never "-0"
}

/**
 * A percentage computed as 100 · count / total, rounded half up on the fraction it
 * stands for: 100 × 29/200 is stored as 14.499999999999998, whose fraction is 14.5,
 * so 15. Trimming to 12 significant digits removes the representation noise (near the
 * 16th digit); a share of whole counts never has a real digit that far out.
 */
export function roundShare(percent: number, decimals = 0): number {
  if (!Number.isFinite(percent)) throw new RangeError(`cannot round ${percent}`);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 10) {
    throw new RangeError(`decimals must be a whole number from 0 to 10, got ${decimals}`);
  }
  const magnitude = Number(Math.abs(percent).toPrecision(12));
  const rounded = shiftDecimal(Math.floor(shiftDecimal(magnitude, decimals) + 0.5), -decimals);
  return percent < 0 && rounded !== 0 ? -rounded : rounded; // never "-0"
}

/** A number with a fixed number of decimals and a decimal comma: 11.075 -> "11,08". */
export function formatNumberNl(value: number, decimals: number): string {
  return dutch(decimals).format(roundHalfUp(value, decimals));
}

/** A percentage (0-100) as tables print it: whole, half up, no % sign. 12.5 -> "13". */
export function formatPercentNl(percent: number, decimals = 0): string {
  return dutch(decimals).format(roundShare(percent, decimals));
}

/**
 * count/total as a whole percentage, half up, in exact integer arithmetic:
 * floor((200·count + total) / (2·total)) = floor(100·count/total + 1/2).
 * This is the rule the TNO tables follow (see tno-quickscan.md §2b).
 */
export function roundedPercent(count: number, total: number): number {
  if (!Number.isSafeInteger(count) || !Number.isSafeInteger(total) || count < 0 || total <= 0 || count > total) {
    throw new RangeError(`need whole numbers 0 <= count <= total, total > 0; got ${count}/${total}`);
  }
  return Math.floor((200 * count + total) / (2 * total));
}

/**
 * "p = 0,026" as Dutch reports write it, with `label` in place of "p" if given ("p na
 * Holm-correctie = 0,130"). Never "= < 0,001" nor "p = 1,000" nor a p below α that
 * prints as α: "p < 0,001"; "p > 0,999"; 0,0496 (four decimals) where three would print
 * 0,050 beside "significant".
 */
export function formatPValue(p: number, label = 'p', alpha = 0.05): string {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be between 0 and 1, got ${p}`);
  if (p < 0.001) return `${label} < 0,001`;
  const rounded = roundHalfUp(p, 3);
  if (rounded >= 1) return `${label} > 0,999`;
  if (p < alpha && rounded >= alpha) {
    return roundHalfUp(p, 4) < alpha ? `${label} = ${formatNumberNl(p, 4)}` : `${label} < ${formatNumberNl(alpha, 3)}`;
  }
  return `${label} = ${formatNumberNl(p, 3)}`;
}

export interface FormattableTest {
  method: TestMethod;
  statistic: number;
  df: number;
  p: number;
  /** The number of respondents in the table, written as "N = 131". */
  n?: number;
  /** p of the chi-square distribution; written for the Χ² test itself where it is not `p`. */
  pChiSquare?: number;
  replicates?: number | null;
  /** The Monte Carlo standard error of p; gives the 99% interval. */
  se?: number | null;
}

/** The 99% Monte Carlo interval of p: p ± 2,576 SE, within what B tables can give. */
export function monteCarloInterval(p: number, se: number, replicates: number): { lower: number; upper: number } {
  const half = 2.5758293035489004 * se; // R: qnorm(0.995)
  return { lower: Math.max(1 / (replicates + 1), p - half), upper: Math.min(1, p + half) };
}

/**
 * The test as it goes into a Dutch sentence, with N as Dutch reports write it:
 * "Χ² (4, N = 131) = 11,08; p = 0,026". Χ is U+03A7 GREEK CAPITAL LETTER CHI, as in
 * the TNO report; ² is U+00B2. Where the p reported is not the chi-square
 * approximation, it is written under its own test's name, after the Χ² and the
 * approximation's own p, so that each p belongs to the test it comes from:
 * "Χ² (1, N = 21) = 5,74, p = 0,017; exacte toets van Fisher: p = 0,030".
 */
export function formatChiSquare(test: FormattableTest): string {
  const size = test.n === undefined ? '' : `, N = ${dutch(0).format(test.n)}`;
  const chi = `Χ² (${test.df}${size}) = ${formatNumberNl(test.statistic, 2)}`;
  switch (test.method) {
    case 'chi-square':
      return `${chi}; ${formatPValue(test.p)}`;
    case 'fisher-exact':
      return `${withApproximation(chi, test)}; exacte toets van Fisher: ${formatPValue(test.p)}`;
    case 'monte-carlo': {
      if (!test.replicates) throw new RangeError('a Monte Carlo test needs its number of replicates');
      const tables = dutch(0).format(test.replicates);
      let text = `${withApproximation(chi, test)}; Monte-Carlotoets (${tables} tabellen): ${formatPValue(test.p)}`;
      if (test.se !== undefined && test.se !== null) {
        const { lower, upper } = monteCarloInterval(test.p, test.se, test.replicates);
        text += ` (99%-interval ${formatNumberNl(lower, 3)}–${formatNumberNl(upper, 3)})`;
      }
      return text;
    }
  }
}

function withApproximation(chi: string, test: FormattableTest): string {
  return test.pChiSquare === undefined ? chi : `${chi}, ${formatPValue(test.pChiSquare)}`;
}

/**
 * Whether the whole percentages of these counts, rounded half up (roundedPercent),
 * add up to exactly 100. When they do not (1/3 three times gives 99) Dutch reports
 * add the footnote "Door afronding tellen de percentages niet altijd op tot 100."
 */
export function roundedPercentsAddUp(counts: readonly number[]): boolean {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return true;
  return counts.reduce((sum, count) => sum + roundedPercent(count, total), 0) === 100;
}
