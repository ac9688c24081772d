import type { Knex } from 'knex';
import { isUniqueViolation } from '../db/errors';
import type { AnswerRow } from './long-format';
import { recordTallies } from '../results/tallies/repository';

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
          // The results read per-wave tallies; they change with the answers or not at all.
          await recordTallies(trx, response.waveId, [response.answers]);
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

    async count(waveId: string): Promise<number> {
      const row = await db('responses').where({ wave_id: waveId }).count({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },
  };
}
