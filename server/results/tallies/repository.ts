// Keeps answer_tallies up to date: called inside the transaction that stores responses, so
// a response and its tallies are committed together or not at all. Every path that stores
// answers goes through the responses repository, which calls recordTallies; code that
// ever deletes or edits answers must call rebuildTallies for that wave.
import type { Knex } from 'knex';
import { groupingQuestions } from './grouping';
import { AND, TallyAnswer, decode, keyString, tallyKeys } from './keys';

/** At most 500 rows a statement: SQLite allows 500 terms in a compound SELECT, and 7 bound values a row stay far below the parameter limits. */
const UPSERT_BATCH = 500;

/** Wave id → its grouping questions. A wave's instrument version never changes, so this never goes stale. */
const groupingByWave = new Map<string, ReadonlySet<string>>();
const CACHE_LIMIT = 5000;

export async function groupingQuestionsOfWave(db: Knex | Knex.Transaction, waveId: string): Promise<ReadonlySet<string>> {
  const cached = groupingByWave.get(waveId);
  if (cached) return cached;
  const row = await db('waves as w').join('instrument_versions as iv', 'iv.id', 'w.instrument_version_id')
    .where('w.id', waveId).first('iv.meta', 'iv.definition') as { meta: string; definition: string } | undefined;
  if (!row) throw new Error(`wave ${waveId} does not exist`);
  const grouping = new Set(groupingQuestions(JSON.parse(row.meta), JSON.parse(row.definition)));
  if (groupingByWave.size >= CACHE_LIMIT) groupingByWave.clear();
  groupingByWave.set(waveId, grouping);
  return grouping;
}

/** Adds the answers of newly stored responses (one list per response) to the wave's tallies. */
export async function recordTallies(db: Knex | Knex.Transaction, waveId: string, responses: readonly (readonly TallyAnswer[])[]): Promise<void> {
  const grouping = await groupingQuestionsOfWave(db, waveId);
  const counts = new Map<string, number>();
  for (const answers of responses) {
    for (const key of tallyKeys(answers, grouping)) {
      const encoded = keyString(key);
      counts.set(encoded, (counts.get(encoded) ?? 0) + 1);
    }
  }
  // Sorted, so that concurrent transactions on PostgreSQL lock the same rows in the same
  // order and wait for each other instead of deadlocking.
  const rows = [...counts.keys()].sort().map((encoded) => {
    const key = decode(encoded);
    return {
      wave_id: waveId, by_question: key.byQuestion, by_value: key.byValue,
      question: key.question, row: key.row, value: key.value, respondents: counts.get(encoded)!,
    };
  });
  for (let i = 0; i < rows.length; i += UPSERT_BATCH) {
    await db('answer_tallies').insert(rows.slice(i, i + UPSERT_BATCH))
      .onConflict(['wave_id', 'by_question', 'by_value', 'question', 'row', 'value'])
      .merge({ respondents: db.raw('answer_tallies.respondents + excluded.respondents') });
  }
}

/** Recomputes a wave's tallies from its answers (GROUP BY); the same numbers recordTallies keeps. */
export async function rebuildTallies(db: Knex | Knex.Transaction, waveId: string): Promise<void> {
  const grouping = [...await groupingQuestionsOfWave(db, waveId)];
  await db('answer_tallies').where({ wave_id: waveId }).delete();
  const insert = async (select: Knex.QueryBuilder) => {
    const { sql, bindings } = select.toSQL();
    await db.raw(`insert into answer_tallies (wave_id, by_question, by_value, question, "row", value, respondents) ${sql}`, bindings);
  };
  await insert(db('answers').where({ wave_id: waveId }).whereNotNull('value')
    .select('wave_id', db.raw("''"), db.raw("''"), 'question', 'row', 'value', db.raw('count(*)'))
    .groupBy('wave_id', 'question', 'row', 'value'));
  await insert(db('answers').where({ wave_id: waveId })
    .select('wave_id', db.raw("''"), db.raw("''"), 'question', db.raw("''"), db.raw("''"),
      db.raw('count(distinct response_id)'))
    .groupBy('wave_id', 'question'));
  if (grouping.length === 0) return;
  const pairs = () => db('answers as g').join('answers as a', function joinSameResponse() {
    this.on('a.response_id', '=', 'g.response_id').andOn('a.question', '<>', 'g.question');
  }).where('g.wave_id', waveId).whereIn('g.question', grouping).andWhere('g.row', '').whereNotNull('g.value');
  await insert(pairs().whereNotNull('a.value')
    .select('g.wave_id', 'g.question', 'g.value', 'a.question', 'a.row', 'a.value', db.raw('count(*)'))
    .groupBy('g.wave_id', 'g.question', 'g.value', 'a.question', 'a.row', 'a.value'));
  await insert(pairs()
    .select('g.wave_id', 'g.question', 'g.value', 'a.question', db.raw("''"), db.raw("''"), db.raw('count(distinct a.response_id)'))
    .groupBy('g.wave_id', 'g.question', 'g.value', 'a.question'));
  // Two grouping questions at once: grouping is sorted, so first < second as compoundGroup orders them.
  for (const [i, first] of grouping.entries()) {
    for (const second of grouping.slice(i + 1)) {
      const both = () => db('answers as g').join('answers as h', function sameResponse() {
        this.on('h.response_id', '=', 'g.response_id').andOnVal('h.question', '=', second).andOnVal('h.row', '=', '');
      }).join('answers as a', function otherAnswers() {
        this.on('a.response_id', '=', 'g.response_id').andOn('a.question', '<>', 'g.question').andOn('a.question', '<>', 'h.question');
      }).where({ 'g.wave_id': waveId, 'g.question': first, 'g.row': '' }).whereNotNull('g.value').whereNotNull('h.value');
      const group = [db.raw('cast(? as varchar(100))', [`${first}${AND}${second}`]), db.raw(`g.value || '${AND}' || h.value`)];
      await insert(both().whereNotNull('a.value').select('g.wave_id', ...group, 'a.question', 'a.row', 'a.value', db.raw('count(*)'))
        .groupBy('g.wave_id', 'g.value', 'h.value', 'a.question', 'a.row', 'a.value'));
      await insert(both().select('g.wave_id', ...group, 'a.question', db.raw("''"), db.raw("''"), db.raw('count(distinct a.response_id)'))
        .groupBy('g.wave_id', 'g.value', 'h.value', 'a.question'));
    }
  }
}
