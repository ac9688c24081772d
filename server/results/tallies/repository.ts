// Keeps answer_tallies up to date. Tallies + the responses still in tally_queue = all
// stored answers, always:
// - sealing (server/sealing/) queues each response it writes, in the same transaction
//   (queueForTallies): one small row, so sealing stays cheap however many groups an
//   instrument tallies (a live submission waits pending, outside answers and tallies);
// - a bulk load (insertMany) tallies its batch at once (recordTallies), counted in memory;
// - the results fold a wave's queue into its tallies before reading them (foldQueuedTallies):
//   one GROUP BY per kind of tally over the queued responses' answers. The queue rows are
//   claimed with DELETE … RETURNING, so two processes folding at once never count a
//   response twice (PostgreSQL locks the rows; SQLite has one writer).
// Code that ever deletes or edits answers must call rebuildTallies for that wave.
import type { Knex } from 'knex';
import { inWriteTurn } from '../../db/write-queue';
import { dialectName, rawRows } from '../../db/dialect';
import { groupingQuestions } from './grouping';
import { AND, TallyAnswer, decode, keyString, tallyKeys } from './keys';
import { inWave } from '../wave-answers';
import { answersChanged } from '../columns/repository';

/** At most 500 rows a statement: 7 bound values a row stay far below the parameter limits of both databases. */
const UPSERT_BATCH = 500;
/** Any fixed number: the first key of the advisory lock that serialises the folds of a wave (PostgreSQL). */
const FOLD_LOCK = 4_263_002;
/** Queued responses folded per GROUP BY. */
const FOLD_BATCH = 500;
const COLUMNS = 'wave_id, by_question, by_value, question, "row", value, respondents';
const ADD = 'on conflict (wave_id, by_question, by_value, question, "row", value) do update set respondents = answer_tallies.respondents + excluded.respondents';

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

/** Marks newly stored responses for the next fold. Call in the transaction that stores them. */
export async function queueForTallies(db: Knex | Knex.Transaction, waveId: string, responseIds: readonly string[]): Promise<void> {
  for (let i = 0; i < responseIds.length; i += UPSERT_BATCH) {
    await db('tally_queue').insert(responseIds.slice(i, i + UPSERT_BATCH).map((id) => ({ wave_id: waveId, response_id: id })));
  }
}

/** Adds the answers of newly stored responses (one list per response) to the wave's tallies, counted in memory. */
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
    return [waveId, key.byQuestion, key.byValue, key.question, key.row, key.value, counts.get(encoded)!];
  });
  // Plain VALUES rather than knex's multi-row insert, which SQLite runs as a compound SELECT, twice as slow.
  for (let i = 0; i < rows.length; i += UPSERT_BATCH) {
    const batch = rows.slice(i, i + UPSERT_BATCH);
    await db.raw(`insert into answer_tallies (${COLUMNS}) values ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')} ${ADD}`, batch.flat());
  }
}

/**
 * Folds the wave's queued responses into its tallies: at most `limit` in one transaction,
 * or, without a limit, all that are queued now, FOLD_BATCH per transaction, so that each
 * holds SQLite's one writer briefly and submissions arriving meanwhile wait milliseconds,
 * not seconds. Cheap when nothing is queued. Returns how many it folded.
 */
export async function foldQueuedTallies(db: Knex | Knex.Transaction, waveId: string, limit?: number): Promise<number> {
  if (limit !== undefined) return foldSome(db, waveId, limit);
  const queued = Number((await db('tally_queue').where({ wave_id: waveId }).count({ n: '*' }).first())?.n ?? 0);
  let folded = 0;
  while (folded < queued) {
    const n = await foldSome(db, waveId, FOLD_BATCH);
    if (n === 0) break; // another fold took the rest
    folded += n;
  }
  return folded;
}

async function foldSome(db: Knex | Knex.Transaction, waveId: string, limit: number): Promise<number> {
  if (!(await db('tally_queue').where({ wave_id: waveId }).first('response_id'))) return 0;
  // In the write turn of the process (SQLite): a fold beside the submissions' turns slept in
  // the busy handler and made them sleep there too, a second at a time under six readers.
  return inWriteTurn(db, () => db.transaction(async (trx) => {
    // One fold of a wave at a time: two would add to the same tally rows in different
    // orders, which PostgreSQL can end in a deadlock (folds in several processes, or the
    // background fold and a results read). SQLite has one writer anyway.
    if (dialectName(trx) === 'postgres') await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [FOLD_LOCK, waveId]);
    // A response another fold claimed first is skipped here: on PostgreSQL the DELETE
    // waits for that one's commit and then finds the row gone.
    const claimed = rawRows<{ response_id: string }>(trx, await trx.raw(
      'delete from tally_queue where wave_id = ? and response_id in (select response_id from tally_queue where wave_id = ? limit ?) returning response_id',
      [waveId, waveId, limit])).map((r) => r.response_id);
    const grouping = [...await groupingQuestionsOfWave(trx, waveId)];
    for (let i = 0; i < claimed.length; i += FOLD_BATCH) {
      await tallyAnswers(trx, waveId, grouping, claimed.slice(i, i + FOLD_BATCH));
    }
    return claimed.length;
  }));
}

/** Recomputes a wave's tallies from its answers (GROUP BY); the same numbers as recording and folding. */
export async function rebuildTallies(db: Knex | Knex.Transaction, waveId: string): Promise<void> {
  const grouping = [...await groupingQuestionsOfWave(db, waveId)];
  // The columnar copies of every process start again too (server/results/columns/).
  await answersChanged(db, waveId);
  await db('answer_tallies').where({ wave_id: waveId }).delete();
  await db('tally_queue').where({ wave_id: waveId }).delete();
  await tallyAnswers(db, waveId, grouping, null);
}

/**
 * Adds to the tallies the answers of these responses (null: every response of the wave),
 * by GROUP BY: per answer and per question answered, for the whole wave, per grouping
 * answer, and per pair of grouping answers (server/results/tallies/keys.ts).
 */
async function tallyAnswers(db: Knex | Knex.Transaction, waveId: string, grouping: string[], responseIds: string[] | null): Promise<void> {
  const add = async (select: Knex.QueryBuilder) => {
    const { sql, bindings } = select.toSQL();
    await db.raw(`insert into answer_tallies (${COLUMNS}) ${sql} ${ADD}`, bindings);
  };
  // Given responses are looked up by id (answers_by_response); naming the wave as well would
  // let SQLite's planner scan the whole wave's answers instead (measured: 13 ms a response).
  const inScope = (query: Knex.QueryBuilder, alias: string) =>
    (responseIds ? query.whereIn(`${alias}.response_id`, responseIds) : inWave(db, query, alias, waveId));
  const answers = () => inScope(db('answers as a'), 'a');
  const blank = db.raw("''");
  const wave = db.raw('cast(? as varchar(36))', [waveId]);
  await add(answers().whereNotNull('a.value').select(wave, blank, blank, 'a.question', 'a.row', 'a.value', db.raw('count(*)'))
    .groupBy('a.question', 'a.row', 'a.value'));
  await add(answers().select(wave, blank, blank, 'a.question', blank, blank, db.raw('count(distinct a.response_id)'))
    .groupBy('a.question'));
  if (grouping.length === 0) return;

  const pairs = () => inScope(db('answers as g').join('answers as a', function joinSameResponse() {
    this.on('a.response_id', '=', 'g.response_id').andOn('a.question', '<>', 'g.question');
  }), 'g').whereIn('g.question', grouping).andWhere('g.row', '').whereNotNull('g.value');
  await add(pairs().whereNotNull('a.value')
    .select(wave, 'g.question', 'g.value', 'a.question', 'a.row', 'a.value', db.raw('count(*)'))
    .groupBy('g.question', 'g.value', 'a.question', 'a.row', 'a.value'));
  await add(pairs().select(wave, 'g.question', 'g.value', 'a.question', blank, blank, db.raw('count(distinct a.response_id)'))
    .groupBy('g.question', 'g.value', 'a.question'));

  // Two grouping questions at once: grouping is sorted, so first < second as compoundGroup orders them.
  for (const [i, first] of grouping.entries()) {
    for (const second of grouping.slice(i + 1)) {
      const both = () => inScope(db('answers as g').join('answers as h', function sameResponse() {
        this.on('h.response_id', '=', 'g.response_id').andOnVal('h.question', '=', second).andOnVal('h.row', '=', '');
      }).join('answers as a', function otherAnswers() {
        this.on('a.response_id', '=', 'g.response_id').andOn('a.question', '<>', 'g.question').andOn('a.question', '<>', 'h.question');
      }), 'g').where({ 'g.question': first, 'g.row': '' }).whereNotNull('g.value').whereNotNull('h.value');
      const group = [db.raw('cast(? as varchar(100))', [`${first}${AND}${second}`]), db.raw(`g.value || '${AND}' || h.value`)];
      await add(both().whereNotNull('a.value').select(wave, ...group, 'a.question', 'a.row', 'a.value', db.raw('count(*)'))
        .groupBy('g.value', 'h.value', 'a.question', 'a.row', 'a.value'));
      await add(both().select(wave, ...group, 'a.question', blank, blank, db.raw('count(distinct a.response_id)'))
        .groupBy('g.value', 'h.value', 'a.question'));
    }
  }
}
