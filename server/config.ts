// The only module that reads process.env. Everything else receives a Config.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { StartupError } from './startup/errors';
import { setupMarkerFile } from './startup/setup-code';
import { sqliteFileFor } from './db/connection';

export interface Config {
  env: 'production' | 'development' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  jwtSecret: string;
  /** Express `trust proxy` value, or false when Spiegel faces clients directly. */
  trustProxy: boolean | number | string;
  /** Where the survey directory lives (JSON instrument files). */
  surveysDir: string;
  /** Lifetime of a login token in seconds: short, because a stolen cookie should not last. */
  tokenTtlSeconds: number;
  /** Largest JSON body accepted on any route, in bytes. */
  jsonLimitBytes: number;
  /** Largest CSV file accepted for an import, in bytes. */
  csvLimitBytes: number;
  /** Where the quick-exit button sends a respondent: a neutral page. */
  quickExitUrl: string;
  /** Public base URL used in links and QR codes; derived from the request when unset. */
  publicUrl: string | null;
  logLevel: string;
  /** The smallest selection whose free-text answers are shown: a text can give its writer away where a count cannot. */
  minTextGroupSize: number;
  /** How long Spiegel waits for its database (see DB_TIMEOUTS). */
  dbTimeouts: DbTimeouts;
  /** Submissions one client may send to one respondent link per minute (public-link-limit.ts). */
  publicLinkSubmissionsPerMinute: number;
  /** The results' columnar copies and read turns (SPIEGEL_RESULTS_LIMITS); defaults when absent. */
  resultsLimits?: ResultsLimits;
}

// --- Results: columnar copies, read and export turns (server/results/columns/, read-limits.ts) ---
export interface ResultsLimits {
  /** A wave's columnar copy unused for this long is dropped. */
  copyIdleSeconds: number;
  /** Most megabytes of columnar copies in one process; the least recently used go first. */
  copyMaxMb: number;
  /** Results reads one user may have running at once; more wait their turn. */
  readsPerUser: number;
  /** Results reads running at once in the process. */
  readsAtOnce: number;
  /** CSV exports running at once in the process: each may hold up to 32 MB of rows (csv/service.ts, EXPORT_HOLDS). */
  exportsAtOnce: number;
  /** CSV exports one user may have running at once; as many more wait, beyond that 429. */
  exportsPerUser: number;
  /** How long an export waits for its turn before it is answered 503 with Retry-After. */
  exportWaitSeconds: number;
}

export const RESULTS_LIMITS: ResultsLimits = {
  copyIdleSeconds: 600, copyMaxMb: 256, readsPerUser: 2, readsAtOnce: 2, exportsAtOnce: 2, exportsPerUser: 1, exportWaitSeconds: 20,
};

function parseResultsLimits(value: string | undefined): ResultsLimits {
  if (!value) return { ...RESULTS_LIMITS };
  const given = JSON.parse(value) as Record<string, unknown>;
  const limits: ResultsLimits = { ...RESULTS_LIMITS };
  for (const key of Object.keys(RESULTS_LIMITS) as Array<keyof ResultsLimits>) {
    if (!Object.prototype.hasOwnProperty.call(given, key)) continue;
    const n = Number(given[key]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`SPIEGEL_RESULTS_LIMITS.${key} must be a whole number above 0, got "${String(given[key])}"`);
    limits[key] = n;
  }
  return limits;
}

// --- Database timeouts -------------------------------------------------------------------
// Every wait on the database ends. The defaults are chosen for the respondent: someone on
// a phone who pressed "Verzenden" waits perhaps ten seconds before deciding it is broken and
// closing the page, so a submission is answered within about that, with a 503 they can act
// on ("probeer het zo nog eens") rather than a spinner that never ends.
export interface DbTimeouts {
  /** The submission writer gives up a batch after this long (and every submission in it gets a 503). */
  writeMs: number;
  /** At most this many submissions wait for the writer; more get a 503 with Retry-After. */
  maxQueuedSubmissions: number;
  /** PostgreSQL: opening a connection (a silent host never answers the handshake). */
  connectMs: number;
  /** Waiting for a free connection from the pool. */
  acquireMs: number;
  /**
   * PostgreSQL statement_timeout (the server ends the statement) and, a little longer, the
   * client's own read timeout (ends a wait on a host that went silent). Long enough for the
   * longest legitimate statement: the slowest request measured on 100,000 responses (a
   * compare without tallies) takes about 9 s, a CSV import or bulk load inserts in chunks
   * of at most a few thousand rows per statement. Migrations run without it (connection.ts).
   */
  statementMs: number;
  /** SQLite busy_timeout: waiting for another connection's write lock. Below writeMs, so a lock that is not given up turns into a clear error first. */
  sqliteBusyMs: number;
}

export const DB_TIMEOUTS: DbTimeouts = {
  writeMs: 10_000,
  // A submission is a few KB (at most jsonLimitBytes); 256 of them is small, and under
  // normal load the writer drains that many in well under a second.
  maxQueuedSubmissions: 256,
  // A database on the same host or LAN connects in milliseconds; 5 s leaves room for a busy server.
  connectMs: 5_000,
  acquireMs: 10_000,
  statementMs: 60_000,
  sqliteBusyMs: 5_000,
};

/** DB_TIMEOUTS with the overrides a test (or an operator, via SPIEGEL_DB_TIMEOUTS as JSON) gives. */
function parseDbTimeouts(value: string | undefined): DbTimeouts {
  if (!value) return { ...DB_TIMEOUTS };
  const given = JSON.parse(value) as Record<string, unknown>;
  const timeouts: DbTimeouts = { ...DB_TIMEOUTS };
  for (const key of Object.keys(DB_TIMEOUTS) as Array<keyof DbTimeouts>) {
    if (!Object.prototype.hasOwnProperty.call(given, key)) continue;
    const n = Number(given[key]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`SPIEGEL_DB_TIMEOUTS.${key} must be a whole number above 0, got "${String(given[key])}"`);
    timeouts[key] = n;
  }
  return timeouts;
}
// -----------------------------------------------------------------------------------------

export const DEFAULTS = {
  port: 3000,
  host: '127.0.0.1',
  dataDir: './data',
  tokenTtlSeconds: 60 * 60,
  jsonLimitBytes: 256 * 1024,
  csvLimitBytes: 5 * 1024 * 1024,
  quickExitUrl: 'https://www.google.nl/search?q=weerbericht',
  minTextGroupSize: 10,
  // Per client address and link. A flood of junk is held to a handful a minute, while a
  // shelter whose staff all share one NAT address still gets 5 a minute: a team filling in
  // over a morning never notices, and a group filling in together at the end of a meeting
  // is asked to wait a minute (the page keeps the answers and offers to send again). Raise
  // it with PUBLIC_LINK_SUBMISSIONS_PER_MINUTE for such sessions.
  publicLinkSubmissionsPerMinute: 5,
} as const;

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = (env.NODE_ENV === 'test' || env.NODE_ENV === 'development') ? env.NODE_ENV : 'production';
  const dataDir = path.resolve(env.DATA_DIR || DEFAULTS.dataDir);
  const port = parsePort(env.PORT);
  return {
    env: nodeEnv,
    port,
    host: env.HOST || DEFAULTS.host,
    dataDir,
    databaseUrl: parseDatabaseUrl(env.DATABASE_URL),
    jwtSecret: env.JWT_SECRET ? checkedSecret(env.JWT_SECRET) : readOrCreateSecret(dataDir),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    surveysDir: path.resolve(env.SURVEYS_DIR || path.join(REPO_ROOT, 'surveys')),
    tokenTtlSeconds: DEFAULTS.tokenTtlSeconds,
    jsonLimitBytes: DEFAULTS.jsonLimitBytes,
    csvLimitBytes: env.CSV_LIMIT_BYTES ? parseLimit(env.CSV_LIMIT_BYTES) : DEFAULTS.csvLimitBytes,
    quickExitUrl: env.QUICK_EXIT_URL || DEFAULTS.quickExitUrl,
    publicUrl: env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : null,
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    minTextGroupSize: env.MIN_TEXT_GROUP_SIZE ? parseMinTextGroupSize(env.MIN_TEXT_GROUP_SIZE) : DEFAULTS.minTextGroupSize,
    dbTimeouts: parseDbTimeouts(env.SPIEGEL_DB_TIMEOUTS),
    resultsLimits: parseResultsLimits(env.SPIEGEL_RESULTS_LIMITS),
    publicLinkSubmissionsPerMinute: env.PUBLIC_LINK_SUBMISSIONS_PER_MINUTE
      ? parsePerMinute(env.PUBLIC_LINK_SUBMISSIONS_PER_MINUTE) : DEFAULTS.publicLinkSubmissionsPerMinute,
  };
}

/** For failures before a Config exists: how much to print (a stack only when debugging). */
export function logLevelOf(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.LOG_LEVEL;
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULTS.port;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StartupError(`PORT moet een geheel getal van 0 tot en met 65535 zijn, niet "${value}".`);
  }
  return port;
}

function parseLimit(value: string): number {
  const bytes = Number(value);
  if (!Number.isInteger(bytes) || bytes < 1) throw new StartupError(`CSV_LIMIT_BYTES moet een geheel aantal bytes zijn (minstens 1), niet "${value}".`);
  return bytes;
}

function parseMinTextGroupSize(value: string): number {
  const size = Number(value);
  // Never below a wave's own floor (3): texts are never shown to a smaller group than numbers.
  if (!Number.isInteger(size) || size < 3 || size > 10000) throw new Error(`MIN_TEXT_GROUP_SIZE must be a whole number from 3 to 10000, got "${value}"`);
  return size;
}

function parsePerMinute(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new StartupError(`PUBLIC_LINK_SUBMISSIONS_PER_MINUTE moet een geheel getal van 1 tot en met 1000000 zijn, niet "${value}".`);
  return n;
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '') return false;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value; // e.g. "loopback" or a list of addresses, as Express accepts
}

/**
 * PostgreSQL only: any other URL (mysql://, a file path, a typo) would otherwise be handed
 * to the pg driver, which fails later with a message that names neither the cause nor the fix.
 */
function parseDatabaseUrl(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new StartupError('DATABASE_URL is geen URL. Gebruik postgres://gebruiker:wachtwoord@host:5432/database, of laat DATABASE_URL weg voor SQLite in DATA_DIR.');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new StartupError(`DATABASE_URL begint met ${url.protocol}// maar Spiegel kent alleen PostgreSQL (postgres://…); laat DATABASE_URL weg voor SQLite in DATA_DIR.`);
  }
  if (!url.hostname && !url.searchParams.get('host')) {
    throw new StartupError('DATABASE_URL noemt geen server. Gebruik postgres://gebruiker:wachtwoord@host:5432/database.');
  }
  return value;
}

/**
 * Anyone holding the signing key can make an admin login, and HMAC keys are guessed from a
 * single token when they are short: 32 bytes is the least that is accepted.
 */
export const MIN_SECRET_BYTES = 32;
const MAKE_KEY = 'openssl rand -base64 48';

function checkedSecret(secret: string): string {
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < MIN_SECRET_BYTES) {
    throw new StartupError(`JWT_SECRET is te kort (${bytes} bytes, minstens ${MIN_SECRET_BYTES}). Maak een sleutel met: ${MAKE_KEY}; of laat JWT_SECRET weg, dan bewaart Spiegel er zelf een in DATA_DIR/jwt-secret.`);
  }
  return secret;
}

/**
 * The signing key is generated on first start and kept beside the database, readable by
 * the owner only, so that a newcomer has nothing to configure and restarts keep sessions.
 * A key that is there is never replaced: an empty or short one (a full disk), one that
 * others can read, or none at all beside an existing database means something is wrong
 * with this data directory, and the operator is told how to repair it.
 */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const fix = `maak een nieuwe met: ${MAKE_KEY} > ${file} && chmod 600 ${file} (wie ingelogd is, moet opnieuw inloggen)`;
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (stat) {
    if (stat.mode & 0o077) {
      throw new StartupError(`${file} is ook voor andere gebruikers toegankelijk (modus ${(stat.mode & 0o777).toString(8)}); maak het privé met: chmod 600 ${file}`);
    }
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (Buffer.byteLength(existing, 'utf8') < MIN_SECRET_BYTES) {
      throw new StartupError(`${file} is leeg of te kort (${Buffer.byteLength(existing, 'utf8')} bytes, minstens ${MIN_SECRET_BYTES}); ${fix}.`);
    }
    return existing;
  }
  if (holdsData(dataDir)) {
    throw new StartupError(`de sleutel ${file} ontbreekt, maar ${dataDir} bevat al een database. Zet de sleutel terug uit een back-up, of ${fix}.`);
  }
  const secret = crypto.randomBytes(48).toString('base64url');
  // 'wx' refuses to overwrite a secret another process wrote a moment ago.
  try {
    fs.writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw err;
  }
  fs.chmodSync(file, 0o600);
  return secret;
}

/** A SQLite database, or (on PostgreSQL) the marker that setup was done with this data directory. */
function holdsData(dataDir: string): boolean {
  return fs.existsSync(sqliteFileFor(dataDir)) || fs.existsSync(setupMarkerFile(dataDir));
}
