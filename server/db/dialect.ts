// The few things that differ between SQLite and PostgreSQL live here.
import type { Knex } from 'knex';

export type Dialect = 'sqlite' | 'postgres';

export function dialectName(db: Knex | Knex.Transaction): Dialect {
  const client = String(db.client.config.client);
  return client === 'pg' || client === 'postgres' || client === 'postgresql' ? 'postgres' : 'sqlite';
}
