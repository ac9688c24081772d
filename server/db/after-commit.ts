// Work to do once what a transaction wrote is committed (in memory: telling the process's
// caches), never when it is rolled back. A nested transaction (a savepoint) counts only when
// the outermost one commits; outside a transaction every statement commits as it ends.
import type { Knex } from 'knex';

interface Transactor {
  executionPromise?: Promise<unknown>;
  parentTransaction?: Transactor;
}

export function afterCommit(db: Knex | Knex.Transaction, work: () => void): void {
  if (!(db as Knex.Transaction).isTransaction) {
    work();
    return;
  }
  let outer = db as unknown as Transactor;
  while (outer.parentTransaction) outer = outer.parentTransaction;
  // Registered before the caller awaits the transaction: done before the caller goes on.
  outer.executionPromise?.then(work, () => undefined);
}

/** The same object for a database and every transaction on it; another knex on the same file has another. */
export function databaseKey(db: Knex | Knex.Transaction): object {
  return db.client.config as object;
}
