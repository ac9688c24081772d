// A PostgreSQL database of its own for tests and benchmarks that spawn servers: a spawned
// Spiegel reads only DATABASE_URL, so it cannot be pointed at a schema; a database it can.
import crypto from 'node:crypto';
import knex from 'knex';

export interface TempDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates `spiegel_t_<random>` next to the database of `adminUrl`; drop() removes it, connections and all. */
export async function createTempDatabase(adminUrl: string, prefix = 'spiegel_t'): Promise<TempDatabase> {
  const name = `${prefix}_${crypto.randomBytes(6).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw('CREATE DATABASE ??', [name]);
  } finally {
    await admin.destroy();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const cleanup = knex({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
      try {
        await cleanup.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      } finally {
        await cleanup.destroy();
      }
    },
  };
}

/** True when a PostgreSQL server answers at `url` (the benchmark runs on it only then). */
export async function postgresReachable(url: string): Promise<boolean> {
  const probe = knex({ client: 'pg', connection: { connectionString: url, connectionTimeoutMillis: 2000 }, pool: { min: 0, max: 1 } });
  try {
    await probe.raw('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await probe.destroy();
  }
}
