// Where the benchmarks on the seeded results wave (bench/results.ts, bench/export.ts) run:
// SQLite, a file, then PostgreSQL, a schema, when it answers. With --keep DIR both are kept
// (the file in DIR, the schema named after the number of responses) and found again by the
// next run, which then need not load 100,000 responses again; without it both are temporary.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex, { Knex } from 'knex';
import { createDb } from '../server/db/connection';

/** Which database a benchmark's serving process opens. */
export interface BenchConnection {
  database: 'sqlite' | 'postgres';
  sqliteFile?: string;
  postgresUrl?: string;
  pgSchema?: string;
}

/** What a benchmark's serving process (bench/results-queries.ts, bench/export-queries.ts) is given: the seeded wave, and how often to time each request. */
export interface BenchJob extends BenchConnection {
  waveId: string;
  organisationId: string;
  runs: number;
}

export interface BenchDatabaseOptions {
  /** The number of responses seeded: it names the kept file and schema. */
  responses: number;
  /** Only this database (default: SQLite, then PostgreSQL when it answers). */
  only?: 'sqlite' | 'postgres';
  /** The directory of the kept databases; without it, nothing is kept. */
  keep?: string;
  /** PostgreSQL's URL; null: none; default DATABASE_URL, else the local server's test database. */
  postgresUrl?: string | null;
  /** The benchmark's name, in its temporary directory's and schema's names. */
  name: string;
  log: (line: string) => void;
}

/** Runs `run` on each database, kept or temporary, the database open; its results in that order (SQLite first). */
export async function onBenchDatabases<T>(options: BenchDatabaseOptions, run: (connection: BenchConnection, db: Knex) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  if (options.only !== 'postgres') {
    const dir = options.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), `spiegel-bench-${options.name}-`));
    try {
      const sqliteFile = path.join(dir, `results-${options.responses}.sqlite3`);
      const db = createDb({ databaseUrl: null, sqliteFile });
      results.push(await run({ database: 'sqlite', sqliteFile }, db).finally(() => db.destroy()));
    } finally {
      if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (options.only === 'sqlite') return results;
  const url = options.postgresUrl === undefined ? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' : options.postgresUrl;
  if (!url || !(await reachable(url))) {
    options.log('postgres: skipped (no DATABASE_URL and nothing answers at 127.0.0.1:5432)');
    return results;
  }
  const schema = options.keep ? `bench_kept_${options.responses}` : `bench_${options.name}_${crypto.randomBytes(6).toString('hex')}`;
  await withAdmin(url, (admin) => admin.raw('CREATE SCHEMA IF NOT EXISTS ??', [schema]));
  try {
    const db = createDb({ databaseUrl: url, pgSchema: schema });
    results.push(await run({ database: 'postgres', postgresUrl: url, pgSchema: schema }, db).finally(() => db.destroy()));
  } finally {
    if (!options.keep) await withAdmin(url, (admin) => admin.raw('DROP SCHEMA ?? CASCADE', [schema]));
  }
  return results;
}

export async function reachable(url: string): Promise<boolean> {
  try {
    await withAdmin(url, (admin) => admin.raw('select 1'));
    return true;
  } catch {
    return false;
  }
}

export async function withAdmin<T>(url: string, work: (admin: Knex) => Promise<T>): Promise<T> {
  const admin = knex({ client: 'pg', connection: { connectionString: url, connectionTimeoutMillis: 2000 }, pool: { min: 0, max: 1 } });
  try {
    return await work(admin);
  } finally {
    await admin.destroy();
  }
}
