import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Scope } from '../auth/scope';

/** opvang: a shelter or care organisation; gemeente: a municipality (the Movisie route). */
export const ORGANISATION_KINDS = ['opvang', 'gemeente'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export interface Organisation {
  id: string;
  name: string;
  kind: OrganisationKind;
}

export function createOrganisationRepository(db: Knex | Knex.Transaction) {
  return {
    async create(name: string, kind: OrganisationKind = 'opvang'): Promise<Organisation> {
      const organisation = { id: crypto.randomUUID(), name, kind };
      await db('organisations').insert(organisation);
      return organisation;
    },

    async findById(scope: Scope, id: string): Promise<Organisation | null> {
      const query = db<Organisation>('organisations').select('id', 'name', 'kind').where({ id });
      if (scope.organisationId !== null) query.andWhere({ id: scope.organisationId });
      return (await query.first()) ?? null;
    },

    async list(scope: Scope): Promise<Organisation[]> {
      const query = db<Organisation>('organisations').select('id', 'name', 'kind').orderBy('name');
      if (scope.organisationId !== null) query.where({ id: scope.organisationId });
      return query;
    },
  };
}
