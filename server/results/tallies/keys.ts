// What one response adds to the per-wave tallies (table answer_tallies). A tally is a
// count of respondents, keyed by
//   (by_question, by_value)  '' and '' for all respondents of the wave; a grouping
//                            question and the respondent's answer to it; or two grouping
//                            questions and the two answers, joined by '&' in the order of
//                            the question names ("b_role&c_ervaring", "student&ja"), for a
//                            comparison by one within a group of the other ("students with
//                            and without own experience");
//   (question, row, value)   an answer (row '' outside matrices; a checkbox tick is its own
//                            value), or value '' = "answered this question at all" (any
//                            answer row, closed or free text), which gives the n of a
//                            checkbox or a matrix as a whole.
// Sums over these keys are exactly what GROUP BY over the answers table would give, so
// the results read a few hundred tally rows instead of every answer.

export const ALL = '';
export const ANSWERED = '';
/** Joins the two grouping questions (and answers) of a compound group. Names and values never contain it. */
export const AND = '&';

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
  const groups = answers.filter((a) => a.row === '' && a.value !== null && grouping.has(a.question)).sort(byName);
  groups.forEach((group, i) => {
    for (const key of own.values()) {
      if (key.question !== group.question) keys.push({ ...key, byQuestion: group.question, byValue: group.value! });
    }
    for (const second of groups.slice(i + 1)) {
      const { byQuestion, byValue } = compoundGroup({ question: group.question, value: group.value! }, { question: second.question, value: second.value! });
      for (const key of own.values()) {
        if (key.question !== group.question && key.question !== second.question) keys.push({ ...key, byQuestion, byValue });
      }
    }
  });
  return keys;
}

const byName = (a: { question: string }, b: { question: string }) => (a.question < b.question ? -1 : a.question > b.question ? 1 : 0);

/** The (by_question, by_value) of the respondents who gave both answers. */
export function compoundGroup(a: { question: string; value: string }, b: { question: string; value: string }): { byQuestion: string; byValue: string } {
  const [first, second] = [a, b].sort(byName);
  return { byQuestion: `${first.question}${AND}${second.question}`, byValue: `${first.value}${AND}${second.value}` };
}

/** The answers a compound group stands for, by question. */
export function compoundAnswers(byQuestion: string, byValue: string): Map<string, string> {
  const questions = byQuestion.split(AND);
  const values = byValue.split(AND);
  return new Map(questions.map((q, i) => [q, values[i]]));
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
