// The p-values a multiple-testing adjustment works on: every tested item's p with its place
// in the input, checked once for Holm and Benjamini-Hochberg alike. `null` is an item that
// was not tested: it stays null and does not count towards the number of tests, as NA in
// R's p.adjust.

export interface TestedP { index: number; p: number }

export function testedPValues(pValues: readonly (number | null)[]): TestedP[] {
  const tested: TestedP[] = [];
  pValues.forEach((p, index) => {
    if (p === null) return;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new RangeError(`p-value at ${index} must be between 0 and 1 or null, got ${p}`);
    }
    tested.push({ index, p });
  });
  return tested;
}
