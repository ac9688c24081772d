// The database store of the rate limits (server/rate-limits/): exact counts under
// concurrency, windows that end, ended rows deleted, and a refusal (never a hang, never a
// pass) when the database does not answer. Runs on SQLite and on PostgreSQL.
import { expect } from 'chai';
import knex from 'knex';
import { createTestDb, TestDb } from '../helpers/db';
import { createRateLimitRepository, RateLimitTimeoutError } from '../../server/rate-limits/repository';
import { DatabaseRateLimitStore } from '../../server/rate-limits/db-store';
import { RetryLaterError } from '../../server/http/errors';
import type { Options } from 'express-rate-limit';

const WINDOW = 60_000;
const KEY = 'a'.repeat(64);

describe('the database store of the rate limits', () => {
  let t: TestDb;
  beforeEach(async () => { t = await createTestDb(); });
  afterEach(() => t.close());

  it('counts every one of many hits sent at the same moment, once each', async () => {
    const repository = createRateLimitRepository(t.db);
    const now = 1_000_000;
    const results = await Promise.all(Array.from({ length: 40 }, () => repository.increment(KEY, now, WINDOW)));
    expect(results.map((r) => r.totalHits).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.resetAt))).to.deep.equal(new Set([now + WINDOW]));
  });

  it('starts a new window once the old one has ended, and takes back a hit within the window only', async () => {
    const repository = createRateLimitRepository(t.db);
    await repository.increment(KEY, 0, WINDOW);
    await repository.increment(KEY, 10, WINDOW);
    await repository.decrement(KEY, 20);
    expect(await repository.get(KEY, 30)).to.deep.equal({ totalHits: 1, resetAt: WINDOW });
    expect(await repository.get(KEY, WINDOW)).to.equal(undefined);
    expect(await repository.increment(KEY, WINDOW, WINDOW)).to.deep.equal({ totalHits: 1, resetAt: 2 * WINDOW });
    await repository.decrement(KEY, 3 * WINDOW); // the window has ended: nothing to take back
    expect(await t.db('rate_limit_hits').where('key_hash', KEY).first('hits')).to.deep.include({ hits: 1 });
  });

  it('deletes the rows whose window has ended, and only those', async () => {
    const repository = createRateLimitRepository(t.db);
    await repository.increment('b'.repeat(64), 0, WINDOW);
    await repository.increment('c'.repeat(64), 0, 3 * WINDOW);
    expect(await repository.deleteExpired(2 * WINDOW)).to.equal(1);
    expect(await t.db('rate_limit_hits').pluck('key_hash')).to.deep.equal(['c'.repeat(64)]);
  });

  it('as a store: deletes ended windows while it counts, without being asked', async () => {
    let now = 0;
    const store = new DatabaseRateLimitStore(createRateLimitRepository(t.db), 'login-address', { now: () => now });
    store.init({ windowMs: WINDOW } as Options);
    await store.increment('d'.repeat(64));
    now = 10 * WINDOW; // long after: the next hit (another key) clears the old row
    expect(await store.increment('e'.repeat(64))).to.deep.equal({ totalHits: 1, resetTime: new Date(11 * WINDOW) });
    while ((await t.db('rate_limit_hits').pluck('key_hash')).includes('d'.repeat(64))) await new Promise((resolve) => setImmediate(resolve));
    expect(await t.db('rate_limit_hits').pluck('key_hash')).to.deep.equal(['e'.repeat(64)]);
  });

  it('as a store: refuses with 503 and Retry-After when the database does not answer in time', async () => {
    // A pool of one connection, held elsewhere: the store's statement cannot even start.
    const stuck = knex({ ...t.db.client.config, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 60_000 });
    const held = await stuck.client.acquireConnection();
    const errors: unknown[] = [];
    try {
      const store = new DatabaseRateLimitStore(createRateLimitRepository(stuck, { timeoutMs: 300 }), 'login-address', { onError: (err) => errors.push(err) });
      store.init({ windowMs: WINDOW } as Options);
      const refusal = await store.increment(KEY).then(() => null, (err: unknown) => err);
      expect(refusal).to.be.instanceOf(RetryLaterError);
      expect(refusal).to.deep.include({ status: 503, code: 'limits_unavailable' });
      expect((refusal as RetryLaterError).retryAfterSeconds).to.be.above(0);
      expect(errors[0]).to.be.instanceOf(RateLimitTimeoutError);
      // Taking a hit back never throws: one hit too many is the safe side.
      await store.decrement(KEY);
    } finally {
      await stuck.client.releaseConnection(held);
      await stuck.raw('select 1'); // the abandoned statements, queued before it, have run
      await stuck.destroy();
    }
  });
});
