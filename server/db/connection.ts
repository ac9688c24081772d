// Builds the knex instance for SQLite (default) or PostgreSQL (DATABASE_URL).
// Connection-level differences live here; query-level ones in dialect.ts.
import fs from 'node:fs';
import path from 'node:path';
import knex, { Knex } from 'knex';
import { migrationSource } from '../../migrations';

export interface DbOptions {
  databaseUrl: string | null;
  /** SQLite file, or ':memory:' in tests. Ignored for PostgreSQL. */
  sqliteFile?: string;
  dataDir?: string;
  /** PostgreSQL schema to use (tests run each suite in a schema of its own). */
  pgSchema?: string;
}

export function sqliteFileFor(dataDir: string): string {
  return path.join(dataDir, 'spiegel.sqlite3');
}

export function createDb(options: DbOptions): Knex {
  if (options.databaseUrl) return createPostgres(options.databaseUrl, options.pgSchema);
  const filename = options.sqliteFile ?? sqliteFileFor(options.dataDir ?? './data');
  if (filename !== ':memory:') fs.mkdirSync(path.dirname(filename), { recursive: true });
  return knex({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    // SQLite allows one writer at a time: one connection serialises writes inside the
    // process instead of failing them with SQLITE_BUSY.
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: SqliteConn, done: (err: Error | null, conn: SqliteConn) => void) {
        // WAL lets a backup read while submissions are written; synchronous=FULL makes a
        // commit durable before we answer 201, so an acknowledged response survives a crash.
        conn.exec(
          'PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;',
          (err) => done(err, conn),
        );
      },
    },
  });
}

interface SqliteConn {
  exec(sql: string, cb: (err: Error | null) => void): void;
}

function createPostgres(connectionString: string, schema?: string): Knex {
  return knex({
    client: 'pg',
    connection: connectionString,
    searchPath: schema ? [schema] : undefined,
    pool: { min: 0, max: 10 },
  });
}

export async function migrateToLatest(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource });
}

export { dialectName } from './dialect';
