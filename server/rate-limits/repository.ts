// Rate-limit counters in the database: one row per hashed key with its hits and the end of
// its window. Every statement is atomic on its own (no read-then-write), so processes that
// count the same key at the same moment never lose a hit. Every call has a time limit: a
// limiter that waits on a stuck database would hold a login open without end.
import type { Knex } from 'knex';
import { rawRows } from '../db/dialect';

export interface Hits {
  totalHits: number;
  /** Milliseconds since the epoch at which the window ends. */
  resetAt: number;
}

export class RateLimitTimeoutError extends Error {
  constructor(ms: number) {
    super(`rate-limit store did not answer within ${ms} ms`);
    this.name = 'RateLimitTimeoutError';
  }
}

/** Rejects when `work` has not settled within `ms`, including the wait for a pool connection. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new RateLimitTimeoutError(ms)), ms); });
  // A late result or error of `work` after the timeout has nobody left to hear it.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function createRateLimitRepository(db: Knex, { timeoutMs = 2000 } = {}) {
  return {
    /** Counts one hit; starts a new window when there is none or the last has ended. */
    async increment(keyHash: string, now: number, windowMs: number): Promise<Hits> {
      // In ON CONFLICT … DO UPDATE, rate_limit_hits.* is the row as it was: both CASEs see the old window.
      const result = await within(timeoutMs, Promise.resolve(db.raw(
        `insert into rate_limit_hits (key_hash, hits, reset_at) values (?, 1, ?)
         on conflict (key_hash) do update set
           hits = case when rate_limit_hits.reset_at <= ? then 1 else rate_limit_hits.hits + 1 end,
           reset_at = case when rate_limit_hits.reset_at <= ? then excluded.reset_at else rate_limit_hits.reset_at end
         returning hits, reset_at`,
        [keyHash, now + windowMs, now, now],
      )));
      const [row] = rawRows<{ hits: number | string; reset_at: number | string }>(db, result);
      return { totalHits: Number(row.hits), resetAt: Number(row.reset_at) };
    },

    async get(keyHash: string, now: number): Promise<Hits | undefined> {
      const row = await within(timeoutMs, Promise.resolve(
        db('rate_limit_hits').where('key_hash', keyHash).andWhere('reset_at', '>', now).first('hits', 'reset_at'),
      )) as { hits: number | string; reset_at: number | string } | undefined;
      return row ? { totalHits: Number(row.hits), resetAt: Number(row.reset_at) } : undefined;
    },

    /** Takes back one hit of the current window (a request that turned out not to count). */
    async decrement(keyHash: string, now: number): Promise<void> {
      await within(timeoutMs, Promise.resolve(db('rate_limit_hits')
        .where('key_hash', keyHash).andWhere('reset_at', '>', now).andWhere('hits', '>', 0)
        .decrement('hits', 1)));
    },

    async reset(keyHash: string): Promise<void> {
      await within(timeoutMs, Promise.resolve(db('rate_limit_hits').where('key_hash', keyHash).delete()));
    },

    /** Deletes the rows whose window has ended; returns how many. */
    async deleteExpired(now: number): Promise<number> {
      return within(timeoutMs, Promise.resolve(db('rate_limit_hits').where('reset_at', '<=', now).delete()));
    },
  };
}

export type RateLimitRepository = ReturnType<typeof createRateLimitRepository>;
