import type { Knex } from 'knex';
import { isUniqueViolation } from '../db/errors';
import type { AnswerRow } from './long-format';
import { queueForTallies, recordTallies } from '../results/tallies/repository';

export interface NewResponse {
  id: string;
  waveId: string;
  invitationId?: string | null;
  submissionId: string;
  submittedOn: string;
  data: Record<string, unknown>;
  answers: AnswerRow[];
}

const ANSWER_BATCH = 100; // keeps each INSERT well under SQLite's bound-parameter limit
// Bulk loads: knex writes a multi-row insert on SQLite as one compound SELECT, and SQLite
// allows at most 500 terms in one (SQLITE_MAX_COMPOUND_SELECT).
const BULK_ANSWERS = 500;
const BULK_RESPONSES = 500;

const LOOKUP_BATCH = 500;
/** Bound values per multi-row INSERT: far below SQLite's 32766 and PostgreSQL's 65535. */
const INSERT_VALUES = 6000;

/**
 * One multi-row INSERT ... VALUES per chunk. knex writes a multi-row insert on SQLite as a
 * compound SELECT, which is slower and limited to 500 rows; plain VALUES lists work on
 * SQLite (3.7.11 and later) and PostgreSQL alike.
 */
async function insertRows(db: Knex | Knex.Transaction, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const perStatement = Math.max(1, Math.floor(INSERT_VALUES / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values `;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await db.raw(head + chunk.map(() => tuple).join(', '), chunk.flat() as Knex.RawBinding[]);
  }
}

export function createResponseRepository(db: Knex | Knex.Transaction) {
  return {
    async exists(waveId: string, submissionId: string): Promise<boolean> {
      const row = await db('responses').where({ wave_id: waveId, submission_id: submissionId }).first('id');
      return row !== undefined;
    },

    /**
     * Stores the response and its answer rows in one transaction. Returns 'duplicate' when
     * this submission was stored before (a retry), in which case nothing changes.
     */
    async insert(response: NewResponse): Promise<'stored' | 'duplicate'> {
      try {
        await db.transaction(async (trx) => {
          await trx('responses').insert({
            id: response.id,
            wave_id: response.waveId,
            invitation_id: response.invitationId ?? null,
            submission_id: response.submissionId,
            submitted_on: response.submittedOn,
            data: JSON.stringify(response.data),
          });
          const rows = response.answers.map((a) => ({
            response_id: response.id, wave_id: response.waveId, question: a.question, row: a.row, value: a.value, text: a.text,
          }));
          for (let i = 0; i < rows.length; i += ANSWER_BATCH) {
            await trx('answers').insert(rows.slice(i, i + ANSWER_BATCH));
          }
          // The results read per-wave tallies: the response waits in their queue, committed with it.
          await queueForTallies(trx, response.waveId, [response.id]);
        });
        return 'stored';
      } catch (err) {
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },

    /**
     * Stores many responses of one wave at once, all or nothing (bulk loads: the benchmark,
     * imports). Unlike insert, a submission stored before is an error here, not a duplicate.
     */
    async insertMany(waveId: string, responses: Omit<NewResponse, 'waveId'>[]): Promise<void> {
      await db.transaction(async (trx) => {
        for (let i = 0; i < responses.length; i += BULK_RESPONSES) {
          await trx('responses').insert(responses.slice(i, i + BULK_RESPONSES).map((r) => ({
            id: r.id, wave_id: waveId, invitation_id: r.invitationId ?? null, submission_id: r.submissionId,
            submitted_on: r.submittedOn, data: JSON.stringify(r.data),
          })));
        }
        const rows = responses.flatMap((r) => r.answers.map((a) => ({
          response_id: r.id, wave_id: waveId, question: a.question, row: a.row, value: a.value, text: a.text,
        })));
        for (let i = 0; i < rows.length; i += BULK_ANSWERS) {
          await trx('answers').insert(rows.slice(i, i + BULK_ANSWERS));
        }
        await recordTallies(trx, waveId, responses.map((r) => r.answers));
      });
    },

    /**
     * Stores several submissions at once, in the caller's transaction (group commit: one
     * commit for many responses). A submission stored before, or earlier in the same list,
     * is a 'duplicate' and changes nothing, as with insert. The few statements it takes do
     * not depend on the number of responses; insert's row-per-row work would. Should another
     * process store one of the submissions at the same moment, the unique constraint fails
     * the statement and the caller's transaction; the caller then stores them one by one.
     */
    async insertBatch(responses: NewResponse[]): Promise<Array<'stored' | 'duplicate'>> {
      const outcomes: Array<'stored' | 'duplicate'> = responses.map(() => 'stored');
      const byWave = new Map<string, number[]>();
      responses.forEach((r, i) => byWave.set(r.waveId, [...(byWave.get(r.waveId) ?? []), i]));
      const waveIds = [...byWave.keys()].sort(); // one order for every writer: no deadlock between two
      for (const waveId of waveIds) {
        const indexes = byWave.get(waveId)!;
        const stored = new Set<string>();
        const ids = [...new Set(indexes.map((i) => responses[i].submissionId))];
        for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
          const found = await db('responses').where('wave_id', waveId).whereIn('submission_id', ids.slice(i, i + LOOKUP_BATCH)).pluck('submission_id');
          for (const id of found) stored.add(String(id));
        }
        for (const i of indexes) {
          if (stored.has(responses[i].submissionId)) outcomes[i] = 'duplicate';
          stored.add(responses[i].submissionId);
        }
      }
      const fresh = responses.filter((_, i) => outcomes[i] === 'stored');
      await insertRows(db, 'responses', ['id', 'wave_id', 'invitation_id', 'submission_id', 'submitted_on', 'data'],
        fresh.map((r) => [r.id, r.waveId, r.invitationId ?? null, r.submissionId, r.submittedOn, JSON.stringify(r.data)]));
      await insertRows(db, 'answers', ['response_id', 'wave_id', 'question', 'row', 'value', 'text'],
        fresh.flatMap((r) => r.answers.map((a) => [r.id, r.waveId, a.question, a.row, a.value, a.text])));
      // The results read per-wave tallies: the responses wait in their queue, committed with them.
      for (const waveId of waveIds) {
        const ids = fresh.filter((r) => r.waveId === waveId).map((r) => r.id);
        if (ids.length > 0) await queueForTallies(db, waveId, ids);
      }
      return outcomes;
    },

    async count(waveId: string): Promise<number> {
      const row = await db('responses').where({ wave_id: waveId }).count({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },
  };
}
