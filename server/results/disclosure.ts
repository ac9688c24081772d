// What may be shown without giving a small group away by subtraction (pure; the rules and
// their tests are in docs/privacy.md and docs/api-results.md, "The complement rule").
//
// A count shown for a selection S can be subtracted from the same count shown for any
// selection E that holds S: the result describes E minus S. So a count is shown only when
// the group it describes and, for every enclosing selection, the rest (E − S) are each at
// least the minimum, or the rest is nobody (then E and S show the same: nothing to derive).
//
// That pairwise rule is not enough once filters on different questions are combined: the
// counts of the whole wave, of A, of B and of A&B, each with a large rest, give by
// inclusion–exclusion the group that is neither A nor B (whole − A − B + A&B), which can be
// one person (test/http/overlapping-filters.test.ts). So, as a statistical office does for a
// table of several characteristics, every cell of the partition by the selection's filters
// (A&B, A&¬B, ¬A&B, ¬A&¬B, ...) must be nobody or at least the minimum: the cell rule. The
// enclosing selections are therefore every proper subset of the filters (the whole wave
// included), and a selection holds at most MAX_FILTERS (filters.ts) filters, so that the
// 2^k − 1 counts stay few.
import type { Filter } from './filters';
import { isNumberItem, QuestionModel } from './instrument-model';
import type { Counts } from './tally-index';

/** The rest of `whole` after `part` is nobody, or a group at least `min` large. */
export function restOk(whole: number, part: number, min: number): boolean {
  const rest = whole - part;
  return rest === 0 || rest >= min;
}

/** A group of `n` may be shown when it is large enough and so is its rest in every enclosing group. */
export function groupShown(n: number, enclosing: readonly number[], min: number): boolean {
  return n >= min && enclosing.every((whole) => restOk(whole, n, min));
}

/**
 * The proper subsets of k filters as bit masks (bit i: the i-th filter), those one filter
 * smaller first (leaving out the first filter first), down to the whole wave (0).
 */
export function enclosingMasks(k: number): number[] {
  const full = (1 << k) - 1;
  const masks: number[] = [];
  for (let m = 0; m < full; m += 1) masks.push(m);
  return masks.sort((a, b) => bits(b) - bits(a) || b - a);
}

/** The filter sets enclosing a selection (every proper subset; for one filter, the whole wave []), in the order of enclosingMasks. */
export function enclosingFilterSets(filters: readonly Filter[]): Filter[][] {
  if (filters.length === 0) return [];
  return enclosingMasks(filters.length).map((m) => filters.filter((_, i) => (m & (1 << i)) !== 0));
}

function bits(mask: number): number {
  let n = 0;
  for (let m = mask; m > 0; m >>= 1) n += m & 1;
  return n;
}

/**
 * The cells of the partition by k yes/no characteristics, from the size of every
 * intersection: `together(mask)` counts those with (at least) the characteristics in mask
 * (0: everyone). Cell m, those with exactly the characteristics in m and none of the
 * others, is the sum over every S that holds m of (−1)^|S − m| · together(S) (Möbius
 * inversion, the inclusion–exclusion an attacker would do).
 */
export function partitionCells(k: number, together: (mask: number) => number): number[] {
  const size = 1 << k;
  const known = Array.from({ length: size }, (_, m) => together(m));
  const cells: number[] = [];
  for (let m = 0; m < size; m += 1) {
    let cell = 0;
    for (let s = m; s < size; s = (s + 1) | m) cell += (bits(s ^ m) % 2 === 0 ? 1 : -1) * known[s];
    cells.push(cell);
  }
  return cells;
}

/** How many filters a list of every enclosing selection belongs to (2^k − 1 of them); 0 when it is not such a list. */
export function latticeSize(enclosingCount: number): number {
  for (let k = 0; k <= 30; k += 1) if ((1 << k) - 1 === enclosingCount) return k;
  return 0;
}

/** The cell rule: every cell of the partition is nobody or at least the minimum. */
export function partitionShown(k: number, together: (mask: number) => number, min: number): boolean {
  return partitionCells(k, together).every((cell) => cell === 0 || cell >= min);
}

/**
 * The cell rule for one count of a selection of k filters: `here` in the selection itself,
 * `around[i]` in the enclosing selection enclosingMasks(k)[i] (the order of
 * enclosingFilterSets and of Selection.enclosing).
 */
export function cellsShown(k: number, here: number, around: readonly number[], min: number): boolean {
  if (k === 0) return true;
  const full = (1 << k) - 1;
  const byMask = new Map(enclosingMasks(k).map((m, i) => [m, around[i] ?? 0]));
  return partitionShown(k, (m) => (m === full ? here : byMask.get(m)!), min);
}

/**
 * The n shown for an item (a question, or one row of a matrix): those who answered it. A
 * single-choice question's and a matrix row's is the sum of its values; a checkbox's, a
 * text's or a whole matrix's the respondents who answered at all.
 */
export function itemN(counts: Counts, question: QuestionModel, row: string): number {
  if (question.kind !== 'single' && question.kind !== 'number' && !(question.kind === 'matrix' && row !== '') && !(question.kind === 'ranking' && row !== '') && !isNumberItem(question, row)) return counts.answered(question.name);
  let n = 0;
  for (const k of counts.values(question.name, row).values()) n += k;
  return n;
}

/** Whether an item's numbers may be shown: it was answered by enough, and its answerers' rest in every enclosing selection is nobody or enough. */
export type ItemGuard = (question: QuestionModel, row: string, n: number) => boolean;

/** `enclosing`: the counts of every enclosing selection, in the order of enclosingFilterSets (their number says how many filters). */
export function itemGuard(min: number, enclosing: readonly Counts[] = []): ItemGuard {
  const k = latticeSize(enclosing.length);
  return (question, row, n) => {
    const around = enclosing.map((c) => itemN(c, question, row));
    return n >= min && around.every((whole) => restOk(whole, n, min)) && cellsShown(k, n, around, min);
  };
}

/**
 * The groups of a split (by an answer, or by wave) that may be shown. A group is a
 * candidate when it passes on its own (`candidate`); then, since the groups shown and the
 * total can be subtracted, the rest of the total after the groups shown (the groups left
 * out, and those who gave no answer to split by) must be nobody or at least the minimum:
 * while it is not, the smallest group shown joins the rest.
 */
export function shownGroups<T extends { n: number }>(groups: readonly T[], total: number | null, min: number, candidate: (g: T) => boolean): Set<T> {
  const shown = groups.filter((g) => g.n >= min && candidate(g)).sort((a, b) => a.n - b.n);
  if (total !== null) {
    let rest = total - shown.reduce((k, g) => k + g.n, 0);
    while (shown.length > 0 && rest > 0 && rest < min) rest += shown.shift()!.n;
  }
  return new Set(shown);
}
