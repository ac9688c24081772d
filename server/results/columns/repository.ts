// The database side of the columnar copies (wave-columns.ts, cache.ts): the numbers that say
// whether a copy is current (migration 20261202060000), the ids of a wave's sealed
// responses, and the answers of given responses. Only this file of the copies touches knex.
//
// No order of the responses is stored or used: a copy learns which responses it lacks by
// the difference between the wave's ids and those it holds (cache.ts).
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { dialectName, rawRows } from '../../db/dialect';
import { afterCommit, databaseKey } from '../../db/after-commit';
import { AddedResponse, announceAnswersAdded } from './announcements';

/** Responses per query while a copy loads: a page's rows are a few hundred kilobytes. */
const PAGE = 2000;
/** Counters per wave that writers raise (one at random): two writers of a wave rarely wait for each other. */
export const STRIPES = 16;
/** Separators inside one response's row; keys of questions, rows and choices never contain them. */
export const FIELD = '\u0001';
export const NO_VALUE = '\u0002';
export const ANSWER = '\u0003';

export interface AnswersVersion {
  /** The sum of the wave's change counters: raised by every commit that adds responses. */
  version: number;
  /** Raised when answers are deleted (a void): copies are rebuilt. */
  epoch: number;
}

/**
 * Says that the transaction adds responses to the wave: raises one of the wave's counters,
 * chosen at random. Call last, just before the commit: the counter's row stays locked until
 * then (PostgreSQL), so the later the shorter; a reader that sees the raised sum sees the
 * responses too (one commit). With several waves, call in the order of their ids.
 *
 * `added`: the responses and answers the transaction adds, told to this process's copies
 * after the commit (announcements.ts), so that they need not ask the database which
 * responses they lack. Without it (or from another process) a copy finds them by their ids.
 */
export async function answersAdded(db: Knex | Knex.Transaction, waveId: string, added?: readonly AddedResponse[]): Promise<void> {
  const stripe = crypto.randomInt(STRIPES);
  const raised = rawRows<{ n: unknown }>(db, await db.raw(
    `insert into wave_answer_changes (wave_id, stripe, n) values (?, ?, 1)
     on conflict (wave_id, stripe) do update set n = wave_answer_changes.n + 1 returning n`, [waveId, stripe]));
  if (!added || raised.length !== 1) return;
  const change = { waveId, stripe, n: Number(raised[0].n), responses: added };
  const database = databaseKey(db);
  afterCommit(db, () => announceAnswersAdded(database, change));
}

/** Answers of the wave were deleted or changed: every copy of it is rebuilt. */
export async function answersChanged(db: Knex | Knex.Transaction, waveId: string): Promise<void> {
  await db('waves').where({ id: waveId }).increment('answers_epoch', 1);
}

/** Null when the wave is gone. One read by primary keys. */
export async function answersVersion(db: Knex, waveId: string): Promise<AnswersVersion | null> {
  const rows = rawRows<{ epoch: unknown; version: unknown }>(db, await db.raw(
    `select w.answers_epoch as epoch, (select coalesce(sum(c.n), 0) from wave_answer_changes c where c.wave_id = w.id) as version
       from waves w where w.id = ?`, [waveId]));
  return rows.length ? { version: Number(rows[0].version), epoch: Number(rows[0].epoch) } : null;
}

export interface AnswersCounters {
  epoch: number;
  /** Per stripe its counter (stripes never raised are absent). */
  stripes: Map<number, number>;
}

/** The key under which a read (../one-read.ts) keeps the wave's counters it read with the wave (ResultsRepository.countersRead). */
export const countersKey = (waveId: string) => `answers counters ${waveId}`;

/** The wave's counters one by one (cache.ts matches them with the changes announced); null when the wave is gone. One read by primary keys. */
export async function answersCounters(db: Knex, waveId: string): Promise<AnswersCounters | null> {
  const rows = rawRows<{ epoch: unknown; stripe: unknown; n: unknown }>(db, await db.raw(
    `select w.answers_epoch as epoch, c.stripe, c.n
       from waves w left join wave_answer_changes c on c.wave_id = w.id where w.id = ?`, [waveId]));
  if (rows.length === 0) return null;
  const stripes = new Map<number, number>();
  for (const r of rows) if (r.stripe !== null && r.stripe !== undefined) stripes.set(Number(r.stripe), Number(r.n));
  return { epoch: Number(rows[0].epoch), stripes };
}

/** The ids of the wave's sealed responses, in no particular order, joined by commas (one string from the database; index responses_by_wave_and_id). */
export async function responseIds(db: Knex, waveId: string): Promise<string> {
  const aggregate = dialectName(db) === 'postgres' ? "string_agg(id, ',')" : "group_concat(id, ',')";
  const rows = rawRows<{ ids: string | null }>(db, await db.raw(`select ${aggregate} as ids from responses where wave_id = ?`, [waveId]));
  return rows[0]?.ids ?? '';
}

/**
 * The answers of these responses of the wave, a page at a time: each response as its id and
 * one string of its answers (question FIELD row FIELD value, joined by ANSWER; NO_VALUE for
 * an answer without a value, a text), '' for a response without answers. The database
 * concatenates, so a page is PAGE rows, not one row per answer. A response gone meanwhile
 * (voided) is not given.
 */
export async function loadAnswersOf(db: Knex, waveId: string, ids: readonly string[], onPage: (page: Array<{ id: string; answers: string }>) => void): Promise<void> {
  const postgres = dialectName(db) === 'postgres';
  const concat = postgres
    ? "string_agg(a.question || chr(1) || a.\"row\" || chr(1) || coalesce(a.value, chr(2)), chr(3))"
    : "group_concat(a.question || char(1) || a.\"row\" || char(1) || coalesce(a.value, char(2)), char(3))";
  for (let i = 0; i < ids.length; i += PAGE) {
    const chunk = ids.slice(i, i + PAGE);
    // A subquery per response: each one's answers through answers_by_response. As a join,
    // PostgreSQL chose to read all the answers (one minute for 100,000 responses).
    const page = rawRows<{ id: string; answers: string | null }>(db, await db.raw(
      `select r.id, (select ${concat} from answers a where a.response_id = r.id) as answers
         from responses r where r.wave_id = ? and r.id in (${chunk.map(() => '?').join(',')})`,
      [waveId, ...chunk]));
    onPage(page.map((r) => ({ id: r.id, answers: r.answers ?? '' })));
  }
}
