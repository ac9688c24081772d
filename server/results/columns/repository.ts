// The database side of the columnar copies (wave-columns.ts, cache.ts): the numbers that say
// whether a copy is current (migration 20261201080000), and the sealed responses a copy
// loads, one page at a time. Only this file of the copies touches knex.
import type { Knex } from 'knex';
import { dialectName, rawRows } from '../../db/dialect';

/** Responses per page while a copy loads: a page's rows are a few hundred kilobytes. */
const PAGE = 5000;
/** Separators inside one response's row; keys of questions, rows and choices never contain them. */
export const FIELD = '\u0001';
export const NO_VALUE = '\u0002';
export const ANSWER = '\u0003';

export interface AnswersVersion {
  version: number;
  epoch: number;
}

/**
 * Numbers the transaction's additions to a wave's responses: raises answers_version (locking
 * the wave's row until commit, so that writers of one wave follow each other) and returns the
 * number to write into responses.sealed_batch. Call before inserting the responses.
 */
export async function nextAnswersVersion(db: Knex | Knex.Transaction, waveId: string): Promise<number> {
  const rows = rawRows<{ answers_version: unknown }>(db, await db.raw(
    'update waves set answers_version = answers_version + 1 where id = ? returning answers_version', [waveId]));
  if (rows.length === 0) throw new Error(`wave ${waveId} does not exist`);
  return Number(rows[0].answers_version);
}

/** Answers of the wave were deleted or changed: every copy of it is rebuilt. */
export async function answersChanged(db: Knex | Knex.Transaction, waveId: string): Promise<void> {
  await db('waves').where({ id: waveId }).increment('answers_epoch', 1);
}

/** Null when the wave is gone. */
export async function answersVersion(db: Knex, waveId: string): Promise<AnswersVersion | null> {
  const row = await db('waves').where({ id: waveId }).first('answers_version', 'answers_epoch');
  return row ? { version: Number(row.answers_version), epoch: Number(row.answers_epoch) } : null;
}

/**
 * The wave's responses with after < sealed_batch <= upTo, a page at a time: each response
 * as one string of its answers (question FIELD row FIELD value, joined by ANSWER; NO_VALUE
 * for an answer without a value, a text), '' for a response without answers. The database
 * concatenates, so a page is PAGE rows, not one row per answer.
 */
export async function loadSealedAnswers(db: Knex, waveId: string, after: number, upTo: number, onPage: (answers: string[]) => void): Promise<void> {
  const concat = dialectName(db) === 'postgres'
    ? "string_agg(a.question || chr(1) || a.\"row\" || chr(1) || coalesce(a.value, chr(2)), chr(3))"
    : "group_concat(a.question || char(1) || a.\"row\" || char(1) || coalesce(a.value, char(2)), char(3))";
  let from: { batch: number; id: string } = { batch: after, id: '' };
  for (;;) {
    // Keyset paging along responses_by_sealed_batch: (batch, id) after the last row of the page before.
    const page = rawRows<{ sealed_batch: unknown; id: string; answers: string | null }>(db, await db.raw(
      `select p.sealed_batch, p.id, ${concat} as answers
         from (select r.sealed_batch, r.id from responses r
                where r.wave_id = ? and r.sealed_batch > ? and r.sealed_batch <= ? and (r.sealed_batch > ? or (r.sealed_batch = ? and r.id > ?))
                order by r.sealed_batch, r.id limit ?) p
         left join answers a on a.response_id = p.id
        group by p.sealed_batch, p.id order by p.sealed_batch, p.id`,
      [waveId, after, upTo, from.batch, from.batch, from.id, PAGE]));
    if (page.length === 0) return;
    onPage(page.map((r) => r.answers ?? ''));
    const last = page[page.length - 1];
    from = { batch: Number(last.sealed_batch), id: last.id };
    if (page.length < PAGE) return;
  }
}
