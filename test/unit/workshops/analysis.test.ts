import { expect } from 'chai';
import { cellSpread, isDisagreement, rankOptions, sensitivity, fractionValue, Totals } from '../../../server/workshops/analysis';

// Totals are the sums of the scores (- = -1, +/- = 0, + = 1) of one cell over all participants.
function totals(rows: Record<string, Record<string, number>>): Totals {
  const map: Totals = new Map();
  for (const [option, cells] of Object.entries(rows)) map.set(option, new Map(Object.entries(cells)));
  return map;
}

describe('workshop analysis', () => {
  it('counts the spread of a cell and calls it a disagreement when someone scored + and someone -', () => {
    const spread = cellSpread([-1, 0, 1, 1]);
    expect(spread).to.deep.equal({ minus: 1, mixed: 1, plus: 2, n: 4, total: 1 });
    expect(isDisagreement(spread)).to.equal(true);
    expect(isDisagreement(cellSpread([0, 1, 1]))).to.equal(false);
    expect(isDisagreement(cellSpread([-1, -1, 0]))).to.equal(false);
  });

  it('ranks by the weighted mean score, ties sharing a place', () => {
    const t = totals({ a: { x: 3, y: -3 }, b: { x: 0, y: 3 }, c: { x: 3, y: -3 } });
    const equal = rankOptions(['a', 'b', 'c'], ['x', 'y'], t, 3, new Map([['x', 1], ['y', 1]]));
    expect(equal.map((r) => [r.optionId, r.place, r.score])).to.deep.equal([['b', 1, 0.5], ['a', 2, 0], ['c', 2, 0]]);
    const heavyX = rankOptions(['a', 'b', 'c'], ['x', 'y'], t, 3, new Map([['x', 3], ['y', 1]]));
    expect(heavyX.map((r) => [r.optionId, r.place])).to.deep.equal([['a', 1], ['c', 1], ['b', 3]]);
    expect(heavyX[0].score).to.be.closeTo((3 * 3 - 3) / (3 * 4), 1e-12);
  });

  it('gives the exact weights at which the first place changes (worked by hand)', () => {
    const t = totals({ a: { x: 4, y: 0, z: -2 }, b: { x: 1, y: 3, z: 0 }, c: { x: 0, y: 1, z: 3 } });
    const weights = new Map([['x', 2], ['y', 1], ['z', 1]]);
    // a: 8 + 0 - 2 = 6; b: 2 + 3 + 0 = 5; c: 0 + 1 + 3 = 4. Leader a.
    const result = sensitivity(['a', 'b', 'c'], ['x', 'y', 'z'], t, weights);
    expect(result.leader).to.equal('a');
    const byCriterion = new Map(result.criteria.map((c) => [c.criterionId, c]));
    // x: a-b = (4-1)t + (0-3)*1 + (-2-0)*1 = 3t - 5 -> tie at t = 5/3; a-c = 4t - 1 - 5 = 4t - 6 -> t = 3/2.
    // Going down from 2, b draws level first at 5/3.
    const x = byCriterion.get('x')!;
    expect(x.lower).to.deep.equal({ num: 5, den: 3 });
    expect(x.lowerRivals).to.deep.equal(['b']);
    expect(x.upper).to.equal(null);
    // y: a-b = 3*2 + (-2) + (0-3)t = 4 - 3t -> t = 4/3 upward; a-c = 8 - 5 - t = 3 - t -> t = 3. First: b at 4/3.
    const y = byCriterion.get('y')!;
    expect(y.upper).to.deep.equal({ num: 4, den: 3 });
    expect(y.upperRivals).to.deep.equal(['b']);
    expect(y.lower).to.equal(null);
    // z: a-b = 6 + (-3) + (-2)t = 3 - 2t -> 3/2; a-c = 8 - 1 - 5t = 7 - 5t -> 7/5. First: c at 7/5.
    const z = byCriterion.get('z')!;
    expect(z.upper).to.deep.equal({ num: 7, den: 5 });
    expect(z.upperRivals).to.deep.equal(['c']);
    expect(fractionValue(z.upper!)).to.equal(1.4);
  });

  it('says there is no single first place when options are level', () => {
    const t = totals({ a: { x: 2 }, b: { x: 2 } });
    const result = sensitivity(['a', 'b'], ['x'], t, new Map([['x', 1]]));
    expect(result.leader).to.equal(null);
    expect(result.tied).to.deep.equal(['a', 'b']);
    expect(result.criteria).to.deep.equal([]);
  });

  it('agrees with a brute-force scan of each weight on random matrices', () => {
    let seed = 7;
    const random = (k: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % k; };
    for (let round = 0; round < 200; round++) {
      const options = ['a', 'b', 'c', 'd'].slice(0, 2 + random(3));
      const criteria = ['x', 'y', 'z'].slice(0, 1 + random(3));
      const n = 3 + random(4);
      const t: Totals = new Map(options.map((o) => [o, new Map(criteria.map((c) => [c, random(2 * n + 1) - n]))]));
      const weights = new Map(criteria.map((c) => [c, random(6)]));
      const result = sensitivity(options, criteria, t, weights);
      if (result.leader === null) continue;
      // Beyond a bound a named rival leads, or the named rivals (several) share first place.
      const expectRivalAhead = (rivals: string[], ahead: string | null) => {
        if (ahead === null) expect(rivals.length).to.be.greaterThan(1);
        else expect(rivals).to.include(ahead);
      };
      // The leader at weight num/den for criterion c, in integers (every weight times den), so ties are exact.
      const leaderAt = (c: string, num: number, den = 1) => {
        const trial = new Map([...weights].map(([k, w]) => [k, k === c ? num : w * den]));
        const scores = options.map((o) => criteria.reduce((s, k) => s + trial.get(k)! * t.get(o)!.get(k)!, 0));
        const best = Math.max(...scores);
        const leaders = options.filter((_, i) => scores[i] === best);
        return leaders.length === 1 ? leaders[0] : null;
      };
      for (const c of result.criteria) {
        const low = c.lower ?? { num: 0, den: 1 };
        const high = c.upper ?? { num: 50, den: 1 };
        // Strictly inside the interval the leader stays (checked at 19 points, exactly).
        const den = low.den * high.den * 20;
        for (let step = 1; step < 20; step++) {
          const num = (low.num * high.den * (20 - step) + high.num * low.den * step);
          expect(leaderAt(c.criterionId, num, den), `round ${round} ${c.criterionId} at ${num}/${den}`).to.equal(result.leader);
        }
        // At the bounds a rival draws level; just beyond them a named rival leads.
        if (c.lower) {
          expect(leaderAt(c.criterionId, c.lower.num, c.lower.den), `round ${round}`).to.not.equal(result.leader);
          if (c.lower.num > 0) expectRivalAhead(c.lowerRivals, leaderAt(c.criterionId, c.lower.num * 1000 - 1, c.lower.den * 1000));
        }
        if (c.upper) {
          expect(leaderAt(c.criterionId, c.upper.num, c.upper.den)).to.not.equal(result.leader);
          expectRivalAhead(c.upperRivals, leaderAt(c.criterionId, c.upper.num * 1000 + 1, c.upper.den * 1000));
        }
      }
    }
  });
});
