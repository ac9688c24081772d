// One plain-Dutch sentence that says what a significant difference consists of,
// the way the TNO report puts it in words ("Professionals staan hier vaker
// neutraal tegenover, terwijl studenten het er vaker mee eens zijn"): which
// group chose which answer more often than expected, judged cell by cell on
// the adjusted standardized residuals.
import { RESIDUAL_THRESHOLD } from './chi-square';

export const NO_DIFFERENCE = 'Geen significant verschil tussen de groepen.';
export const NO_SINGLE_ANSWER =
  'De groepen verschillen significant, maar bij geen enkel antwoord afzonderlijk duidelijk.';

export interface DifferenceInput {
  /** Group names as they read inside a sentence, plural: "studenten", "professionals". */
  groups: readonly string[];
  /** Answer labels, e.g. "Mee eens"; quoted in the sentence. */
  categories: readonly string[];
  /** Adjusted standardized residuals, groups × categories (TableTest.residuals). */
  residuals: readonly (readonly number[])[];
  /** Holm-adjusted p of this item; null when the item was not tested. */
  pAdjusted: number | null;
  /** Significance level; default 0.05. */
  alpha?: number;
  /** The residual a cell must exceed to be named (the marks' threshold); default 1.96. */
  threshold?: number;
}

function quoted(label: string): string {
  return `‘${label}’`;
}

/** "‘A’", "‘A’ en ‘B’", "‘A’, ‘B’ en ‘C’". */
function listNl(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} en ${items[items.length - 1]}`;
}

function capitalise(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/**
 * E.g. "Studenten kozen vaker ‘Mee eens’ dan professionals; professionals kozen
 * vaker ‘Neutraal’." Only answers a group chose MORE often than expected
 * (residual > 1.96) are named: with two groups every "less often" is the other
 * group's "more often", and saying both doubles the sentence. With more than
 * two groups the first clause compares with "de andere groepen".
 */
export function describeDifference(input: DifferenceInput): string {
  const { groups, categories, residuals, pAdjusted } = input;
  const alpha = input.alpha ?? 0.05;
  const threshold = input.threshold ?? RESIDUAL_THRESHOLD;
  if (residuals.length !== groups.length || residuals.some((row) => row.length !== categories.length)) {
    throw new RangeError('residuals must be groups × categories');
  }
  if (pAdjusted === null || !(pAdjusted < alpha)) return NO_DIFFERENCE;

  const clauses: string[] = [];
  groups.forEach((group, g) => {
    const more = categories.filter((_, c) => residuals[g][c] > threshold).map(quoted);
    if (more.length === 0) return;
    let clause = `${group} kozen vaker ${listNl(more)}`;
    if (clauses.length === 0) {
      clause += groups.length === 2 ? ` dan ${groups[1 - g]}` : ' dan de andere groepen';
    }
    clauses.push(clause);
  });
  if (clauses.length === 0) return NO_SINGLE_ANSWER;
  return `${capitalise(clauses.join('; '))}.`;
}
