// Builds the knex instance for SQLite (default) or PostgreSQL (DATABASE_URL).
// Connection-level differences live here; query-level ones in dialect.ts.
import fs from 'node:fs';
import path from 'node:path';
import knex, { Knex } from 'knex';
import { migrationSource } from '../../migrations';
import { dialectName } from './dialect';
import { DB_TIMEOUTS, DbTimeouts } from '../config';

export interface DbOptions {
  databaseUrl: string | null;
  /** SQLite file, or ':memory:' in tests. Ignored for PostgreSQL. */
  sqliteFile?: string;
  dataDir?: string;
  /** PostgreSQL schema to use (tests run each suite in a schema of its own). */
  pgSchema?: string;
  /** How long to wait for the database (config.dbTimeouts); production defaults when unset. */
  timeouts?: DbTimeouts;
}

export function sqliteFileFor(dataDir: string): string {
  return path.join(dataDir, 'spiegel.sqlite3');
}

export function createDb(options: DbOptions): Knex {
  const timeouts = options.timeouts ?? DB_TIMEOUTS;
  if (options.databaseUrl) return createPostgres(options.databaseUrl, timeouts, options.pgSchema);
  const filename = options.sqliteFile ?? sqliteFileFor(options.dataDir ?? './data');
  if (filename !== ':memory:') fs.mkdirSync(path.dirname(filename), { recursive: true });
  const db = knex({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    // knex puts a failed statement into the error's message; with its parameters bound in,
    // that could carry answers or response ids into a log. The statement with ? only.
    compileSqlOnError: false,
    // A request that finds all connections busy waits this long, then gets a 503.
    acquireConnectionTimeout: timeouts.acquireMs,
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
        renewAfterIoError(conn);
        // WAL lets a backup read while submissions are written; synchronous=FULL makes a
        // commit durable before we answer 201, so an acknowledged response survives a crash.
        // A larger page cache (32 MB, as used) keeps the answers' indexes in memory, and a
        // checkpoint every ~40 MB of WAL instead of every 4 MB copies a page written many
        // times once: both only change when work is done, not what a commit guarantees.
        // secure_delete: a deleted row (a sealed pending submission) is overwritten with zeros,
        // not left in the page or the freelist (server/sealing/).
        conn.exec(
          `PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = ${timeouts.sqliteBusyMs}; `
          + `PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 10000;`,
          (err) => done(err, conn),
        );
      },
    },
  });
  sqliteTimeouts.set(db, timeouts);
  return db;
}

/** The busy timeout of each SQLite database made here, for its read pool (readerOf). */
const sqliteTimeouts = new WeakMap<Knex, DbTimeouts>();

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

/**
 * A SQLite connection that met a read-only or failing file (a disk turned read-only, the
 * file's attributes changed, an I/O error) keeps treating the database as read-only even
 * once the file is writable again. It is dropped from the pool (knex discards a connection
 * marked __knex__disposed when it is next taken), so that writes work again without a restart.
 */
function renewAfterIoError(conn: SqliteConn): void {
  for (const method of ['all', 'run'] as const) {
    const original = conn[method];
    conn[method] = function (this: SqliteConn, sql: string, ...rest: unknown[]) {
      const last = rest.length - 1;
      if (last >= 0 && typeof rest[last] === 'function') {
        const callback = rest[last] as (this: unknown, err: (Error & { code?: string }) | null, ...results: unknown[]) => void;
        rest[last] = function (this: unknown, err: (Error & { code?: string }) | null, ...results: unknown[]) {
          if (err && SQLITE_FILE_ERRORS.has(err.code ?? '')) conn.__knex__disposed = err.code;
          return callback.call(this, err, ...results);
        };
      }
      return original.call(this, sql, ...rest);
    };
  }
}

const SQLITE_FILE_ERRORS = new Set(['SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN']);

interface SqliteConn {
  __knex__disposed?: string;
  exec(sql: string, cb: (err: Error | null) => void): void;
  all(sql: string, ...rest: unknown[]): unknown;
  run(sql: string, ...rest: unknown[]): unknown;
}

/**
 * PostgreSQL with every wait bounded: a host that stops answering without closing the
 * connection (failover, a crash, a partition) would otherwise leave a query, and whoever
 * waits for it, hanging for good.
 */
function createPostgres(connectionString: string, timeouts: DbTimeouts, schema?: string): Knex {
  return knex({
    client: 'pg',
    connection: {
      connectionString,
      // The handshake of a new connection to a silent host.
      connectionTimeoutMillis: timeouts.connectMs,
      // The server ends a statement that runs longer (and rolls back its transaction)...
      statement_timeout: timeouts.statementMs,
      // ...and the client stops waiting a little later, when the server cannot even say so.
      query_timeout: timeouts.statementMs + 5_000,
      // A transaction left open by a process that went away does not hold locks for ever.
      idle_in_transaction_session_timeout: timeouts.statementMs,
      // TCP keepalive notices a peer that vanished (host crash) on an idle pooled connection.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    },
    compileSqlOnError: false, // as for SQLite above: no parameters in error messages
    searchPath: schema ? [schema] : undefined,
    acquireConnectionTimeout: timeouts.acquireMs,
    pool: {
      min: 0,
      max: 10,
      createTimeoutMillis: timeouts.connectMs + 1_000,
      // Idle connections are closed after 30 s: one that went stale in an outage is not kept.
      idleTimeoutMillis: 30_000,
      afterCreate: abandonAfterReadTimeout,
    },
  });
}

interface PgConn {
  query(config: unknown, ...rest: unknown[]): unknown;
  connection: { stream: { destroy(): void } };
}

/**
 * pg's query_timeout rejects the query but leaves it in flight on the connection: the next
 * query on it would queue behind an answer that never comes. A connection whose read timed
 * out is closed instead, so the pool drops it (knex marks a connection that ended as disposed)
 * and opens a fresh one when the host is back.
 */
function abandonAfterReadTimeout(conn: PgConn, done: (err: Error | null, conn: PgConn) => void): void {
  const original = conn.query;
  conn.query = function (this: PgConn, config: unknown, ...rest: unknown[]) {
    const callback = rest.length > 0 && typeof rest[rest.length - 1] === 'function' ? rest[rest.length - 1] as (err: Error | null, res?: unknown) => void : null;
    if (!callback) return original.call(this, config, ...rest);
    rest[rest.length - 1] = (err: Error | null, res?: unknown) => {
      if (err && err.message === 'Query read timeout') this.connection.stream.destroy();
      callback(err, res);
    };
    return original.call(this, config, ...rest);
  };
  done(null, conn);
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
  // A migration may rewrite or index a large table: it runs on connections of its own,
  // without the statement timeouts that protect requests.
  const config = db.client.config as Knex.Config;
  const connection = config.connection as Record<string, unknown>;
  const migrator = knex({
    ...config,
    connection: { ...connection, statement_timeout: 0, query_timeout: 0, idle_in_transaction_session_timeout: 0 },
    pool: { ...config.pool, min: 0, max: 2 },
  });
  try {
    const locked = await migrator.client.acquireConnection();
    try {
      await migrator.raw('select pg_advisory_lock(?)', [MIGRATION_LOCK]).connection(locked);
      try {
        await migrator.migrate.latest({ migrationSource });
      } finally {
        await migrator.raw('select pg_advisory_unlock(?)', [MIGRATION_LOCK]).connection(locked);
      }
    } finally {
      await migrator.client.releaseConnection(locked);
    }
  } finally {
    await migrator.destroy();
  }
}

export { dialectName };

/** Connections of the pool for heavy reads (readerOf), beside the main pool. */
export const READ_CONNECTIONS = 2;
const readers = new WeakMap<Knex, Knex>();

/**
 * A second pool on the same database for the results' heavy reads (loading a wave's
 * columnar copy: server/results/columns/). On the main pool such a read waited in line
 * behind every submission's queries (PostgreSQL: a dashboard under a stream of submissions
 * took 20 s), and its long statements held connections the submissions then waited for.
 * Here reads and submissions each have connections of their own. SQLite: WAL lets these
 * read beside the writer; they cannot write (query_only). An in-memory SQLite database
 * exists once per connection: it has no second pool, readerOf gives the main one.
 * Made once per knex instance and destroyed with it.
 */
export function readerOf(db: Knex): Knex {
  const known = readers.get(db);
  if (known) return known;
  const config = db.client.config as Knex.Config;
  let reader: Knex;
  if (dialectName(db) === 'postgres') {
    reader = knex({ ...config, pool: { ...config.pool, min: 0, max: READ_CONNECTIONS } });
  } else {
    const { filename } = config.connection as { filename: string };
    if (filename === ':memory:' || filename === '') return db;
    const busyMs = (sqliteTimeouts.get(db) ?? DB_TIMEOUTS).sqliteBusyMs;
    reader = knex({
      ...config,
      pool: {
        min: 0,
        max: READ_CONNECTIONS,
        afterCreate(conn: SqliteConn, done: (err: Error | null, conn: SqliteConn) => void) {
          renewAfterIoError(conn);
          conn.exec(`PRAGMA query_only = ON; PRAGMA busy_timeout = ${busyMs}; PRAGMA cache_size = -32768;`, (err) => done(err, conn));
        },
      },
    });
  }
  readers.set(db, reader);
  // knex.destroy() ends in its client's destroy (the knex function's own property is read-only).
  const client = db.client as { destroy(callback?: unknown): Promise<void> };
  const destroy = client.destroy.bind(client);
  client.destroy = async (callback?: unknown) => {
    await reader.destroy();
    return destroy(callback);
  };
  return reader;
}
