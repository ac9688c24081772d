// The few things that differ between SQLite and PostgreSQL live here.
import type { Knex } from 'knex';

export type Dialect = 'sqlite' | 'postgres';

export function dialectName(db: Knex | Knex.Transaction): Dialect {
  const client = String(db.client.config.client);
  return client === 'pg' || client === 'postgres' || client === 'postgresql' ? 'postgres' : 'sqlite';
}

/** The rows of a raw query (e.g. DELETE … RETURNING): knex hands PostgreSQL's result object, but SQLite's row array. */
export function rawRows<T>(db: Knex | Knex.Transaction, result: unknown): T[] {
  return dialectName(db) === 'postgres' ? (result as { rows: T[] }).rows : (result as T[]);
}
