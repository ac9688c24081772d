// The ids a columnar copy holds (server/results/columns/held-ids.ts): the difference of sets
// that replaced the stored order of seal batches.
import crypto from 'node:crypto';
import { expect } from 'chai';
import { HeldIds, idKey } from '../../server/results/columns/held-ids';

describe('held ids of a columnar copy', () => {
  it('tell the ids not held from those held, in any order', () => {
    const held = new HeldIds();
    const first = Array.from({ length: 1000 }, () => crypto.randomUUID());
    held.add(first);
    const later = Array.from({ length: 10 }, () => crypto.randomUUID());
    const all = [...later.slice(0, 5), ...first.slice().reverse(), ...later.slice(5)];
    const { missing, found } = held.difference(all);
    expect(found).to.equal(1000);
    expect([...missing].sort()).to.deep.equal([...later].sort());
    held.add(missing);
    expect(held.difference(all)).to.deep.equal({ missing: [], found: 1010 });
    expect(held.bytes()).to.equal(1010 * 8);
  });

  it('count a held id that is gone as not found', () => {
    const held = new HeldIds();
    const ids = ['a', 'b', 'c'];
    held.add(ids);
    expect(held.difference(['a', 'c', 'd'])).to.deep.equal({ missing: ['d'], found: 2 });
  });

  it('hash to whole numbers below 2^53, different for near ids', () => {
    const keys = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      const key = idKey(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
      expect(Number.isSafeInteger(key) && key >= 0).to.equal(true);
      keys.add(key);
    }
    expect(keys.size).to.equal(100_000);
  });
});
