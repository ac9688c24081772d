// What may be shown without giving a small group away by subtraction (pure; the rules and
// their tests are in docs/privacy.md and docs/api-results.md, "The complement rule").
//
// A count shown for a selection S can be subtracted from the same count shown for any
// selection E that holds S: the result describes E minus S. So a count is shown only when
// the group it describes and, for every enclosing selection, the rest (E − S) are each at
// least the minimum, or the rest is nobody (then E and S show the same: nothing to derive).
//
// The enclosing selections of a set of filters are the sets with one filter left out: a
// rest within a smaller set holds the rest within one of these (n only grows as filters
// are dropped), so checking these few covers every subset, the whole wave included.
import type { Filter } from './filters';
import type { QuestionModel } from './instrument-model';
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

/** The filter sets one filter smaller; for one filter, the whole wave ([]). Each set once. */
export function enclosingFilterSets(filters: readonly Filter[]): Filter[][] {
  if (filters.length === 0) return [];
  const sets = new Map<string, Filter[]>();
  filters.forEach((_, i) => {
    const set = filters.filter((__, j) => j !== i);
    sets.set(set.map((f) => `${f.question}\u0001${f.row}\u0001${f.value}`).sort().join('\u0002'), set);
  });
  return [...sets.values()];
}

/**
 * The n shown for an item (a question, or one row of a matrix): those who answered it. A
 * single-choice question's and a matrix row's is the sum of its values; a checkbox's, a
 * text's or a whole matrix's the respondents who answered at all.
 */
export function itemN(counts: Counts, question: QuestionModel, row: string): number {
  if (question.kind !== 'single' && question.kind !== 'number' && !(question.kind === 'matrix' && row !== '') && !(question.kind === 'ranking' && row !== '')) return counts.answered(question.name);
  let n = 0;
  for (const k of counts.values(question.name, row).values()) n += k;
  return n;
}

/** Whether an item's numbers may be shown: it was answered by enough, and its answerers' rest in every enclosing selection is nobody or enough. */
export type ItemGuard = (question: QuestionModel, row: string, n: number) => boolean;

export function itemGuard(min: number, enclosing: readonly Counts[] = []): ItemGuard {
  return (question, row, n) => n >= min && enclosing.every((c) => restOk(itemN(c, question, row), n, min));
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
