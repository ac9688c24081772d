// Pending submissions and sealing (see the migration 20261130200000 and sealer.ts). Only
// this file touches the pending tables.
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { dialectName, rawRows } from '../db/dialect';
import { inWriteOrder, NewResponse } from '../responses/repository';
import type { AnswerRow } from '../responses/long-format';
import { queueForTallies } from '../results/tallies/repository';
import { answersAdded } from '../results/columns/repository';

/** Any fixed number: the first key of the advisory lock that serialises the seals of a wave (PostgreSQL). */
const SEAL_LOCK = 4_263_003;
/** Longest a WAL scrub waits for readers while it holds SQLite's write lock (scrub). */
export const SCRUB_WAIT_MS = 50;
/** Bound values per multi-row INSERT: far below SQLite's 32766 and PostgreSQL's 65535. */
const INSERT_VALUES = 6000;

export interface PendingContact {
  waveId: string;
  submissionId: string;
  details: Record<string, string>;
}

/** Fisher–Yates with a cryptographic source: the order written says nothing about arrival. */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = crypto.randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

async function insertRows(db: Knex | Knex.Transaction, table: string, columns: string[], rows: unknown[][], tail = ''): Promise<unknown[]> {
  const perStatement = Math.max(1, Math.floor(INSERT_VALUES / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values `;
  const results: unknown[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    results.push(await db.raw(head + chunk.map(() => tuple).join(', ') + tail, chunk.flat() as Knex.RawBinding[]));
  }
  return results;
}

export interface WaitingWave {
  waveId: string;
  /** Pending responses not yet sealed (contacts may wait with none). */
  waiting: number;
  /** Sealed responses held back from the results (anonymous waves; sealResponses). */
  held: number;
  /** Whether contact details wait. */
  contacts: boolean;
  minGroupSize: number;
  status: string;
  opensOn: string | null;
  closesOn: string | null;
}

interface PendingRow {
  id: string; wave_id: string; invitation_id: string | null; submission_id: string; submitted_on: string; data: string; answers: string;
}

type Db = Knex | Knex.Transaction;

/**
 * Writes a batch to responses and answers in random order with fresh random keys, queues it
 * for the tallies and deletes its pending rows: from then on results count it.
 */
async function release(db: Db, waveId: string, rows: readonly PendingRow[]): Promise<void> {
  const batch = shuffled(rows).map((r) => ({ ...r, sealedId: crypto.randomUUID(), parsed: JSON.parse(r.answers) as AnswerRow[] }));
  await insertRows(db, 'responses', ['id', 'wave_id', 'invitation_id', 'submission_id', 'submitted_on', 'data'],
    batch.map((r) => [r.sealedId, waveId, r.invitation_id, r.submission_id, r.submitted_on, r.data]));
  await insertRows(db, 'answers', ['response_id', 'wave_id', 'question', 'row', 'value', 'text'],
    batch.flatMap((r) => r.parsed.map((a) => [r.sealedId, waveId, a.question, a.row, a.value, a.text])));
  await queueForTallies(db, waveId, shuffled(batch.map((r) => r.sealedId)));
  await deleteRows(db, rows);
  // The columnar copies of the results (server/results/columns/): this process's take the
  // batch in after the commit, in memory; others find it by its ids.
  await answersAdded(db, waveId, batch.map((r) => ({ id: r.sealedId, answers: r.parsed })));
}

/**
 * Seals a batch without releasing it: its pending rows are written again, in random order
 * with fresh random keys and held = true, in the caller's transaction (one xmin, no order
 * by key or rowid), where results do not read them. Deleted first: (wave, submission) is unique.
 */
async function hold(db: Db, waveId: string, rows: readonly PendingRow[]): Promise<void> {
  await deleteRows(db, rows);
  await insertRows(db, 'pending_responses', ['id', 'wave_id', 'invitation_id', 'submission_id', 'submitted_on', 'data', 'answers', 'held'],
    shuffled(rows).map((r) => [crypto.randomUUID(), waveId, r.invitation_id, r.submission_id, r.submitted_on, r.data, r.answers, true]));
}

async function deleteRows(db: Db, rows: readonly PendingRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db('pending_responses').whereIn('id', rows.slice(i, i + 500).map((r) => r.id)).delete();
}

export function createPendingRepository(db: Knex | Knex.Transaction) {
  const postgres = dialectName(db) === 'postgres';

  return {
    /**
     * Stores submissions as pending, in the caller's transaction. A submission stored before
     * (pending or sealed), or earlier in the same list, is a 'duplicate' and changes nothing.
     */
    async insertResponses(responses: readonly NewResponse[]): Promise<Array<'stored' | 'duplicate'>> {
      const candidates = inWriteOrder(responses);
      const inserted = new Set<string>();
      const results = await insertRows(db, 'pending_responses', ['id', 'wave_id', 'invitation_id', 'submission_id', 'submitted_on', 'data', 'answers'],
        candidates.map((r) => [r.id, r.waveId, r.invitationId ?? null, r.submissionId, r.submittedOn, JSON.stringify(r.data), JSON.stringify(r.answers)]),
        ' on conflict ("wave_id", "submission_id") do nothing returning "id"');
      for (const result of results) for (const row of rawRows<{ id: string }>(db, result)) inserted.add(row.id);
      // Sealed before: the pending row just written goes again. Checked after the insert, so
      // that a seal committing meanwhile (PostgreSQL) is seen: the insert waited for it.
      for (const waveId of new Set(candidates.map((r) => r.waveId))) {
        const fresh = candidates.filter((r) => r.waveId === waveId && inserted.has(r.id));
        if (fresh.length === 0) continue;
        const sealed = new Set((await db('responses').where('wave_id', waveId).whereIn('submission_id', fresh.map((r) => r.submissionId))
          .select('submission_id')).map((r: { submission_id: string }) => r.submission_id));
        const again = fresh.filter((r) => sealed.has(r.submissionId));
        if (again.length === 0) continue;
        await db('pending_responses').whereIn('id', again.map((r) => r.id)).delete();
        for (const r of again) inserted.delete(r.id);
      }
      return responses.map((r) => (inserted.has(r.id) ? 'stored' : 'duplicate'));
    },

    /** Stores contact details as pending, in a transaction without their response. A retry changes nothing while they wait. */
    async insertContacts(contacts: readonly PendingContact[]): Promise<void> {
      if (contacts.length === 0) return;
      const sorted = [...contacts].sort((a, b) => a.waveId.localeCompare(b.waveId) || a.submissionId.localeCompare(b.submissionId));
      await insertRows(db, 'pending_contacts', ['id', 'wave_id', 'submission_id', 'details'],
        sorted.map((c) => [crypto.randomUUID(), c.waveId, c.submissionId, JSON.stringify(c.details)]),
        ' on conflict ("wave_id", "submission_id") do nothing');
    },

    async exists(waveId: string, submissionId: string): Promise<boolean> {
      return (await db('pending_responses').where({ wave_id: waveId, submission_id: submissionId }).first('id')) !== undefined;
    },

    /** Waves with anything pending: how many responses of each wait, and what decides when it is sealed. */
    async waiting(): Promise<WaitingWave[]> {
      const counts = new Map<string, { waiting: number; held: number; contacts: boolean }>();
      const of = (waveId: string) => counts.get(waveId) ?? counts.set(waveId, { waiting: 0, held: 0, contacts: false }).get(waveId)!;
      for (const r of await db('pending_contacts').distinct('wave_id')) of(r.wave_id).contacts = true;
      for (const r of await db('pending_responses').groupBy('wave_id', 'held').select('wave_id', 'held', db.raw('count(*) as n'))) {
        of(r.wave_id)[r.held === true || Number(r.held) === 1 ? 'held' : 'waiting'] = Number(r.n);
      }
      if (counts.size === 0) return [];
      const waves = await db('waves').whereIn('id', [...counts.keys()]).select('id', 'min_group_size', 'status', 'opens_on', 'closes_on');
      return waves.map((w: { id: string; min_group_size: unknown; status: string; opens_on: string | null; closes_on: string | null }) => ({
        waveId: w.id, ...counts.get(w.id)!, minGroupSize: Number(w.min_group_size),
        status: w.status, opensOn: w.opens_on, closesOn: w.closes_on,
      }));
    },

    async waitingIn(waveId: string): Promise<number> {
      return Number((await db('pending_responses').where('wave_id', waveId).count({ n: '*' }).first())?.n ?? 0);
    },

    /**
     * Seals pending responses of the wave (in the caller's transaction): up to `limit` not yet
     * sealed, only when at least `min` of them wait, unless `all` (the wave accepts no more).
     * Returns how many rows it moved (0: nothing changed).
     *
     * Identified and team waves store their responses sealed at once (responses/service.ts);
     * should one of theirs be pending, it goes to responses and answers at once.
     * Anonymous waves keep the last sealed batch held back (docs/privacy.md, rule 9): results
     * lag one batch, so that the close, which seals whatever waits, never adds fewer than the
     * minimum to what a reader already saw. While the wave is open a new batch is held, and
     * the one held before is released, if it has at least `min` (else the two are held as
     * one). With `all`, the held batch and the rest go to the results as one, if they are at
     * least `min` together or the wave has shown nothing yet; else they stay held (a wave
     * reopened and closed again with only a few new ones), and the wave page says so.
     */
    async sealResponses(waveId: string, { min, all, limit }: { min: number; all: boolean; limit: number }): Promise<number> {
      if (postgres) await db.raw('select pg_advisory_xact_lock(?, hashtext(?))', [SEAL_LOCK, waveId]);
      const holdBack = (await db('waves').where('id', waveId).first('mode'))?.mode === 'anonymous';
      let take = limit;
      if (all && holdBack) {
        // In parts of `limit`, none left smaller than the minimum (that one could not be released).
        const remaining = Number((await db('pending_responses').where({ wave_id: waveId, held: false }).count({ n: '*' }).first())?.n ?? 0);
        if (remaining > limit && remaining - limit < min) take = Math.max(1, remaining - min);
      }
      // By the random key: with more waiting than the limit, a random part of them.
      const fresh = await db('pending_responses').where({ wave_id: waveId, held: false }).orderBy('id').limit(take).select() as PendingRow[];
      if (!all && fresh.length < min) return 0;
      if (!holdBack) {
        if (fresh.length > 0) await release(db, waveId, fresh);
        return fresh.length;
      }
      const held = await db('pending_responses').where({ wave_id: waveId, held: true }).select() as PendingRow[];
      if (!all) {
        if (held.length >= min) {
          await release(db, waveId, held);
          await hold(db, waveId, fresh);
        } else {
          await hold(db, waveId, [...held, ...fresh]);
        }
        return fresh.length;
      }
      const together = [...held, ...fresh];
      if (together.length === 0) return 0;
      const releasedBefore = (await db('responses').where('wave_id', waveId).first('id')) !== undefined;
      if (together.length >= min || !releasedBefore) {
        await release(db, waveId, together);
        return together.length;
      }
      if (fresh.length > 0) await hold(db, waveId, together);
      return fresh.length;
    },

    /** Seals every pending contact of the wave, in random order with fresh random keys. */
    async sealContacts(waveId: string): Promise<number> {
      if (postgres) await db.raw('select pg_advisory_xact_lock(?, hashtext(?))', [SEAL_LOCK + 1, waveId]);
      const rows = await db('pending_contacts').where('wave_id', waveId).select('id', 'details') as Array<{ id: string; details: string }>;
      if (rows.length === 0) return 0;
      await insertRows(db, 'contact_requests', ['id', 'wave_id', 'details'], shuffled(rows).map((r) => [crypto.randomUUID(), waveId, r.details]));
      for (let i = 0; i < rows.length; i += 500) await db('pending_contacts').whereIn('id', rows.slice(i, i + 500).map((r) => r.id)).delete();
      return rows.length;
    },

    /**
     * After a seal, outside any transaction: nothing of the deleted pending rows may stay
     * readable in the files. SQLite deletes with secure_delete (db/connection.ts), and the
     * WAL, which still holds the pages as they were, is checkpointed and truncated to zero
     * bytes. PostgreSQL keeps deleted tuples, with their xmin, until VACUUM removes them.
     * Returns false when SQLite could not truncate the WAL now (a reader was in it); the
     * next seal tries again.
     */
    /**
     * SQLite: copies what the WAL holds into the database file without waiting for anyone
     * (a PASSIVE checkpoint: writers and readers go on), so that the scrub after it, which
     * holds the write lock, has little left to copy. PostgreSQL: nothing to do.
     */
    async copyWal(): Promise<void> {
      if (!postgres) await db.raw('PRAGMA wal_checkpoint(PASSIVE)');
    },

    /**
     * SQLite: empties the WAL (TRUNCATE), run in the write turn (Store.exclusive). The
     * checkpoint holds the write lock while it waits for readers still on an older snapshot;
     * with the connection's busy timeout (5 s) a long results read beside it held every
     * submission that long. It waits SCRUB_WAIT_MS at most, then answers false (not emptied
     * this time; the next seal tries again). PostgreSQL: VACUUM of the pending tables.
     */
    async scrub(): Promise<boolean> {
      if (postgres) {
        await db.raw('VACUUM pending_responses, pending_contacts');
        return true;
      }
      const knex = db as Knex;
      const connection = await knex.client.acquireConnection();
      try {
        const [{ timeout }] = await knex.raw('PRAGMA busy_timeout').connection(connection) as Array<{ timeout: number }>;
        await knex.raw(`PRAGMA busy_timeout = ${SCRUB_WAIT_MS}`).connection(connection);
        try {
          const [result] = await knex.raw('PRAGMA wal_checkpoint(TRUNCATE)').connection(connection) as Array<{ busy: number }>;
          return Number(result?.busy ?? 1) === 0;
        } finally {
          await knex.raw(`PRAGMA busy_timeout = ${Number(timeout)}`).connection(connection);
        }
      } finally {
        await knex.client.releaseConnection(connection);
      }
    },
  };
}
