// What this process's own transactions added to a wave, told to its columnar copies
// (cache.ts) after the commit, in memory only: the counter the transaction raised (its stripe
// and the value it raised it to) and the answers of the responses it added. A copy whose
// counters moved by announced changes only takes those answers in without asking the
// database which responses it lacks; any raise not announced (another process, an import,
// a bulk load) sends it to the difference of ids as before. Nothing of this is stored: it
// lives until the copy's next check, at most MAX_ANNOUNCED responses a copy.
//
// Pure: no database. Keyed by the database (its knex client's configuration, which its
// transactions share), so that two knex instances on one file stay two "processes".

export interface AddedAnswer {
  question: string;
  row: string;
  value: string | null;
}

export interface AddedResponse {
  id: string;
  answers: readonly AddedAnswer[];
}

export interface AnswersAdded {
  waveId: string;
  /** The counter the transaction raised (repository.ts, answersAdded) and its value after the raise. */
  stripe: number;
  n: number;
  responses: readonly AddedResponse[];
}

export type AnswersAddedListener = (change: AnswersAdded) => void;

const listeners = new WeakMap<object, Set<AnswersAddedListener>>();

/** Listens for what transactions on this database (by key) add, once per listener. */
export function listenForAnswersAdded(database: object, listener: AnswersAddedListener): void {
  let set = listeners.get(database);
  if (!set) listeners.set(database, (set = new Set()));
  set.add(listener);
}

/** Called after the commit of a transaction that raised a counter of the wave. */
export function announceAnswersAdded(database: object, change: AnswersAdded): void {
  for (const listener of listeners.get(database) ?? []) listener(change);
}
