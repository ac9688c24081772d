import { expect } from 'chai';
import { createReadLimiter } from '../../../server/results/read-limits';
import { RetryLaterError } from '../../../server/http/errors';

/** A read that ends when told to. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  return { open, opened };
}

describe('read limits', () => {
  it('run at most perUser reads of one user and overall reads in all, the rest in turn', async () => {
    const limiter = createReadLimiter({ perUser: 2, overall: 3, queuePerUser: 10 });
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const read = (user: string, name: string) => limiter.run(user, async () => {
      started.push(name);
      const g = gate();
      gates.set(name, g);
      await g.opened;
      return name;
    });
    const all = [read('a', 'a1'), read('a', 'a2'), read('a', 'a3'), read('b', 'b1'), read('c', 'c1')];
    await new Promise((r) => setImmediate(r));
    // a3 waits for a's turn; b1 takes the third place overall; c1 waits for any.
    expect(started).to.deep.equal(['a1', 'a2', 'b1']);
    expect(limiter.load()).to.deep.equal({ running: 3, waiting: 2 });
    gates.get('b1')!.open();
    await new Promise((r) => setImmediate(r));
    // b's place goes to c1: a3 may not start while a has two running.
    expect(started).to.deep.equal(['a1', 'a2', 'b1', 'c1']);
    gates.get('a1')!.open();
    await new Promise((r) => setImmediate(r));
    expect(started).to.deep.equal(['a1', 'a2', 'b1', 'c1', 'a3']);
    for (const name of ['a2', 'a3', 'c1']) gates.get(name)!.open();
    expect(await Promise.all(all)).to.deep.equal(['a1', 'a2', 'a3', 'b1', 'c1']);
    expect(limiter.load()).to.deep.equal({ running: 0, waiting: 0 });
  });

  it('tell a user with too many reads waiting to come back later, and free the turn of a read that fails', async () => {
    const limiter = createReadLimiter({ perUser: 1, overall: 1, queuePerUser: 1 });
    const g = gate();
    const first = limiter.run('a', () => g.opened);
    const second = limiter.run('a', async () => { throw new Error('boom'); });
    let refused: unknown = null;
    await limiter.run('a', async () => 1).catch((err) => { refused = err; });
    expect(refused).to.be.instanceOf(RetryLaterError);
    g.open();
    await first;
    let failed: unknown = null;
    await second.catch((err) => { failed = err; });
    expect((failed as Error).message).to.equal('boom');
    expect(await limiter.run('a', async () => 'again')).to.equal('again');
  });

  it('refuse a read that has not had its turn within waitMs (503 with Retry-After), and take it out of the line', async () => {
    const limiter = createReadLimiter({ perUser: 1, overall: 1, queuePerUser: 5, waitMs: 50 });
    const g = gate();
    const held = limiter.run('a', () => g.opened);
    let refused: unknown = null;
    const started = Date.now();
    await limiter.run('b', async () => 'never').catch((err) => { refused = err; });
    expect(Date.now() - started).to.be.at.least(45);
    expect(refused).to.be.instanceOf(RetryLaterError);
    expect((refused as RetryLaterError).status).to.equal(503);
    expect((refused as RetryLaterError).retryAfterSeconds).to.be.above(0);
    expect(limiter.load()).to.deep.equal({ running: 1, waiting: 0 });
    g.open();
    await held;
    expect(await limiter.run('b', async () => 'now')).to.equal('now');
  });

  it('refuse with the messages it was given', async () => {
    const limiter = createReadLimiter({ perUser: 1, overall: 1, queuePerUser: 0, waitMs: 10 }, { perUser: 'eigen', waited: 'gewacht' });
    const g = gate();
    const held = limiter.run('a', () => g.opened);
    const own = await limiter.run('a', async () => 1).catch((err: Error) => err);
    expect((own as RetryLaterError).status).to.equal(429);
    expect((own as Error).message).to.equal('eigen');
    g.open();
    await held;
  });
});
