import { expect } from 'chai';
import { createPublicLinkLimiter, DAY_MS } from '../../../server/responses/public-link-limit';

describe('the public-link limiter', () => {
  const clock = () => {
    let at = Date.UTC(2026, 10, 30, 9, 0, 0);
    return { now: () => at, advance: (ms: number) => { at += ms; } };
  };

  it('admits the limit per client and link per window, then says how long to wait', () => {
    const time = clock();
    const limiter = createPublicLinkLimiter({ limit: 3, windowMs: 60_000, now: time.now });
    expect([1, 2, 3].map(() => limiter.admit('10.0.0.1', 'link-a').ok)).to.deep.equal([true, true, true]);
    time.advance(15_000);
    expect(limiter.admit('10.0.0.1', 'link-a')).to.deep.equal({ ok: false, retryAfterSeconds: 45 });
    expect(limiter.admit('10.0.0.2', 'link-a').ok, 'another client').to.equal(true);
    expect(limiter.admit('10.0.0.1', 'link-b').ok, 'another link').to.equal(true);
    time.advance(45_000);
    expect(limiter.admit('10.0.0.1', 'link-a').ok, 'a new window').to.equal(true);
  });

  it('keys clients by a salted hash that is replaced every day, and forgets the old counts with it', () => {
    const time = clock();
    const limiter = createPublicLinkLimiter({ limit: 1, now: time.now });
    const morning = limiter.keyFor('10.0.0.1', 'link-a');
    expect(morning).not.to.contain('10.0.0.1');
    limiter.admit('10.0.0.1', 'link-a');
    time.advance(DAY_MS / 2);
    expect(limiter.keyFor('10.0.0.1', 'link-a'), 'same day, same key').to.equal(morning);
    time.advance(DAY_MS / 2);
    const tomorrow = limiter.keyFor('10.0.0.1', 'link-a');
    expect(tomorrow).not.to.equal(morning);
    expect(limiter.size()).to.equal(0);
  });

  it('uses a salt of its own in every process (at every start): the same client gets another key', () => {
    const time = clock();
    const one = createPublicLinkLimiter({ limit: 1, now: time.now });
    const two = createPublicLinkLimiter({ limit: 1, now: time.now });
    expect(one.keyFor('10.0.0.1', 'link-a')).not.to.equal(two.keyFor('10.0.0.1', 'link-a'));
  });

  it('remembers at most maxClients, forgetting the oldest first', () => {
    const time = clock();
    const limiter = createPublicLinkLimiter({ limit: 1, maxClients: 100, now: time.now });
    for (let i = 0; i < 1000; i++) limiter.admit(`10.0.${i >> 8}.${i & 255}`, 'link-a');
    expect(limiter.size()).to.equal(100);
    expect(limiter.admit('10.0.3.231', 'link-a').ok, 'the newest is still counted').to.equal(false);
    expect(limiter.admit('10.0.0.0', 'link-a').ok, 'the oldest was forgotten').to.equal(true);
  });
});
