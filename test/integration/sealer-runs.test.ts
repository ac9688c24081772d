// The sealer's runs (server/sealing/sealer.ts): asked for many times while a run waits to
// start, it runs once. Each stored submission and each results read used to append a run of
// its own; when runs took longer than they came, a read waited for the whole chain.
import { expect } from 'chai';
import { createTestDb, TestDb } from '../helpers/db';
import { createStore, Store } from '../../server/store';
import { createSealer } from '../../server/sealing/sealer';
import { createLogger } from '../../server/log';

describe('the sealer\'s runs', () => {
  let t: TestDb;
  let runs: number;
  let store: Store;
  beforeEach(async () => {
    t = await createTestDb();
    const real = createStore(t.db);
    runs = 0;
    // Every run begins by asking which waves wait: counted here.
    store = { ...real, repos: { ...real.repos, pending: { ...real.repos.pending, waiting: () => { runs += 1; return real.repos.pending.waiting(); } } } };
  });
  afterEach(() => t.close());

  it('shares a run that has not started yet among all who ask meanwhile, for every wave or for one', async () => {
    const sealer = createSealer(store, createLogger('silent'), { timeoutMs: 10_000, intervalMs: 0 });
    const asked = [sealer.sealDue(), sealer.sealWave('w1'), sealer.sealDue(), sealer.sealWave('w2'), sealer.sealDue()];
    await Promise.all(asked);
    expect(runs).to.equal(1);
    // Once it ran, the next ask is a new run.
    await sealer.sealDue();
    expect(runs).to.equal(2);
  });

  it('runs a run of every wave after one of a single wave that has not started', async () => {
    const sealer = createSealer(store, createLogger('silent'), { timeoutMs: 10_000, intervalMs: 0 });
    await Promise.all([sealer.sealWave('w1'), sealer.sealWave('w1'), sealer.sealDue()]);
    expect(runs).to.equal(2);
  });

  it('lets a results read wait at most readWaitMs for a run in flight, while a close waits for all of it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const real = store.repos.pending;
    // The run's first step is held, as a run with PostgreSQL's VACUUM behind it is under load.
    const slow: Store = { ...store, repos: { ...store.repos, pending: { ...real, waiting: async () => { await held; return real.waiting(); } } } };
    const sealer = createSealer(slow, createLogger('silent'), { timeoutMs: 10_000, intervalMs: 0, readWaitMs: 100 });
    let closed = false;
    const close = sealer.sealWave('w1').then(() => { closed = true; });
    const started = Date.now();
    await sealer.sealForRead('w1');
    const waited = Date.now() - started;
    expect(waited, 'the read waited').to.be.within(80, 5000);
    expect(closed, 'the close is still waiting for the run').to.equal(false);
    release();
    await close;
    expect(closed).to.equal(true);
    expect(runs, 'the read shared the run, it did not start another').to.equal(1);
  });
});
