// The complement rule's pure parts (server/results/disclosure.ts) and the per-week counts
// (server/waves/per-day.ts); the attack they stop is test/http/differencing.test.ts.
import { expect } from 'chai';
import { cellsShown, enclosingFilterSets, enclosingMasks, groupShown, partitionCells, partitionShown, restOk, shownGroups } from '../../../server/results/disclosure';
import { isoWeek, perDayOrWeek } from '../../../server/waves/per-day';

const f = (question: string, value: string) => ({ question, row: '', value });

describe('the complement rule', () => {
  it('allows a rest of nobody or of at least the minimum, nothing in between', () => {
    expect([0, 1, 4, 5, 6].map((rest) => restOk(13, 13 - rest, 5))).to.deep.equal([true, false, false, true, true]);
  });

  it('shows a group only when it and its rest in every enclosing group are large enough', () => {
    expect(groupShown(12, [13], 5)).to.equal(false); // the 12 professionals of 13
    expect(groupShown(7, [13], 5)).to.equal(true);
    expect(groupShown(6, [7, 12], 5)).to.equal(false); // within 7, one is left
    expect(groupShown(4, [], 5)).to.equal(false);
  });

  it('takes as enclosing selections every proper subset of the filters, those with one left out first', () => {
    expect(enclosingFilterSets([])).to.deep.equal([]);
    expect(enclosingFilterSets([f('b_role', 'student')])).to.deep.equal([[]]);
    const sets = enclosingFilterSets([f('a', '1'), f('b', '2'), f('c', '3')]);
    expect(sets.map((s) => s.map((x) => x.question).join(''))).to.deep.equal(['bc', 'ac', 'ab', 'c', 'b', 'a', '']);
    expect(enclosingMasks(2)).to.deep.equal([2, 1, 0]);
  });

  it('finds the cells of the partition by the filters as an attacker would, by inclusion–exclusion', () => {
    // A&B 5, A&¬B 5, ¬A&B 5, ¬A&¬B 1: together(A)=10, together(B)=10, together(AB)=5, everyone 16.
    const together = new Map([[0, 16], [1, 10], [2, 10], [3, 5]]);
    expect(partitionCells(2, (m) => together.get(m)!)).to.deep.equal([1, 5, 5, 5]);
    expect(partitionShown(2, (m) => together.get(m)!, 5)).to.equal(false);
    // Every pairwise rest is large enough, so the complement rule alone would show A&B.
    expect(groupShown(5, [10, 10], 5)).to.equal(true);
    expect(cellsShown(2, 5, [10, 10, 16], 5)).to.equal(false);
    expect(cellsShown(2, 5, [10, 10, 20], 5)).to.equal(true);
    expect(cellsShown(2, 5, [10, 10, 15], 5)).to.equal(true); // the fourth cell is nobody
    // Three filters: the cell ¬A&¬B&¬C of a cube of twos plus one.
    const cube = (m: number) => [15, 8, 8, 4, 8, 4, 4, 2][m];
    expect(partitionCells(3, cube)).to.deep.equal([1, 2, 2, 2, 2, 2, 2, 2]);
  });

  it('lets the smallest groups shown join the rest until the rest is nobody or at least the minimum', () => {
    const groups = [{ key: 'a', n: 10 }, { key: 'b', n: 6 }, { key: 'c', n: 2 }];
    const keys = (s: Set<{ key: string }>) => [...s].map((g) => g.key).sort();
    expect(keys(shownGroups(groups, 18, 5, () => true))).to.deep.equal(['a']); // c (2) alone is the rest: b joins it
    expect(keys(shownGroups(groups, 23, 5, () => true))).to.deep.equal(['a', 'b']); // rest 7: c and 5 who did not answer
    expect(keys(shownGroups(groups.slice(0, 2), 16, 5, () => true))).to.deep.equal(['a', 'b']);
    expect(keys(shownGroups([{ key: 'p', n: 12 }, { key: 's', n: 1 }], 13, 5, () => true))).to.deep.equal([]);
    expect(keys(shownGroups(groups, null, 5, (g) => g.key !== 'a'))).to.deep.equal(['b']);
  });
});

describe('responses per day', () => {
  it('names ISO weeks, also across a year boundary', () => {
    expect(isoWeek('2026-11-25')).to.deep.equal({ week: '2026-W48', monday: '2026-11-23' });
    expect(isoWeek('2026-01-01')).to.deep.equal({ week: '2026-W01', monday: '2025-12-29' });
    expect(isoWeek('2027-01-01')).to.deep.equal({ week: '2026-W53', monday: '2026-12-28' });
    expect(isoWeek('2026-11-29')).to.deep.equal({ week: '2026-W48', monday: '2026-11-23' });
  });

  it('counts per week once any day is below the minimum, per day otherwise', () => {
    const days = [{ day: '2026-11-23', count: 6 }, { day: '2026-11-24', count: 2 }, { day: '2026-11-30', count: 5 }];
    expect(perDayOrWeek(days, 5)).to.deep.equal([{ week: '2026-W48', from: '2026-11-23', count: 8 }, { week: '2026-W49', from: '2026-11-30', count: 5 }]);
    expect(perDayOrWeek(days, 2)).to.deep.equal(days);
  });
});
