import type { Knex } from 'knex';
import { isUniqueViolation } from '../db/errors';
import { rawRows } from '../db/dialect';
import type { AnswerRow } from './long-format';
import { queueForTallies, rebuildTallies, recordTallies } from '../results/tallies/repository';
import { dialectName } from '../db/dialect';
import { answersAdded } from '../results/columns/repository';

/** The lock under which the tally fold works on a wave (FOLD_LOCK in results/tallies/repository.ts). */
const TALLY_FOLD_LOCK = 4_263_002;

/**
 * The submissions of a batch to insert: each once (a repeat within the batch is a duplicate),
 * in one order for every writer, so that two never wait for each other on the unique index.
 */
export function inWriteOrder<R extends { waveId: string; submissionId: string }>(responses: readonly R[]): R[] {
  const seen = new Set<string>();
  const once = responses.filter((r) => {
    const key = `${r.waveId} ${r.submissionId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return once.sort((a, b) => a.waveId.localeCompare(b.waveId) || a.submissionId.localeCompare(b.submissionId));
}

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
          // Last, so that its counter is locked only until the commit (server/results/columns/).
          await answersAdded(trx, response.waveId, [response]);
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
        await answersAdded(trx, waveId, responses); // for the columnar copies of the results, as insert
      });
    },

    /**
     * Stores several submissions at once, in the caller's transaction (group commit: one
     * commit for many responses). A submission stored before, or earlier in the same list,
     * is a 'duplicate' and changes nothing, as with insert; so is one that another process
     * stores at the same moment (PostgreSQL makes this insert wait for that one's commit).
     * The few statements it takes do not depend on the number of responses.
     */
    async insertBatch(responses: NewResponse[]): Promise<Array<'stored' | 'duplicate'>> {
      const candidates = inWriteOrder(responses);
      const inserted = new Set<string>();
      const columns = ['id', 'wave_id', 'invitation_id', 'submission_id', 'submitted_on', 'data'];
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      const perStatement = Math.floor(INSERT_VALUES / columns.length);
      for (let i = 0; i < candidates.length; i += perStatement) {
        const chunk = candidates.slice(i, i + perStatement);
        const result = await db.raw(
          `insert into "responses" (${columns.map((c) => `"${c}"`).join(', ')}) values ${chunk.map(() => tuple).join(', ')} `
          + 'on conflict ("wave_id", "submission_id") do nothing returning "id"',
          chunk.flatMap((r) => [r.id, r.waveId, r.invitationId ?? null, r.submissionId, r.submittedOn, JSON.stringify(r.data)]),
        );
        for (const row of rawRows<{ id: string }>(db, result)) inserted.add(row.id);
      }
      const fresh = candidates.filter((r) => inserted.has(r.id));
      await insertRows(db, 'answers', ['response_id', 'wave_id', 'question', 'row', 'value', 'text'],
        fresh.flatMap((r) => r.answers.map((a) => [r.id, r.waveId, a.question, a.row, a.value, a.text])));
      // The results read per-wave tallies: the responses wait in their queue, committed with them.
      for (const waveId of [...new Set(fresh.map((r) => r.waveId))]) {
        await queueForTallies(db, waveId, fresh.filter((r) => r.waveId === waveId).map((r) => r.id));
      }
      // For the columnar copies of the results (server/results/columns/): last, each wave's
      // counter locked only until the commit, in the order of the wave ids (no two writers
      // lock them in opposite orders).
      for (const waveId of [...new Set(fresh.map((r) => r.waveId))].sort()) await answersAdded(db, waveId, fresh.filter((r) => r.waveId === waveId));
      return responses.map((r) => (inserted.has(r.id) ? 'stored' : 'duplicate'));
    },

    /**
     * Voids the response that came in through an invitation (identified waves): it is deleted
     * with its answers and queue entry (ON DELETE CASCADE), and the wave's tallies are
     * recomputed in the same transaction, so no result, count or export counts it again.
     * Deleting rather than flagging is the root fix: every query that reads responses or
     * answers (results, tallies, exports, counts per day) then leaves it out without knowing
     * of voids. False when the invitation has no response. Call inside a transaction.
     */
    async voidForInvitation(waveId: string, invitationId: string): Promise<boolean> {
      // One fold of a wave at a time (PostgreSQL): a fold running now would add to the
      // tallies that are being rebuilt. SQLite has one writer anyway.
      if (dialectName(db) === 'postgres') await db.raw('select pg_advisory_xact_lock(?, hashtext(?))', [TALLY_FOLD_LOCK, waveId]);
      const deleted = await db('responses').where({ wave_id: waveId, invitation_id: invitationId }).delete();
      if (deleted === 0) return false;
      // Tallies only ever add; a deleted response means recounting the wave (tallies/repository.ts).
      await rebuildTallies(db, waveId);
      return true;
    },

    /**
     * Takes out the responses an import that failed half way had stored (csv/service.ts), by
     * submission id, and recounts the wave's tallies. Call inside a transaction.
     */
    async undoImport(waveId: string, submissionIds: readonly string[]): Promise<void> {
      if (dialectName(db) === 'postgres') await db.raw('select pg_advisory_xact_lock(?, hashtext(?))', [TALLY_FOLD_LOCK, waveId]);
      for (let i = 0; i < submissionIds.length; i += 500) {
        await db('responses').where({ wave_id: waveId }).whereIn('submission_id', submissionIds.slice(i, i + 500)).delete();
      }
      await rebuildTallies(db, waveId);
    },

    async count(waveId: string): Promise<number> {
      const row = await db('responses').where({ wave_id: waveId }).count({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },
  };
}
