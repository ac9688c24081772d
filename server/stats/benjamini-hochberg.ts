// Benjamini and Hochberg's step-up adjustment, identical to R's p.adjust(p, method =
// "BH"): it controls the false discovery rate (the expected share of false findings
// among those called significant) instead of the chance of any false finding (Holm).
// With a family of twenty statements it loses less power than Holm, which is what a
// researcher looking for leads rather than proof may prefer; the page lets them choose.

import { testedPValues } from './tested-p-values';

/**
 * Adjusted p-values in the input order; `null` (not tested) stays null and does not
 * count towards the number of tests, as NA in R's p.adjust.
 */
export function benjaminiHochberg(pValues: readonly (number | null)[]): (number | null)[] {
  const tested = testedPValues(pValues);
  // Largest p first; the adjusted value is the running minimum of m/rank · p.
  tested.sort((a, b) => b.p - a.p);
  const m = tested.length;
  const adjusted: (number | null)[] = pValues.map(() => null);
  let runningMin = 1;
  tested.forEach(({ index, p }, i) => {
    const rank = m - i; // rank among the ascending p-values
    runningMin = Math.min(runningMin, (m / rank) * p);
    adjusted[index] = runningMin;
  });
  return adjusted;
}
