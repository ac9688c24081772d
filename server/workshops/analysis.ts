// The arithmetic of the positioning workshop's plenary view, as pure functions: the spread of
// one cell, the disagreement rule, the ranking under a set of weights, and the sensitivity of
// the first place to each weight. Scores are -1 (slecht), 0 (matig) and +1 (goed); a cell's
// total is the sum over its participants. Every participant scores every cell, so all cells
// have the same n and an option's order depends only on sum(weight * total): integers, which
// is what lets the sensitivity be exact (fractions of integers, no rounding).

export type Score = -1 | 0 | 1;
/** option -> criterion -> sum of the scores given. */
export type Totals = Map<string, Map<string, number>>;
export interface Fraction { num: number; den: number }

export interface Spread { minus: number; mixed: number; plus: number; n: number; total: number }

export function cellSpread(scores: readonly Score[]): Spread {
  const spread = { minus: 0, mixed: 0, plus: 0, n: scores.length, total: 0 };
  for (const score of scores) {
    if (score === -1) spread.minus += 1;
    else if (score === 0) spread.mixed += 1;
    else spread.plus += 1;
    spread.total += score;
  }
  return spread;
}

/** The rule, as the plenary view states it: at least one participant scored goed (+) and at least one slecht (-). */
export function isDisagreement(spread: Spread): boolean {
  return spread.minus > 0 && spread.plus > 0;
}

export interface Ranked { optionId: string; score: number; place: number }

const weightedSum = (totals: Totals, option: string, criteria: readonly string[], weights: Map<string, number>) =>
  criteria.reduce((sum, c) => sum + (weights.get(c) ?? 0) * (totals.get(option)?.get(c) ?? 0), 0);

/**
 * Options by weighted mean score (between -1 and +1), best first. Options with the same
 * weighted sum share a place (1, 2, 2, 4), in the order given.
 */
export function rankOptions(options: readonly string[], criteria: readonly string[], totals: Totals, n: number, weights: Map<string, number>): Ranked[] {
  const weightTotal = criteria.reduce((sum, c) => sum + (weights.get(c) ?? 0), 0);
  const sums = options.map((optionId, index) => ({ optionId, index, sum: weightedSum(totals, optionId, criteria, weights) }));
  sums.sort((a, b) => b.sum - a.sum || a.index - b.index);
  return sums.map((s) => ({
    optionId: s.optionId,
    score: weightTotal === 0 || n === 0 ? 0 : s.sum / (weightTotal * n),
    place: 1 + sums.filter((other) => other.sum > s.sum).length,
  }));
}

export interface CriterionSensitivity {
  criterionId: string;
  weight: number;
  /** The weight at (or below) which the leader no longer stands alone in first place; null: not down to 0. */
  lower: Fraction | null;
  /** The options that draw level at `lower` (and lead just below it). */
  lowerRivals: string[];
  /** The weight at (or above) which the leader no longer stands alone first; null: never, however heavy. */
  upper: Fraction | null;
  upperRivals: string[];
}

export interface Sensitivity {
  /** The option alone in first place, or null when several share it. */
  leader: string | null;
  /** The options sharing first place when there is no single leader. */
  tied: string[];
  /** Per criterion, changing only its weight (the others fixed): the range that keeps the leader. */
  criteria: CriterionSensitivity[];
}

/**
 * For each criterion c, with the other weights fixed: the leader L stays ahead of a rival R
 * while A + t*d > 0, where t is c's weight, d = total(L,c) - total(R,c) and A is L's lead over
 * R on the other criteria. With d > 0, R draws level when t falls to -A/d; with d < 0, when t
 * rises to A/-d. The nearest such weight on each side is where the first place changes.
 */
export function sensitivity(options: readonly string[], criteria: readonly string[], totals: Totals, weights: Map<string, number>): Sensitivity {
  const sums = new Map(options.map((o) => [o, weightedSum(totals, o, criteria, weights)]));
  const best = Math.max(...sums.values());
  const first = options.filter((o) => sums.get(o) === best);
  if (first.length !== 1) return { leader: null, tied: first, criteria: [] };
  const leader = first[0];
  const total = (o: string, c: string) => totals.get(o)?.get(c) ?? 0;

  const result: CriterionSensitivity[] = criteria.map((c) => {
    const weight = weights.get(c) ?? 0;
    let lower: Fraction | null = null; let lowerRivals: string[] = [];
    let upper: Fraction | null = null; let upperRivals: string[] = [];
    for (const rival of options) {
      if (rival === leader) continue;
      const d = total(leader, c) - total(rival, c);
      const lead = (sums.get(leader)! - sums.get(rival)!) - weight * d; // A: the lead without c
      if (d > 0) {
        const at = reduce(-lead, d);
        if (at.num < 0) continue; // even at weight 0 the leader stays ahead of this rival
        const order = lower === null ? 1 : compare(at, lower);
        if (order > 0) { lower = at; lowerRivals = [rival]; } else if (order === 0) lowerRivals.push(rival);
      } else if (d < 0) {
        const at = reduce(lead, -d);
        const order = upper === null ? -1 : compare(at, upper);
        if (order < 0) { upper = at; upperRivals = [rival]; } else if (order === 0) upperRivals.push(rival);
      }
    }
    return { criterionId: c, weight, lower, lowerRivals, upper, upperRivals };
  });
  return { leader, tied: [], criteria: result };
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a); let y = Math.abs(b);
  while (y) [x, y] = [y, x % y];
  return x || 1;
}

function reduce(num: number, den: number): Fraction {
  const g = gcd(num, den);
  const sign = den < 0 ? -1 : 1;
  return { num: (sign * num) / g + 0, den: (sign * den) / g };
}

/** -1, 0 or 1; denominators are positive. */
function compare(a: Fraction, b: Fraction): number {
  return Math.sign(a.num * b.den - b.num * a.den);
}

export function fractionValue(f: Fraction): number {
  return f.num / f.den;
}

/** Dutch notation: "5/3 (1,67)", or a whole number. */
export function fractionText(f: Fraction): string {
  if (f.den === 1) return String(f.num);
  return `${f.num}/${f.den} (${fractionValue(f).toFixed(2).replace('.', ',')})`;
}
