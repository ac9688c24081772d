import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Scope } from '../auth/scope';

export interface Organisation {
  id: string;
  name: string;
}

export function createOrganisationRepository(db: Knex | Knex.Transaction) {
  return {
    async create(name: string): Promise<Organisation> {
      const organisation = { id: crypto.randomUUID(), name };
      await db('organisations').insert(organisation);
      return organisation;
    },

    async findById(scope: Scope, id: string): Promise<Organisation | null> {
      const query = db<Organisation>('organisations').select('id', 'name').where({ id });
      if (scope.organisationId !== null) query.andWhere({ id: scope.organisationId });
      return (await query.first()) ?? null;
    },

    async list(scope: Scope): Promise<Organisation[]> {
      const query = db<Organisation>('organisations').select('id', 'name').orderBy('name');
      if (scope.organisationId !== null) query.where({ id: scope.organisationId });
      return query;
    },
  };
}
