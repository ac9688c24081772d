// An express-rate-limit Store on the database, used when Spiegel runs on PostgreSQL, where
// several processes may serve one installation: the budget of an address or an account is
// then one budget, whichever process a request reaches. (On SQLite there is one process,
// and the library's memory store is exact and cheaper.)
//
// When the database does not answer in time, the limiter fails closed: the request is
// refused with 503 and Retry-After. What is limited (logins, setup) needs the database
// anyway, so failing closed costs nothing that could have worked, whereas failing open
// would hand unlimited password guesses to whoever can make the database slow.
import type { Options, Store, ClientRateLimitInfo } from 'express-rate-limit';
import type { Knex } from 'knex';
import { RetryLaterError } from '../http/errors';
import { t } from '../i18n/messages';
import { createRateLimitRepository, RateLimitRepository } from './repository';

const RETRY_AFTER_SECONDS = 30;
/** How often a process deletes ended windows, at most. */
const CLEANUP_EVERY_MS = 60_000;

export interface DatabaseStoreOptions {
  /** Told about a failing store (the request itself is refused). */
  onError?: (err: unknown) => void;
  /** The clock; tests move it. */
  now?: () => number;
}

export class DatabaseRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  private lastCleanup = 0;
  private readonly now: () => number;

  constructor(private readonly repository: RateLimitRepository, readonly prefix: string, private readonly options: DatabaseStoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const hits = await this.guard(() => this.repository.get(key, this.now()));
    return hits && { totalHits: hits.totalHits, resetTime: new Date(hits.resetAt) };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const now = this.now();
    const hits = await this.guard(() => this.repository.increment(key, now, this.windowMs));
    this.cleanUp(now);
    return { totalHits: hits.totalHits, resetTime: new Date(hits.resetAt) };
  }

  /** A failed decrement leaves one hit too many: the safe side, so it is reported, not thrown. */
  async decrement(key: string): Promise<void> {
    try {
      await this.repository.decrement(key, this.now());
    } catch (err) {
      this.options.onError?.(err);
    }
  }

  async resetKey(key: string): Promise<void> {
    await this.guard(() => this.repository.reset(key));
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      this.options.onError?.(err);
      throw new RetryLaterError(503, 'limits_unavailable', t('errors.limitsUnavailable'), RETRY_AFTER_SECONDS);
    }
  }

  /** Ended windows are deleted now and then, by whichever process counts; never awaited by a request. */
  private cleanUp(now: number): void {
    if (now - this.lastCleanup < CLEANUP_EVERY_MS) return;
    this.lastCleanup = now;
    this.repository.deleteExpired(now).catch((err: unknown) => this.options.onError?.(err));
  }
}

/** A factory of database stores, one per limiter (express-rate-limit wants a store of its own for each). */
export function databaseRateLimitStores(db: Knex, options: DatabaseStoreOptions = {}): (name: string) => Store {
  const repository = createRateLimitRepository(db);
  return (name) => new DatabaseRateLimitStore(repository, name, options);
}
