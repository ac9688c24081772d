import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Role } from '../auth/tokens';
import type { Scope } from '../auth/scope';
import { dialectName } from '../db/dialect';

export interface UserRecord {
  id: string;
  /** null for a network account: it belongs to a network, never to an organisation's data. */
  organisationId: string | null;
  /** The network of a network account (role "network"), else null. */
  networkId: string | null;
  email: string;
  passwordHash: string;
  role: Role;
  sessionVersion: number;
}

interface Row {
  id: string; organisation_id: string | null; network_id: string | null; email: string; password_hash: string; role: Role; session_version: number;
}

const fromRow = (row: Row): UserRecord => ({
  id: row.id,
  organisationId: row.organisation_id,
  networkId: row.network_id ?? null,
  email: row.email,
  passwordHash: row.password_hash,
  role: row.role,
  sessionVersion: Number(row.session_version),
});

export function createUserRepository(db: Knex | Knex.Transaction) {
  return {
    /** An account of an organisation (admin, manager, viewer) or of a network (role "network"). */
    async create(input: ({ organisationId: string; networkId?: undefined; role: Exclude<Role, 'network'> } | { organisationId?: undefined; networkId: string; role: 'network' })
      & { email: string; passwordHash: string }): Promise<UserRecord> {
      const row: Row = {
        id: crypto.randomUUID(),
        organisation_id: input.organisationId ?? null,
        network_id: input.networkId ?? null,
        email: input.email,
        password_hash: input.passwordHash,
        role: input.role,
        session_version: 0,
      };
      await db('users').insert(row);
      return fromRow(row);
    },

    async count(): Promise<number> {
      const result = await db('users').count({ n: '*' }).first();
      return Number(result?.n ?? 0);
    },

    /** Unscoped: used by login, before anyone is known. */
    async findByEmail(email: string): Promise<UserRecord | null> {
      const row = await db<Row>('users').where({ email }).first();
      return row ? fromRow(row) : null;
    },

    /** Unscoped: used to check a token's user on every request. */
    async findById(id: string): Promise<UserRecord | null> {
      const row = await db<Row>('users').where({ id }).first();
      return row ? fromRow(row) : null;
    },

    async list(scope: Scope): Promise<UserRecord[]> {
      const query = db<Row>('users').orderBy('email');
      if (scope.organisationId !== null) query.where({ organisation_id: scope.organisationId });
      return (await query).map(fromRow);
    },

    /** The accounts of a network (role "network"): they belong to it, and to no organisation. */
    async listOfNetwork(networkId: string): Promise<UserRecord[]> {
      return (await db<Row>('users').where({ network_id: networkId, role: 'network' }).orderBy('email')).map(fromRow);
    },

    async findInScope(scope: Scope, id: string): Promise<UserRecord | null> {
      const query = db<Row>('users').where({ id });
      if (scope.organisationId !== null) query.andWhere({ organisation_id: scope.organisationId });
      const row = await query.first();
      return row ? fromRow(row) : null;
    },

    /**
     * The ids of the admins, locked until the transaction ends, for a check that must leave
     * one. Two admins demoting each other at once would each count two and leave none; with
     * the rows locked the second waits, and PostgreSQL re-reads a locked row once the first
     * commits, so it counts the admins that are left. SQLite's transactions take the write
     * lock as they begin (connection.ts), which serialises them already.
     */
    async lockAdmins(): Promise<string[]> {
      const query = db('users').where({ role: 'admin' }).orderBy('id');
      if (dialectName(db) === 'postgres') query.forUpdate();
      return query.pluck('id');
    },

    async countAdmins(): Promise<number> {
      const result = await db('users').where({ role: 'admin' }).count({ n: '*' }).first();
      return Number(result?.n ?? 0);
    },

    /** Changes the role and ends the user's sessions, so the old role stops at once. */
    async setRole(id: string, role: Role): Promise<void> {
      await db('users').where({ id }).update({ role, session_version: db.raw('session_version + 1') });
    },

    async remove(id: string): Promise<void> {
      await db('users').where({ id }).delete();
    },

    /** Ends every session of the user (logout, role change): their tokens stop working at once. */
    async bumpSessionVersion(id: string): Promise<void> {
      await db('users').where({ id }).increment('session_version', 1);
    },
  };
}

/** Serialises first-run setup across processes on PostgreSQL (SQLite has one writer anyway). */
export async function lockUsersForSetup(trx: Knex.Transaction): Promise<void> {
  if (dialectName(trx) === 'postgres') await trx.raw('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
}
