import type { Knex } from 'knex';
import { isNumberInput, numberOf, Question, questionsOf, surveyModel } from '../server/survey/model';
import { rebuildTallies } from '../server/results/tallies/repository';

// The number items of a multiple text (`inputType: "number"`, or a text item with a numeric
// validator) are stored as a number question's answer since f7b6315 (issue 15): the answer
// row holds the number in `value` (String(number)) and no `text`, so results, compare and
// the frequency CSV count it (a GROUP BY on value, and a tally per value). Answers stored
// before held the same number as text (value null, text "12", or the text typed, "51,5",
// from before 065a146), which no count reads. This moves those into the new form:
//
// - Which question and row is a number item comes from the wave's instrument version,
//   read with the server's own helpers (surveyModel, questionsOf, isNumberInput: survey-core
//   and the message catalogue, not the app), as the results (instrument-model.ts) find them:
//   multiple texts on a page or in a panel, under their value name. A multiple text inside
//   a dynamic panel is refused at load, and its answers are cells of the panel, not items.
// - A text is moved only when it is a number the server accepts now: survey-core reads a
//   number in it (numberOf, as validate-response's withNumbers turns a typed text into the
//   stored number) and the item's own validators (a numeric validator's range, a regex)
//   find no error, on the number for an `inputType: "number"` item (which now arrives as
//   one) and on the text as typed for a text item with a validator. Anything else ("ca.
//   60", "", a number out of the validator's range) stays the text it is: the item is then
//   answered but not counted as a number, as before, and the text is not lost.
// - What is derived follows in the same transaction per wave: the response's data (the
//   export reads it) gets the number where it held the text; the wave's tallies are rebuilt
//   (a value row is tallied, a text only as "answered"), which raises answers_epoch, so the
//   columnar copies of every process reload and the read memo's version changes (its key
//   holds the epoch). Pending responses (not yet sealed, or held back) hold their answer
//   rows and data as JSON, and are moved the same way, so that sealing them later stores
//   the new form; they are in no tally or copy yet.
//
// In batches: per wave, response ids a page at a time (responses_by_wave_and_id), and only
// those answers of the page that are texts of a multiple text (answers_by_response). No
// transaction around the whole migration (config below): one per wave, so that a wave of
// 100,000 responses does not wait for the others, and a migration stopped half way resumes
// where it stopped. Idempotent: a moved row has a value and no text, and is not selected
// again; a wave where nothing moves is not touched (no rebuild, no epoch).
export const config = { transaction: false };

/** Response ids per page: their answers of multiple texts are a few thousand rows at most. */
const PAGE = 500;
/** Pending responses per page (each one's data and answers parsed, a few kB). */
const PENDING_PAGE = 200;
/** The first key of the tally fold's advisory lock (FOLD_LOCK in server/results/tallies/repository.ts). */
const TALLY_FOLD_LOCK = 4_263_002;

type Json = Record<string, unknown>;
/** The number a legacy text stands for, or null when it stays text. */
type Reader = (text: string) => number | null;
/** Per multiple text (its value name), per number item (its name), how to read its texts. */
type NumberItems = Map<string, Map<string, Reader>>;

interface ItemModel {
  name: string;
  inputType?: unknown;
  validators?: Array<{ validate(value: unknown, name?: string, values?: unknown, properties?: unknown): { error?: unknown } | null }>;
}

/** The number items of a definition's multiple texts, as the results see them (instrument-model.ts). */
export function numberItemsOf(definition: Json): NumberItems {
  const found: NumberItems = new Map();
  for (const q of questionsOf(surveyModel(definition), { nested: true })) {
    if (q.getType() !== 'multipletext' || q.parentQuestion) continue;
    const items = new Map<string, Reader>();
    for (const item of q.items as Array<ItemModel & Question>) if (isNumberInput(item)) items.set(item.name, readerOf(item));
    if (items.size > 0) found.set(q.getValueName(), items);
  }
  return found;
}

/** Reads a legacy text of this item (see the head of the file); remembers each text it judged, numbers repeat. */
function readerOf(item: ItemModel): Reader {
  const judged = new Map<string, number | null>();
  return (text) => {
    if (judged.has(text)) return judged.get(text)!;
    const n = numberOf(text);
    let accepted: number | null = Number.isFinite(n) ? n : null;
    const given = item.inputType === 'number' ? n : text;
    for (const validator of item.validators ?? []) {
      if (accepted === null) break;
      const result = validator.validate(given, item.name, {}, {});
      if (result && result.error) accepted = null;
    }
    if (judged.size < 10_000) judged.set(text, accepted);
    return accepted;
  };
}

export async function up(knex: Knex): Promise<void> {
  // Only versions that have a multiple text at all are parsed (survey-core, a few ms each).
  const versions = await knex('instrument_versions').where('definition', 'like', '%multipletext%').select('id') as Array<{ id: string }>;
  for (const { id } of versions) {
    const row = await knex('instrument_versions').where({ id }).first('definition') as { definition: string };
    const items = numberItemsOf(JSON.parse(row.definition) as Json);
    if (items.size === 0) continue;
    const waves = await knex('waves').where({ instrument_version_id: id }).orderBy('id').select('id') as Array<{ id: string }>;
    for (const wave of waves) await knex.transaction((trx) => moveWave(trx, wave.id, items));
  }
}

async function moveWave(trx: Knex.Transaction, waveId: string, items: NumberItems): Promise<void> {
  // As a void: no fold of this wave adds to the tallies while they are rebuilt (PostgreSQL;
  // SQLite has one writer).
  if (trx.client.config.client === 'pg') await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [TALLY_FOLD_LOCK, waveId]);
  let moved = 0;
  let after = '';
  for (;;) {
    const ids = (await trx('responses').where('wave_id', waveId).andWhere('id', '>', after).orderBy('id').limit(PAGE).pluck('id')) as string[];
    if (ids.length === 0) break;
    after = ids[ids.length - 1];
    moved += await moveAnswers(trx, ids, items);
  }
  await movePending(trx, waveId, items);
  // Only a wave whose answers changed: its tallies again from its answers, and its epoch
  // raised (rebuildTallies → answersChanged), so no copy or memo serves the old counts.
  if (moved > 0) await rebuildTallies(trx, waveId);
}

/** Moves the legacy number texts of these responses; returns how many answer rows moved. */
async function moveAnswers(trx: Knex.Transaction, ids: readonly string[], items: NumberItems): Promise<number> {
  const texts = await trx('answers').whereIn('response_id', ids).whereIn('question', [...items.keys()])
    .whereNull('value').whereNotNull('text').select('response_id', 'question', 'row', 'text') as
    Array<{ response_id: string; question: string; row: string; text: string }>;
  // One UPDATE per question, row and text of the page (numbers repeat: a few per item).
  const updates = new Map<string, { question: string; row: string; text: string; value: string; ids: string[] }>();
  const byResponse = new Map<string, Array<{ question: string; row: string; n: number }>>();
  for (const a of texts) {
    const n = items.get(a.question)?.get(a.row)?.(a.text) ?? null;
    if (n === null) continue;
    const key = JSON.stringify([a.question, a.row, a.text]);
    let update = updates.get(key);
    if (!update) updates.set(key, (update = { question: a.question, row: a.row, text: a.text, value: String(n), ids: [] }));
    update.ids.push(a.response_id);
    const list = byResponse.get(a.response_id) ?? [];
    list.push({ question: a.question, row: a.row, n });
    byResponse.set(a.response_id, list);
  }
  let moved = 0;
  for (const u of updates.values()) {
    moved += await trx('answers').whereIn('response_id', u.ids).where({ question: u.question, row: u.row, text: u.text }).whereNull('value')
      .update({ value: u.value, text: null });
  }
  // The export reads the response's data: the number where it held the text typed (before 065a146).
  if (byResponse.size > 0) {
    const rows = await trx('responses').whereIn('id', [...byResponse.keys()]).select('id', 'data') as Array<{ id: string; data: string }>;
    for (const r of rows) {
      const data = JSON.parse(r.data) as Json;
      if (withNumbers(data, byResponse.get(r.id)!)) await trx('responses').where({ id: r.id }).update({ data: JSON.stringify(data) });
    }
  }
  return moved;
}

/** Puts the numbers into the data where an item held them as text; whether anything changed. */
function withNumbers(data: Json, numbers: ReadonlyArray<{ question: string; row: string; n: number }>): boolean {
  let changed = false;
  for (const { question, row, n } of numbers) {
    const value = Object.hasOwn(data, question) ? data[question] : undefined;
    if (!value || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, row)) continue;
    if (typeof (value as Json)[row] === 'string') {
      (value as Json)[row] = n;
      changed = true;
    }
  }
  return changed;
}

/** The wave's pending responses (waiting or held), whose answer rows wait as JSON: moved the same way. */
async function movePending(trx: Knex.Transaction, waveId: string, items: NumberItems): Promise<void> {
  let after = '';
  for (;;) {
    const page = await trx('pending_responses').where('wave_id', waveId).andWhere('id', '>', after).orderBy('id').limit(PENDING_PAGE)
      .select('id', 'data', 'answers') as Array<{ id: string; data: string; answers: string }>;
    if (page.length === 0) break;
    after = page[page.length - 1].id;
    for (const p of page) {
      const answers = JSON.parse(p.answers) as Array<{ question: string; row: string; value: string | null; text: string | null }>;
      const numbers: Array<{ question: string; row: string; n: number }> = [];
      for (const a of answers) {
        if (a.value !== null || typeof a.text !== 'string') continue;
        const n = items.get(a.question)?.get(a.row)?.(a.text) ?? null;
        if (n === null) continue;
        a.value = String(n);
        a.text = null;
        numbers.push({ question: a.question, row: a.row, n });
      }
      if (numbers.length === 0) continue;
      const data = JSON.parse(p.data) as Json;
      withNumbers(data, numbers);
      await trx('pending_responses').where({ id: p.id }).update({ answers: JSON.stringify(answers), data: JSON.stringify(data) });
    }
  }
}

// No inverse: a number in `value` is what the code writes now, for answers moved here and
// answers submitted since alike, and which were moved is not recorded; putting them back into
// text would only hide them from the counts again. The code before f7b6315 counted a number
// item's answers in neither form (it listed texts only), so rolling back this migration
// leaves the rows as they are.
export async function down(): Promise<void> {}
