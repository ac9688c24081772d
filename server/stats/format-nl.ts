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
 * Rounds half up (away from zero) on the DECIMAL value the number stands for.
 * Binary floating point stores 2.675 as 2.67499999999999982236431605997495353221893310546875
 * and 100 × 29/200 as 14.499999999999998, so naive rounding gives 2.67 and 14.
 * Trimming to 12 significant digits first removes that representation noise
 * (it sits near the 16th digit) and keeps every digit a report can show.
 */
export function roundHalfUp(value: number, decimals = 0): number {
  if (!Number.isFinite(value)) throw new RangeError(`cannot round ${value}`);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 10) {
    throw new RangeError(`decimals must be a whole number from 0 to 10, got ${decimals}`);
  }
  const magnitude = Number(Math.abs(value).toPrecision(12));
  const rounded = shiftDecimal(Math.floor(shiftDecimal(magnitude, decimals) + 0.5), -decimals);
  return value < 0 && rounded !== 0 ? -rounded : rounded; // never "-0"
}

/** A number with a fixed number of decimals and a decimal comma: 11.075 -> "11,08". */
export function formatNumberNl(value: number, decimals: number): string {
  return dutch(decimals).format(roundHalfUp(value, decimals));
}

/** A percentage (0-100) as tables print it: whole, half up, no % sign. 12.5 -> "13". */
export function formatPercentNl(percent: number, decimals = 0): string {
  return formatNumberNl(percent, decimals);
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

/** "p = 0,026", or "p < 0,001" when p would print as 0,000 or 0,001 from below. */
export function formatPValue(p: number): string {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be between 0 and 1, got ${p}`);
  return p < 0.001 ? 'p < 0,001' : `p = ${formatNumberNl(p, 3)}`;
}

export interface FormattableTest {
  method: TestMethod;
  statistic: number;
  df: number;
  p: number;
  replicates?: number | null;
}

/**
 * The test as it goes into a Dutch sentence: "Χ² (4) = 11,08; p = 0,026".
 * Χ is U+03A7 GREEK CAPITAL LETTER CHI, as in the TNO report; ² is U+00B2.
 * Where p is not the chi-square approximation the method is named after it,
 * because p then does not follow from Χ² and df and a reader would otherwise
 * think the numbers disagree.
 */
export function formatChiSquare(test: FormattableTest): string {
  const core = `Χ² (${test.df}) = ${formatNumberNl(test.statistic, 2)}; ${formatPValue(test.p)}`;
  switch (test.method) {
    case 'chi-square':
      return core;
    case 'fisher-exact':
      return `${core} (exacte toets van Fisher)`;
    case 'monte-carlo': {
      if (!test.replicates) throw new RangeError('a Monte Carlo test needs its number of replicates');
      return `${core} (Monte-Carlo, ${dutch(0).format(test.replicates)} tabellen)`;
    }
  }
}
