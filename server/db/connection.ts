// Builds the knex instance for SQLite (default) or PostgreSQL (DATABASE_URL).
// Connection-level differences live here; query-level ones in dialect.ts.
import fs from 'node:fs';
import path from 'node:path';
import knex, { Knex } from 'knex';
import { migrationSource } from '../../migrations';
import { dialectName } from './dialect';

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
    // knex puts a failed statement into the error's message; with its parameters bound in,
    // that could carry answers or response ids into a log. The statement with ? only.
    compileSqlOnError: false,
    // SQLite allows one writer at a time, and any number of readers beside it (WAL). Every
    // transaction takes the write lock as it begins (BEGIN IMMEDIATE) and a statement that
    // writes outside one waits for it (busy_timeout), so writes queue instead of failing;
    // reads, such as a respondent's wave lookup, do not wait for a transaction being
    // written. An in-memory database exists once per connection: one connection only.
    pool: {
      min: 1,
      max: filename === ':memory:' ? 1 : SQLITE_CONNECTIONS,
      afterCreate(conn: SqliteConn, done: (err: Error | null, conn: SqliteConn) => void) {
        beginImmediate(conn);
        // WAL lets a backup read while submissions are written; synchronous=FULL makes a
        // commit durable before we answer 201, so an acknowledged response survives a crash.
        // A larger page cache (32 MB, as used) keeps the answers' indexes in memory, and a
        // checkpoint every ~40 MB of WAL instead of every 4 MB copies a page written many
        // times once: both only change when work is done, not what a commit guarantees.
        conn.exec(
          'PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; '
          + 'PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 10000;',
          (err) => done(err, conn),
        );
      },
    },
  });
}

/** One connection writes (at a time), the others read. */
const SQLITE_CONNECTIONS = 3;

/**
 * knex begins a transaction with a deferred BEGIN, which takes the write lock only at the
 * first write: a transaction that has read by then fails at once with SQLITE_BUSY if
 * another connection wrote in the meantime. BEGIN IMMEDIATE takes the lock first, waiting
 * for it like any other write.
 */
function beginImmediate(conn: SqliteConn): void {
  for (const method of ['all', 'run'] as const) {
    const original = conn[method];
    conn[method] = function (this: SqliteConn, sql: string, ...rest: unknown[]) {
      return original.call(this, /^\s*BEGIN\s*;?\s*$/i.test(sql) ? 'BEGIN IMMEDIATE;' : sql, ...rest);
    };
  }
}

interface SqliteConn {
  exec(sql: string, cb: (err: Error | null) => void): void;
  all(sql: string, ...rest: unknown[]): unknown;
  run(sql: string, ...rest: unknown[]): unknown;
}

function createPostgres(connectionString: string, schema?: string): Knex {
  return knex({
    client: 'pg',
    connection: connectionString,
    compileSqlOnError: false, // as for SQLite above: no parameters in error messages
    searchPath: schema ? [schema] : undefined,
    pool: { min: 0, max: 10 },
  });
}

/** Any fixed number: the key of the advisory lock that lets one process at a time migrate. */
const MIGRATION_LOCK = 4_263_001;

/**
 * Applies pending migrations. Several processes may start at once on one PostgreSQL
 * database: one migrates while the others wait on an advisory lock (knex's own migration
 * lock table cannot help the very first time, when it does not exist yet), then find
 * nothing left to do.
 */
export async function migrateToLatest(db: Knex): Promise<void> {
  if (dialectName(db) !== 'postgres') {
    await db.migrate.latest({ migrationSource });
    return;
  }
  const connection = await db.client.acquireConnection();
  try {
    await db.raw('select pg_advisory_lock(?)', [MIGRATION_LOCK]).connection(connection);
    try {
      await db.migrate.latest({ migrationSource });
    } finally {
      await db.raw('select pg_advisory_unlock(?)', [MIGRATION_LOCK]).connection(connection);
    }
  } finally {
    await db.client.releaseConnection(connection);
  }
}

export { dialectName };
