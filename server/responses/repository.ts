import type { Knex } from 'knex';
import { isUniqueViolation } from '../db/errors';
import type { AnswerRow } from './long-format';

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
        });
        return 'stored';
      } catch (err) {
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },

    async count(waveId: string): Promise<number> {
      const row = await db('responses').where({ wave_id: waveId }).count({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },
  };
}
