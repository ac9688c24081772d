// The references of the results benchmark: the bare, hand-written SQL a developer would
// write for the same counts, without the service around it (no instrument model, no tests,
// no disclosure rules, no JSON). A tallied request's reference reads the tally rows of every
// grouping the request counts with (its own and those of the selections around it, which
// the disclosure rules compare it with: `tallied`); until 2026-12-03 it read one grouping
// only. It leaves out the wave's number of respondents, which no tally holds and the
// service takes from the columnar copy or a kept answer: counting it by hand (`respondents`)
// takes longer than all the tally rows, so the reference is if anything too fast. An
// untallied one's joins the answers of the filtered respondents and groups them
// (respondents per answer only: the "answered at all" counts the service also needs are
// left out, so the reference is if anything too fast, too).
import type { Knex } from 'knex';
import type { Filter } from '../server/results/filters';

export function referenceQueries(db: Knex, waveId: string) {
  const filtered = (filters: readonly Filter[]) => {
    const joins = filters.map((_, i) => `join answers f${i} on f${i}.response_id = r.id and f${i}.question = ? and f${i}."row" = ? and f${i}.value = ?`);
    return { sql: joins.join(' '), bindings: filters.flatMap((f) => [f.question, f.row, f.value]) };
  };
  return {
    /** Several references one after the other: a request that needs several sets of counts (the summary). */
    all: (queries: ReadonlyArray<() => Promise<unknown>>) => async () => {
      for (const query of queries) await query();
    },
    /** A tallied request's counts: the tally rows of each grouping ([by_question] for all its groups, [by_question, by_value] for one), one query each. */
    tallied: (groupings: ReadonlyArray<readonly [string, string?]>) => async () => {
      for (const [byQuestion, byValue] of groupings) {
        const query = db('answer_tallies').where({ wave_id: waveId, by_question: byQuestion }).select('by_value', 'question', 'row', 'value', 'respondents');
        await (byValue === undefined ? query : query.andWhere({ by_value: byValue }));
      }
    },
    /** The wave's respondents, counted by hand (not in `tallied`). */
    respondents: () => () => db('responses').where({ wave_id: waveId }).count({ n: '*' }),
    tallies: (byQuestion: string, byValue?: string) => () => {
      const query = db('answer_tallies').where({ wave_id: waveId, by_question: byQuestion }).select('by_value', 'question', 'row', 'value', 'respondents');
      return byValue === undefined ? query : query.andWhere({ by_value: byValue });
    },
    distribution: (filters: readonly Filter[]) => () => {
      const f = filtered(filters);
      return db.raw(`select a.question, a."row", a.value, count(*) as respondents from responses r ${f.sql}
        join answers a on a.response_id = r.id where r.wave_id = ? and a.value is not null group by a.question, a."row", a.value`, [...f.bindings, waveId]);
    },
    crosstab: (filters: readonly Filter[], by: { question: string; row: string }) => () => {
      const f = filtered(filters);
      return db.raw(`select g.value as grp, a.question, a."row", a.value, count(*) as respondents from responses r ${f.sql}
        join answers g on g.response_id = r.id and g.question = ? and g."row" = ?
        join answers a on a.response_id = r.id where r.wave_id = ? and a.value is not null group by g.value, a.question, a."row", a.value`,
      [...f.bindings, by.question, by.row, waveId]);
    },
  };
}
