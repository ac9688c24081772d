// Numbers and ranked choices as items of a comparison (issue 15): per group summaries and a
// rank test on the single values, adjusted in the item's family. Reference values from R
// (tie-corrected, no continuity correction, as the ordinal items):
//   a <- c(1,3,3,5,8,2.5); b <- c(2,4,6,6,9,10); c <- c(3,3,7,12,15)
//   wilcox.test(a, b, exact=FALSE, correct=FALSE)   # W = 9, p-value = 0.148115795918
//   kruskal.test(list(a, b, c))                     # chi-squared = 3.11519668737, p = 0.210641352336
//   quantile(a); quantile(b); mean(a)                # 2.625 3 4.5; 4.5 6 8.25; 3.75
//   ra <- c(1,1,2,3,1,2); rb <- c(3,2,3,3,2,1)       # places of one ranked choice
//   wilcox.test(ra, rb, exact=FALSE, correct=FALSE)  # W = 10, p-value = 0.175734335644
import { expect } from 'chai';
import { Group, compareItems, itemSpecs } from '../../../server/results/crosstabs';
import { instrumentModel } from '../../../server/results/instrument-model';
import { Counts, countsOf } from '../../../server/results/tally-index';
import type { Tally } from '../../../server/results/repository';
import type { InstrumentVersion } from '../../../server/instruments/repository';

const model = instrumentModel({
  id: 'values-v1', key: 'values', version: 1, title: 'V', hash: 'values-v1', meta: {},
  definition: { pages: [{ name: 'p', elements: [
    { type: 'text', inputType: 'number', name: 'jaren', title: 'Hoeveel jaar?' },
    { type: 'ranking', name: 'prio', title: 'Wat eerst?', choices: [{ value: 'veilig', text: 'Veiligheid' }, { value: 'wonen', text: 'Wonen' }, { value: 'werk', text: 'Werk' }] },
  ] }] },
} as InstrumentVersion);

/** A group's counts from its single values: number answers, and per ranked choice its places. */
function counts(numbers: number[], places: Record<string, number[]> = {}): Counts {
  const tallies: Tally[] = [];
  const add = (question: string, row: string, values: number[]) => {
    const k = new Map<string, number>();
    for (const v of values) k.set(String(v), (k.get(String(v)) ?? 0) + 1);
    for (const [value, respondents] of k) tallies.push({ question, row, value, respondents });
  };
  add('jaren', '', numbers);
  for (const [choice, values] of Object.entries(places)) add('prio', choice, values);
  return countsOf(tallies);
}

const group = (key: string): Group => ({ value: key, key, label: key.toUpperCase(), phrase: key });
const a = [1, 3, 3, 5, 8, 2.5];
const b = [2, 4, 6, 6, 9, 10];
const c = [3, 3, 7, 12, 15];
const specs = itemSpecs(model, () => false);

describe('results/crosstabs: numbers and ranked choices compared', () => {
  it('makes a number one item and a ranking one item per choice', () => {
    expect(specs.map((s) => [s.question.name, s.choice?.key ?? null])).to.deep.equal([['jaren', null], ['prio', 'veilig'], ['prio', 'wonen'], ['prio', 'werk']]);
  });

  it('two groups: n, mean, median, quartiles and Mann-Whitney U as R', async () => {
    const [item] = await compareItems(specs.slice(0, 1), [group('a'), group('b')], new Map([['a', counts(a)], ['b', counts(b)]]), 5);
    expect(item.test).to.equal(null);
    expect(item.numbers![0]).to.include({ n: 6, mean: 3.75, median: 3, q1: 2.625, q3: 4.5, iqr: 1.875 });
    expect(item.numbers![1]).to.include({ n: 6, median: 6, q1: 4.5, q3: 8.25 });
    expect(item.rankTest!.method).to.equal('mann-whitney');
    expect(item.rankTest!.statistic).to.equal(9);
    expect(item.rankTest!.p).to.be.closeTo(0.148115795918, 1e-9);
    expect(item.rankTest!.family).to.deep.include({ size: 1, method: 'holm' });
    expect(item.rankTest!.text).to.contain('Mann-Whitney U = 9,00');
  });

  it('three groups: Kruskal-Wallis with the tie correction as R', async () => {
    const groups = [group('a'), group('b'), group('c')];
    const [item] = await compareItems(specs.slice(0, 1), groups, new Map([['a', counts(a)], ['b', counts(b)], ['c', counts(c)]]), 5);
    expect(item.rankTest!.method).to.equal('kruskal-wallis');
    expect(item.rankTest!.statistic).to.be.closeTo(3.11519668737, 1e-9);
    expect(item.rankTest!.df).to.equal(2);
    expect(item.rankTest!.p).to.be.closeTo(0.210641352336, 1e-9);
    expect(item.rankTest!.effectSize).to.be.closeTo(3.11519668737 / 16, 1e-9);
  });

  it('a ranked choice: mean place, first-place share and its test, Holm-adjusted over the choices', async () => {
    const ra = [1, 1, 2, 3, 1, 2];
    const rb = [3, 2, 3, 3, 2, 1];
    const groupCounts = new Map([
      ['a', counts(a, { veilig: ra, wonen: ra.map((p) => (p === 1 ? 2 : 1)), werk: ra.map(() => 3) })],
      ['b', counts(b, { veilig: rb, wonen: rb.map((p) => (p === 1 ? 2 : 1)), werk: rb.map(() => 3) })],
    ]);
    const items = await compareItems(specs, [group('a'), group('b')], groupCounts, 5);
    const veilig = items[1];
    expect(veilig.choice).to.equal('veilig');
    expect(veilig.ranks![0]).to.deep.equal({ n: 6, meanRank: 10 / 6, firstPlaces: 3, firstPlacePercent: 50 });
    expect(veilig.rankTest!.statistic).to.equal(10);
    expect(veilig.rankTest!.p).to.be.closeTo(0.175734335644, 1e-9);
    // All of one page: one family of the number and the two tested choices (werk is 3rd everywhere: not tested).
    expect(items[3].rankTest).to.equal(undefined);
    expect(items[3].reason).to.equal('fewer-than-two-categories');
    expect(veilig.rankTest!.family.size).to.equal(3);
    const ps = [items[0], items[1], items[2]].map((i) => i.rankTest!.p);
    const sorted = [...ps].sort((x, y) => x - y);
    // Holm: the smallest times 3, then times 2 (monotone), the largest times 1.
    const holm = [Math.min(1, sorted[0] * 3)];
    holm.push(Math.max(holm[0], Math.min(1, sorted[1] * 2)));
    holm.push(Math.max(holm[1], Math.min(1, sorted[2])));
    expect([items[0], items[1], items[2]].map((i) => i.rankTest!.pAdjusted).sort((x, y) => x - y)).to.deep.equal(holm);
  });

  it('a group under the minimum is left out, and its values are not shown', async () => {
    const [item] = await compareItems(specs.slice(0, 1), [group('a'), group('b'), group('c')],
      new Map([['a', counts(a)], ['b', counts(b)], ['c', counts([40, 50])]]), 5);
    expect(item.groups).to.deep.equal(['a', 'b']);
    expect(item.numbers).to.have.length(2);
    expect(item.excludedGroups.map((g) => g.value)).to.deep.equal(['c']);
    expect(item.rankTest!.method).to.equal('mann-whitney');
  });

  it('a rest of a few (the whole minus the shown groups) takes a group away: no value by subtraction', async () => {
    // The whole selection: a, b and two more whose group is not among the compared ones.
    const whole = counts([...a, ...b, 40, 50]);
    const [item] = await compareItems(specs.slice(0, 1), [group('a'), group('b')], new Map([['a', counts(a)], ['b', counts(b)]]), 5, { whole, enclosing: [] });
    // Showing both would give the other two's mean as the whole's mean minus theirs.
    expect(item.suppressed).to.equal(true);
    expect(item.numbers).to.equal(undefined);
    expect(item.rankTest).to.equal(undefined);
    expect(item.excludedGroups.map((g) => g.value)).to.deep.equal(['a']);
  });
});
