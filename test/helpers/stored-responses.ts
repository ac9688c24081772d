// Reads what a server stored for a wave, straight from its database, and checks that every
// response is whole: its data is what validation makes of what was sent, its answer rows
// are exactly the long format of that data, no answer row is without its response, and the
// wave's tallies agree with the answers (all written in one transaction, or none).
import { expect } from 'chai';
import type { Knex } from 'knex';
import { prepareResponse } from '../../server/responses/service';
import { toAnswerRows, AnswerRow } from '../../server/responses/long-format';
import { validateResponse } from '../../server/responses/validate-response';
import type { InstrumentVersion } from '../../server/instruments/repository';
import { testInstrumentFiles } from './app';
import { sealPending } from './seal';

export interface StoredResponse {
  id: string;
  submissionId: string;
  data: Record<string, unknown>;
  answers: AnswerRow[];
}

export function quickscanInstrument(): InstrumentVersion {
  const file = testInstrumentFiles().find((f) => f.key === 'tno-quickscan')!;
  return { id: 'test', key: file.key, version: 1, title: file.title, hash: file.hash, definition: file.definition, meta: file.meta };
}

export async function readStoredResponses(db: Knex, waveId: string): Promise<StoredResponse[]> {
  await sealPending(db);
  const responses = await db('responses').where({ wave_id: waveId }).select('id', 'submission_id', 'data') as
    Array<{ id: string; submission_id: string; data: string }>;
  const answers = await db('answers').where({ wave_id: waveId }).select('response_id', 'question', 'row', 'value', 'text') as
    Array<AnswerRow & { response_id: string }>;
  const byResponse = new Map<string, AnswerRow[]>();
  for (const a of answers) {
    const list = byResponse.get(a.response_id) ?? [];
    list.push({ question: a.question, row: a.row, value: a.value, text: a.text });
    byResponse.set(a.response_id, list);
  }
  const ids = new Set(responses.map((r) => r.id));
  const orphans = [...byResponse.keys()].filter((id) => !ids.has(id));
  expect(orphans, 'answer rows whose response is missing').to.deep.equal([]);
  return responses.map((r) => ({ id: r.id, submissionId: r.submission_id, data: JSON.parse(r.data), answers: byResponse.get(r.id) ?? [] }));
}

const sortRows = (rows: AnswerRow[]) => rows.map((a) => JSON.stringify([a.question, a.row, a.value, a.text])).sort();

/**
 * Every stored response was sent (and is whole), and each submissionId is stored at most
 * once. Returns the stored responses by submissionId.
 */
export async function expectWholeResponses(
  db: Knex, waveId: string, sent: Map<string, Record<string, unknown>>, instrument = quickscanInstrument(),
): Promise<Map<string, StoredResponse>> {
  const stored = await readStoredResponses(db, waveId);
  const bySubmission = new Map<string, StoredResponse>();
  for (const response of stored) {
    expect(bySubmission.has(response.submissionId), `submission ${response.submissionId} stored twice`).to.equal(false);
    bySubmission.set(response.submissionId, response);
    const submitted = sent.get(response.submissionId);
    expect(submitted, `stored submission ${response.submissionId} was never sent`).to.not.equal(undefined);
    const prepared = prepareResponse(instrument, submitted!);
    if (!prepared.ok) throw new Error(`a sent submission does not validate: ${JSON.stringify(prepared.errors)}`);
    expect(response.data, `data of ${response.submissionId}`).to.deep.equal(prepared.data);
    const outcome = validateResponse(instrument.definition, response.data);
    if (!outcome.ok) throw new Error(`stored data does not validate: ${JSON.stringify(outcome.errors)}`);
    expect(sortRows(response.answers), `answer rows of ${response.submissionId}`)
      .to.deep.equal(sortRows(toAnswerRows(response.data, outcome.types)));
  }
  await expectTalliesMatchAnswers(db, waveId);
  return bySubmission;
}

/**
 * The wave's tallies for all respondents, plus the responses still queued for tallying
 * (when there is such a queue), count what the answers table holds.
 */
export async function expectTalliesMatchAnswers(db: Knex, waveId: string): Promise<void> {
  if (!(await db.schema.hasTable('answer_tallies'))) return;
  // One snapshot: the server folds the queue into the tallies in the background, and a
  // fold between reading the tallies and reading the queue would count responses twice or
  // not at all. (SQLite: this transaction holds the write lock; PostgreSQL: a snapshot.)
  const postgres = db.client.config.client === 'pg';
  await db.transaction((trx) => compareTalliesWithAnswers(trx, waveId), postgres ? { isolationLevel: 'repeatable read' } : undefined);
}

async function compareTalliesWithAnswers(db: Knex.Transaction, waveId: string): Promise<void> {
  const tallies = await db('answer_tallies').where({ wave_id: waveId, by_question: '', by_value: '' }).whereNot('value', '')
    .select('question', 'row', 'value', 'respondents') as Array<{ question: string; row: string; value: string; respondents: number | string }>;
  const counted = new Map<string, number>();
  const add = (key: string, n: number) => counted.set(key, (counted.get(key) ?? 0) + n);
  for (const t of tallies) add(JSON.stringify([t.question, t.row, t.value]), Number(t.respondents));
  if (await db.schema.hasTable('tally_queue')) {
    const responseIds = await db('responses').where({ wave_id: waveId }).pluck('id');
    const queued = await db('tally_queue').where({ wave_id: waveId }).pluck('response_id');
    expect(queued.filter((id) => !responseIds.includes(id)), 'queued for tallying without a response').to.deep.equal([]);
    expect(new Set(queued).size, 'a response queued twice').to.equal(queued.length);
    const rows = await db('answers').whereIn('response_id', db('tally_queue').where({ wave_id: waveId }).select('response_id'))
      .whereNotNull('value').groupBy('question', 'row', 'value').select('question', 'row', 'value').count({ n: '*' }) as
      Array<{ question: string; row: string; value: string; n: number | string }>;
    for (const r of rows) add(JSON.stringify([r.question, r.row, r.value]), Number(r.n));
  }
  const fromTallies = Object.fromEntries([...counted].filter(([, n]) => n !== 0));
  const fromAnswers = Object.fromEntries([...await answerCounts(db, waveId)].filter(([key]) => JSON.parse(key)[2] !== null));
  expect(fromTallies, 'tallies (and queued responses) against answers').to.deep.equal(fromAnswers);
}

/** Answer rows per (question, row, value) of closed answers, and per (question, row, text) of open ones. */
export async function answerCounts(db: Knex | Knex.Transaction, waveId: string): Promise<Map<string, number>> {
  const rows = await db('answers').where({ wave_id: waveId }).groupBy('question', 'row', 'value', 'text')
    .select('question', 'row', 'value', 'text').count({ n: '*' }) as Array<{ question: string; row: string; value: string | null; text: string | null; n: number | string }>;
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = JSON.stringify(r.value !== null ? [r.question, r.row, r.value] : [r.question, r.row, null, r.text]);
    counts.set(key, (counts.get(key) ?? 0) + Number(r.n));
  }
  return counts;
}

