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

  it('key random UUIDs by their random bits and other ids by a hash, as whole numbers below 2^53', () => {
    const id = '0123abcd-ef01-4a23-8bcd-ef0123456789';
    // Hex digits 1-8, 10-13 and 16 (the 15th, "4", is the version).
    expect(idKey(id)).to.equal(parseInt('0123abcdef01a', 16));
    const keys = new Set<number>();
    for (let i = 0; i < 50_000; i++) {
      for (const key of [idKey(`import-${i}`), idKey(crypto.randomUUID())]) {
        expect(Number.isSafeInteger(key) && key >= 0).to.equal(true);
        keys.add(key);
      }
    }
    expect(keys.size).to.equal(100_000);
  });

  it('find the same ids in a joined string as in a list', () => {
    const held = new HeldIds();
    const ids = Array.from({ length: 100 }, (_, i) => (i % 2 ? crypto.randomUUID() : `other-${i}`));
    held.add(ids.slice(0, 60));
    expect(held.differenceOf(ids.join(','))).to.deep.equal({ missing: ids.slice(60), found: 60 });
    expect(held.differenceOf('')).to.deep.equal({ missing: [], found: 0 });
  });
});
