// What one response adds to the per-wave tallies (table answer_tallies). A tally is a
// count of respondents, keyed by
//   (by_question, by_value)  '' and '' for all respondents of the wave, or a grouping
//                            question and the respondent's answer to it;
//   (question, row, value)   an answer (row '' outside matrices; a checkbox tick is its own
//                            value), or value '' = "answered this question at all" (any
//                            answer row, closed or free text), which gives the n of a
//                            checkbox or a matrix as a whole.
// Sums over these keys are exactly what GROUP BY over the answers table would give, so
// the results read a few hundred tally rows instead of every answer.

export const ALL = '';
export const ANSWERED = '';

export interface TallyAnswer {
  question: string;
  row: string;
  value: string | null;
}

export interface TallyKey {
  byQuestion: string;
  byValue: string;
  question: string;
  row: string;
  value: string;
}

export function tallyKeys(answers: readonly TallyAnswer[], grouping: ReadonlySet<string>): TallyKey[] {
  const own = new Map<string, TallyKey>();
  const add = (question: string, row: string, value: string) =>
    own.set(encode(ALL, ALL, question, row, value), { byQuestion: ALL, byValue: ALL, question, row, value });
  for (const answer of answers) {
    add(answer.question, ANSWERED, ANSWERED);
    if (answer.value !== null) add(answer.question, answer.row, answer.value);
  }
  const keys = [...own.values()];
  for (const group of answers) {
    if (group.row !== '' || group.value === null || !grouping.has(group.question)) continue;
    for (const key of own.values()) {
      if (key.question === group.question) continue;
      keys.push({ ...key, byQuestion: group.question, byValue: group.value });
    }
  }
  return keys;
}

/** One string per key, for counting keys in a Map. The parts never contain U+0001. */
export function encode(...parts: string[]): string {
  return parts.join('\u0001');
}

export function decode(encoded: string): TallyKey {
  const [byQuestion, byValue, question, row, value] = encoded.split('\u0001');
  return { byQuestion, byValue, question, row, value };
}

export function keyString(key: TallyKey): string {
  return encode(key.byQuestion, key.byValue, key.question, key.row, key.value);
}
