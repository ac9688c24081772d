// The only module that reads process.env. Everything else receives a Config.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

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
}

export const DEFAULTS = {
  port: 3000,
  host: '127.0.0.1',
  dataDir: './data',
  tokenTtlSeconds: 60 * 60,
  jsonLimitBytes: 256 * 1024,
  csvLimitBytes: 5 * 1024 * 1024,
  quickExitUrl: 'https://www.google.nl/search?q=weerbericht',
  minTextGroupSize: 10,
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
    databaseUrl: env.DATABASE_URL || null,
    jwtSecret: env.JWT_SECRET || readOrCreateSecret(dataDir),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    surveysDir: path.resolve(env.SURVEYS_DIR || path.join(REPO_ROOT, 'surveys')),
    tokenTtlSeconds: DEFAULTS.tokenTtlSeconds,
    jsonLimitBytes: DEFAULTS.jsonLimitBytes,
    csvLimitBytes: env.CSV_LIMIT_BYTES ? parseLimit(env.CSV_LIMIT_BYTES) : DEFAULTS.csvLimitBytes,
    quickExitUrl: env.QUICK_EXIT_URL || DEFAULTS.quickExitUrl,
    publicUrl: env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : null,
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    minTextGroupSize: env.MIN_TEXT_GROUP_SIZE ? parseMinTextGroupSize(env.MIN_TEXT_GROUP_SIZE) : DEFAULTS.minTextGroupSize,
  };
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULTS.port;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, got "${value}"`);
  }
  return port;
}

function parseLimit(value: string): number {
  const bytes = Number(value);
  if (!Number.isInteger(bytes) || bytes < 1) throw new Error(`CSV_LIMIT_BYTES must be a whole number of bytes, got "${value}"`);
  return bytes;
}

function parseMinTextGroupSize(value: string): number {
  const size = Number(value);
  // Never below a wave's own floor (3): texts are never shown to a smaller group than numbers.
  if (!Number.isInteger(size) || size < 3 || size > 10000) throw new Error(`MIN_TEXT_GROUP_SIZE must be a whole number from 3 to 10000, got "${value}"`);
  return size;
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '') return false;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value; // e.g. "loopback" or a list of addresses, as Express accepts
}

/**
 * The signing key is generated on first start and kept beside the database, readable by
 * the owner only, so that a newcomer has nothing to configure and restarts keep sessions.
 */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
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
