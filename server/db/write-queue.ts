// SQLite has one writer at a time. Without this queue every transaction of the process took a
// pooled connection and sent BEGIN IMMEDIATE; all but one then slept in SQLite's busy handler,
// which polls (1, 2, 5 … 100 ms between tries) rather than waking when the lock is free. A
// submission could so sleep through several commits of others, and lose the race for the
// lock to a newcomer each time: behind a CSV import or a WAL checkpoint it waited up to
// seconds (bench/submissions.ts). Here the process's writes wait their turn in order of
// arrival instead, in JavaScript: each starts the moment the one before ends, and a waiting
// write holds no connection, so the pool's other connections stay free for reads.
// (Another process writing the same file, such as the CLI, still meets busy_timeout.)
import type { Knex } from 'knex';
import { dialectName } from './dialect';

export interface WriteQueue {
  /** Runs `work` when the writes before it have ended. `givenUp`: checked when its turn comes (a bounded wait that ended); then it is skipped. */
  run<T>(work: () => Promise<T>, givenUp?: () => boolean): Promise<T>;
  /** Whether a write runs now and how many wait (tests; the benchmark). */
  load(): { running: boolean; waiting: number };
}

export class WriteGivenUpError extends Error {
  constructor() {
    super('the write was given up while it waited for its turn');
  }
}

export function createWriteQueue(): WriteQueue {
  let running = false;
  const waiting: Array<() => void> = [];
  const next = () => {
    const start = waiting.shift();
    if (start) start();
    else running = false;
  };
  return {
    async run(work, givenUp) {
      if (running) await new Promise<void>((resolve) => { waiting.push(resolve); });
      else running = true;
      // The turn is ours now (running stays true): pass it on however the work ends.
      try {
        if (givenUp?.()) throw new WriteGivenUpError();
        return await work();
      } finally {
        next();
      }
    },
    load: () => ({ running, waiting: waiting.length }),
  };
}

const queues = new WeakMap<Knex, WriteQueue>();

/** One queue per SQLite database (knex instance) of the process, whoever writes; null on PostgreSQL, whose row locks order writers. */
export function writeQueueOf(db: Knex): WriteQueue | null {
  if (dialectName(db) !== 'sqlite') return null;
  let queue = queues.get(db);
  if (!queue) queues.set(db, (queue = createWriteQueue()));
  return queue;
}

/**
 * A transaction on `db` in the process's write turn (SQLite), for the few writers that do
 * not go through the Store; inside a transaction already, as it is (the turn is the outer one's).
 */
export function inWriteTurn<T>(db: Knex | Knex.Transaction, work: () => Promise<T>): Promise<T> {
  const queue = (db as Knex.Transaction).isTransaction ? null : writeQueueOf(db as Knex);
  return queue ? queue.run(work) : work();
}
