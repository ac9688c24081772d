// Translates driver errors into facts the services understand, per dialect, in one place.

/** True when an insert or update broke a UNIQUE constraint (SQLite or PostgreSQL). */
export function isUniqueViolation(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: string; errno?: number; message?: string };
  if (e.code === '23505') return true; // PostgreSQL unique_violation
  if (e.code === 'SQLITE_CONSTRAINT' && /UNIQUE constraint failed/.test(e.message ?? '')) return true;
  return false;
}

/**
 * A wait on the database that was given up (store.ts): the database did not answer in time.
 * Carries no statement and no data, only how long was waited.
 */
export class DatabaseTimeoutError extends Error {
  readonly code = 'SPIEGEL_DB_TIMEOUT';
  constructor(readonly waitedMs: number) {
    super(`The database did not answer within ${waitedMs} ms`);
    this.name = 'DatabaseTimeoutError';
  }
}

/** What makes the database unable to serve now, in words fit for /healthz and the log. */
export type UnavailableReason =
  | 'timed out' | 'connection refused' | 'connection lost' | 'read-only' | 'disk full' | 'I/O error' | 'locked' | 'shutting down' | 'too many connections';

// PostgreSQL SQLSTATEs, https://www.postgresql.org/docs/current/errcodes-appendix.html
const PG_STATES = new Map<string, UnavailableReason>([
  ['25006', 'read-only'], // read_only_sql_transaction
  ['53100', 'disk full'], // disk_full
  ['53300', 'too many connections'], // too_many_connections
  ['57014', 'timed out'], // query_canceled: statement_timeout
  ['57P01', 'shutting down'], // admin_shutdown
  ['57P02', 'shutting down'], // crash_shutdown
  ['57P03', 'shutting down'], // cannot_connect_now (starting up, recovering)
  ['58030', 'I/O error'], // io_error
  ['25P03', 'timed out'], // idle_in_transaction_session_timeout
]);

const SQLITE_CODES = new Map<string, UnavailableReason>([
  ['SQLITE_BUSY', 'locked'],
  ['SQLITE_LOCKED', 'locked'],
  ['SQLITE_READONLY', 'read-only'],
  ['SQLITE_FULL', 'disk full'],
  ['SQLITE_IOERR', 'I/O error'],
  ['SQLITE_CANTOPEN', 'I/O error'],
  ['SQLITE_PROTOCOL', 'locked'],
  ['SQLITE_INTERRUPT', 'timed out'], // a transaction given up by store.ts
]);

const SOCKET_CODES = new Map<string, UnavailableReason>([
  ['ECONNREFUSED', 'connection refused'],
  ['ECONNRESET', 'connection lost'],
  ['EPIPE', 'connection lost'],
  ['ETIMEDOUT', 'timed out'],
  ['EHOSTUNREACH', 'connection refused'],
  ['ENETUNREACH', 'connection refused'],
  ['EAI_AGAIN', 'connection refused'],
]);

/**
 * Why the database cannot serve now, or null when the error is something else (a bug, a
 * constraint). Covers the ways an outage shows in pg, knex and sqlite3: a refused or lost
 * connection, a timeout of ours or the server's, a read-only or full database.
 */
export function unavailableReason(err: unknown): UnavailableReason | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (err instanceof DatabaseTimeoutError) return 'timed out';
  if (e.name === 'KnexTimeoutError') return 'timed out'; // no free connection in time
  if (PG_STATES.has(code)) return PG_STATES.get(code)!;
  if (code.startsWith('08')) return 'connection lost'; // PostgreSQL class 08: connection exception
  if (SQLITE_CODES.has(code)) return SQLITE_CODES.get(code)!;
  if (SOCKET_CODES.has(code)) return SOCKET_CODES.get(code)!;
  // pg's own errors carry no code, only these messages; knex puts the statement (with $1
  // placeholders) before them: "select … - Connection terminated unexpectedly".
  if (/(^|- )Connection terminated/.test(message) || /is not queryable/.test(message)) return 'connection lost';
  if (message === 'Query read timeout' || /^timeout expired$/.test(message) || /connection timeout/i.test(message)) return 'timed out';
  return null;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  return unavailableReason(err) !== null;
}

/**
 * Rejects with a DatabaseTimeoutError when work has not settled within ms. The work itself
 * goes on (a read ends at the driver's own timeout); only the caller stops waiting for it.
 */
export function withinDeadline<T>(ms: number, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DatabaseTimeoutError(ms)), ms);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
