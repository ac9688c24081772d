// Holm's step-down adjustment for testing many items at once, identical to R's
// p.adjust(p, method = "holm"). A comparison tests every item of a wave; without
// a correction one in twenty unrelated items would come out "significant".
// Holm controls the family-wise error like Bonferroni but is uniformly more
// powerful, and needs no assumption about how the items are correlated.

import { testedPValues } from './tested-p-values';

/**
 * Returns the adjusted p-values in the input order. `null` marks an item that
 * was not tested (too few groups, suppressed): it stays null and does not
 * count towards the number of tests, as NA in R's p.adjust.
 */
export function holm(pValues: readonly (number | null)[]): (number | null)[] {
  const tested = testedPValues(pValues);

  // Smallest p first; Array.prototype.sort is stable, so ties keep input order
  // like R's order(). Ties end up with the same adjusted value either way.
  tested.sort((a, b) => a.p - b.p);

  const m = tested.length;
  const adjusted: (number | null)[] = pValues.map(() => null);
  let runningMax = 0;
  tested.forEach(({ index, p }, rank) => {
    // (m − rank) · p, made monotone so a smaller raw p never gets a larger
    // adjusted p than a bigger one, and capped at 1.
    runningMax = Math.max(runningMax, (m - rank) * p);
    adjusted[index] = Math.min(1, runningMax);
  });
  return adjusted;
}
