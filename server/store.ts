// The repositories of every domain, on the database or inside one transaction. Services
// get a Store and never see knex.
import type { Knex } from 'knex';
import { createOrganisationRepository } from './organisations/repository';
import { createUserRepository, lockUsersForSetup } from './users/repository';
import { createWaveRepository } from './waves/repository';
import { createResponseRepository } from './responses/repository';
import { createInvitationRepository } from './invitations/repository';
import { createContactRepository } from './contacts/repository';
import { createCsvRepository } from './csv/repository';
import { createResultsRepository } from './results/repository';
import { createHealthRepository } from './db/health-repository';
import { createPendingRepository } from './sealing/repository';
import { createWorkshopRepository } from './workshops/repository';
import { createBenchmarkRepository } from './benchmarks/repository';
import { createTeamRecordRepository } from './team-records/repository';
import { createDraftRepository } from './instruments/draft-repository';
import { dialectName } from './db/dialect';
import { DatabaseTimeoutError } from './db/errors';
import { writeQueueOf, WriteQueue } from './db/write-queue';

export function createRepositories(db: Knex | Knex.Transaction) {
  return {
    organisations: createOrganisationRepository(db),
    users: createUserRepository(db),
    waves: createWaveRepository(db),
    responses: createResponseRepository(db),
    invitations: createInvitationRepository(db),
    contacts: createContactRepository(db),
    csv: createCsvRepository(db),
    results: createResultsRepository(db),
    health: createHealthRepository(db),
    pending: createPendingRepository(db),
    workshops: createWorkshopRepository(db),
    benchmarks: createBenchmarkRepository(db),
    teamRecords: createTeamRecordRepository(db),
    instrumentDrafts: createDraftRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

export interface Store {
  repos: Repositories;
  dialect: 'sqlite' | 'postgres';
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /**
   * A transaction that is given up after timeoutMs, waiting for a connection included: the
   * promise then rejects with a DatabaseTimeoutError and the connection is aborted, so that
   * nobody waits on a database that went silent. What was given up may still commit (a
   * SQLite write that finally gets its lock); it is never reported as stored.
   */
  boundedTransaction<T>(timeoutMs: number, work: (repos: Repositories) => Promise<T>): Promise<T>;
  /** Transactions given up by boundedTransaction that have not ended yet (a stuck connection). */
  abandoned(): number;
  /** A transaction in which first-run setup cannot race another process. */
  setupTransaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /**
   * A write outside a transaction that takes SQLite's write lock all the same (a WAL
   * checkpoint), in the same turn as the transactions (db/write-queue.ts). PostgreSQL: at once.
   */
  exclusive<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /** SQLite: the process's writes in turn (db/write-queue.ts); null on PostgreSQL, whose row locks order writers. */
  writes: WriteQueue | null;
  /** Transactions (and exclusive writes) begun in this process so far: background work asks whether others write beside it (a CSV import). */
  transactionsBegun(): number;
  ping(): Promise<void>;
}



export function createStore(db: Knex): Store {
  let abandoned = 0;
  const writes = writeQueueOf(db);
  let begun = 0;
  const inTurn = <T>(work: () => Promise<T>, givenUp?: () => boolean): Promise<T> => {
    begun += 1;
    return writes ? writes.run(work, givenUp) : work();
  };
  return {
    repos: createRepositories(db),
    dialect: dialectName(db),
    writes,
    transaction: (work) => inTurn(() => db.transaction((trx) => work(createRepositories(trx)))),
    exclusive: (work) => inTurn(() => work(createRepositories(db))),
    boundedTransaction<T>(timeoutMs: number, work: (repos: Repositories) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        let connection: RawConnection | null = null;
        let givenUp = false;
        const timer = setTimeout(() => {
          givenUp = true;
          abandoned += 1;
          if (connection) abort(connection);
          reject(new DatabaseTimeoutError(timeoutMs));
        }, timeoutMs);
        // The connection is taken here rather than by knex, so that it can be aborted.
        const run = inTurn(async () => {
          const acquired = await db.client.acquireConnection() as RawConnection;
          connection = acquired;
          try {
            if (givenUp) throw new DatabaseTimeoutError(timeoutMs);
            return await db.transaction((trx) => work(createRepositories(trx)), { connection: acquired });
          } finally {
            await db.client.releaseConnection(acquired);
          }
        }, () => givenUp);
        run.then(resolve, reject).finally(() => {
          clearTimeout(timer);
          if (givenUp) abandoned -= 1;
        });
      });
    },
    abandoned: () => abandoned,
    transactionsBegun: () => begun,
    setupTransaction: (work) => inTurn(() => db.transaction(async (trx) => {
      await lockUsersForSetup(trx);
      return work(createRepositories(trx));
    })),
    async ping() {
      await db.raw('select 1');
    },
  };
}

type RawConnection = {
  /** pg */
  connection?: { stream?: { destroy(): void } };
  /** sqlite3 */
  interrupt?: () => void;
};

/**
 * Ends what runs on a connection that is given up. pg: the socket is closed, so the query
 * fails at once and knex drops the connection from its pool (it ended); a fresh one is
 * opened when the database answers again. sqlite3: the statement is interrupted; a wait for
 * another connection's lock still ends only at busy_timeout.
 */
function abort(connection: RawConnection): void {
  if (connection.connection?.stream) connection.connection.stream.destroy();
  else connection.interrupt?.();
}
