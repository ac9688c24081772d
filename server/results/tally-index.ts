// Looks up the respondent counts that came out of SQL: per answer, per "answered at all",
// optionally per group. Everything the pure result builders need, behind three methods.
import type { GroupTally, Tally } from './repository';
import { ANSWERED } from './tallies/keys';

export interface Counts {
  /** Respondents who gave `value` to the question (row: matrix row, '' otherwise). */
  count(question: string, row: string, value: string): number;
  /** Respondents who answered the question at all (any row, any choice, or a text). */
  answered(question: string): number;
  /** The values that occur for this question and row, with their counts, in no particular order. */
  values(question: string, row: string): Map<string, number>;
}

export function countsOf(tallies: readonly Tally[]): Counts {
  const byItem = new Map<string, Map<string, number>>();
  const answered = new Map<string, number>();
  for (const t of tallies) {
    if (t.row === '' && t.value === ANSWERED) {
      answered.set(t.question, t.respondents);
      continue;
    }
    const key = `${t.question}\u0001${t.row}`;
    let values = byItem.get(key);
    if (!values) byItem.set(key, (values = new Map()));
    values.set(t.value, (values.get(t.value) ?? 0) + t.respondents);
  }
  return {
    count: (question, row, value) => byItem.get(`${question}\u0001${row}`)?.get(value) ?? 0,
    answered: (question) => answered.get(question) ?? 0,
    values: (question, row) => byItem.get(`${question}\u0001${row}`) ?? new Map(),
  };
}

/** One Counts per group (the groups of a crosstab, or the waves of a comparison between waves). */
export function countsPerGroup(cells: readonly GroupTally[]): Map<string, Counts> {
  const grouped = new Map<string, Tally[]>();
  for (const cell of cells) {
    let list = grouped.get(cell.group);
    if (!list) grouped.set(cell.group, (list = []));
    list.push(cell);
  }
  return new Map([...grouped].map(([group, list]) => [group, countsOf(list)]));
}
