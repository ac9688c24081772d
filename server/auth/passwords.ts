// Passwords are hashed with scrypt, node's memory-hard KDF. The parameters are stored with
// each hash so they can be raised later without breaking existing accounts.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { RetryLaterError } from '../http/errors';
import { t } from '../i18n/messages';

const scrypt = promisify(crypto.scrypt) as (
  password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions,
) => Promise<Buffer>;

const COST = 2 ** 15; // ~32 MiB of memory per hash
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await derive(password, salt, COST, BLOCK_SIZE, PARALLELISM);
  return ['scrypt', COST, BLOCK_SIZE, PARALLELISM, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, keyText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !keyText) return false;
  const expected = Buffer.from(keyText, 'base64');
  const key = await derive(password, Buffer.from(saltText, 'base64'), Number(n), Number(r), Number(p));
  return key.length === expected.length && crypto.timingSafeEqual(key, expected);
}

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return hashSlots.run(() => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }));
}

/**
 * scrypt runs on libuv's thread pool, 4 threads unless UV_THREADPOOL_SIZE says otherwise,
 * and so does every sqlite3 statement (and fs, and DNS). Unbounded, a burst of logins or
 * setups, with any password, fills all four threads with ~100 ms hashes and every survey
 * page and submission waits behind them. So at most HASH_SLOTS hashes run at once, which
 * leaves the other threads to the database; a few more wait their turn, and beyond that a
 * request is refused at once with 503 and Retry-After instead of queueing without end.
 */
export const HASH_SLOTS = 2;
export const HASH_QUEUE = 16;
const RETRY_AFTER_SECONDS = 2;

export interface HashSlotStats {
  /** Hashes running now. */
  running: number;
  /** The most that ever ran at once since the last resetPeak(). */
  peak: number;
  /** Hashes waiting for a slot now. */
  waiting: number;
  /** Hashes refused because the queue was full. */
  refused: number;
}

function createSlots(slots: number, queue: number) {
  const stats: HashSlotStats = { running: 0, peak: 0, waiting: 0, refused: 0 };
  const waiting: Array<() => void> = [];
  return {
    stats,
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (stats.running >= slots) {
        if (waiting.length >= queue) {
          stats.refused++;
          throw new RetryLaterError(503, 'busy', t('errors.busy'), RETRY_AFTER_SECONDS);
        }
        // release() hands its slot straight to the first waiter: `running` stays as it is.
        await new Promise<void>((resolve) => { stats.waiting = waiting.push(resolve); });
      } else {
        stats.running++;
      }
      stats.peak = Math.max(stats.peak, stats.running);
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        stats.waiting = waiting.length;
        if (next) next();
        else stats.running--;
      }
    },
  };
}

const hashSlots = createSlots(HASH_SLOTS, HASH_QUEUE);

/** What the hash slots are doing: for tests, benchmarks and an operator's eyes. */
export const passwordHashing = {
  stats: (): HashSlotStats => ({ ...hashSlots.stats }),
  resetPeak: () => { hashSlots.stats.peak = hashSlots.stats.running; },
};

/**
 * A hash to verify against when the email is unknown, so that a wrong password and an
 * unknown email take the same time and give the same answer.
 */
let decoyHash: Promise<string> | null = null;
export function decoyPasswordHash(): Promise<string> {
  // A refused hash (all slots busy) must not be kept: the next login tries again.
  decoyHash ??= hashPassword(crypto.randomBytes(16).toString('hex')).catch((err: unknown) => {
    decoyHash = null;
    throw err;
  });
  return decoyHash;
}
