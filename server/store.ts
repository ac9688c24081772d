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
import { dialectName } from './db/dialect';

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
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

export interface Store {
  repos: Repositories;
  dialect: 'sqlite' | 'postgres';
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /** A transaction in which first-run setup cannot race another process. */
  setupTransaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
}

export function createStore(db: Knex): Store {
  return {
    repos: createRepositories(db),
    dialect: dialectName(db),
    transaction: (work) => db.transaction((trx) => work(createRepositories(trx))),
    setupTransaction: (work) => db.transaction(async (trx) => {
      await lockUsersForSetup(trx);
      return work(createRepositories(trx));
    }),
    async ping() {
      await db.raw('select 1');
    },
  };
}
