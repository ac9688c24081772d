import { expect } from 'chai';
import { setMayBeShown, quartileOf, MIN_ORGANISATIONS_FLOOR } from '../../../server/benchmarks/disclosure';

const orgs = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `o${i + from}`);

describe('network benchmark disclosure', () => {
  it('never allows a minimum below five organisations', () => {
    expect(MIN_ORGANISATIONS_FLOOR).to.equal(5);
    expect(setMayBeShown([], orgs(4), 3)).to.equal(false);
    expect(setMayBeShown([], orgs(5), 3)).to.equal(true);
  });

  it('shows a set of at least the minimum when nothing was shown before', () => {
    expect(setMayBeShown([], orgs(5), 5)).to.equal(true);
    expect(setMayBeShown([], orgs(4), 5)).to.equal(false);
    expect(setMayBeShown([], orgs(6), 7)).to.equal(false);
  });

  it('refuses a set that differs from one shown before by fewer than the minimum (an opt-out, a newcomer)', () => {
    expect(setMayBeShown([orgs(6)], orgs(5), 5)).to.equal(false); // six, then six minus one
    expect(setMayBeShown([orgs(6)], orgs(7), 5)).to.equal(false); // six, then six plus one
    expect(setMayBeShown([orgs(6)], [...orgs(5), 'o9'], 5)).to.equal(false); // one swapped for another
    expect(setMayBeShown([orgs(6)], orgs(6), 5)).to.equal(true); // the same set again
    expect(setMayBeShown([orgs(6)], orgs(11), 5)).to.equal(true); // five newcomers together
  });

  it('looks at every set shown before together: no combination singles an organisation out', () => {
    // {1..10} and {6..15} were shown; {1..5, 11..15} would let {6..10} and {1..5} be combined
    // into nothing new (atoms 1-5, 6-10, 11-15 of five each) - allowed. {1..4, 11..15} is not.
    const history = [orgs(10), orgs(10, 6)];
    expect(setMayBeShown(history, [...orgs(5), ...orgs(5, 11)], 5)).to.equal(true);
    expect(setMayBeShown(history, [...orgs(4), ...orgs(5, 11)], 5)).to.equal(false);
  });

  it('places a value among the organisations in quartiles, ties by mid-rank, never naming others', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(values.map((v) => quartileOf(v, values))).to.deep.equal([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(quartileOf(3, [3, 3, 3, 3, 3])).to.equal(3);
    expect(quartileOf(10, [1, 2, 3, 4, 10])).to.equal(4);
    expect(quartileOf(1, [1, 2, 3, 4, 10])).to.equal(1);
  });
});
