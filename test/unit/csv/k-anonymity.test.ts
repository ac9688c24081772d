import { expect } from 'chai';
import { assigner, combinationKey, planSuppression } from '../../../server/csv/k-anonymity';

/** Rows of background values → the counts the planner reads. */
function countsOf(rows: string[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(combinationKey(row), (counts.get(combinationKey(row)) ?? 0) + 1);
  return counts;
}

const repeat = (row: string[], n: number) => Array.from({ length: n }, () => [...row]);

/** The rows as exported, a blank printed as its own category '*'. */
const printed = (rows: string[][], k: number) => {
  const plan = planSuppression(countsOf(rows), rows[0]?.length ?? 0, k);
  const next = assigner(plan);
  return { plan, rows: rows.map((r) => next(r).map((v) => v ?? '*')) };
};

function smallestGroup(rows: string[][]): number {
  const counts = countsOf(rows);
  return Math.min(...counts.values());
}

const blanksIn = (rows: string[][]) => rows.flat().filter((v) => v === '*').length;

describe('local suppression for a k-anonymous export', () => {
  it('leaves data alone that is k-anonymous already', () => {
    const rows = [...repeat(['prof', 'opvang', 'ja'], 3), ...repeat(['student', '', 'nee'], 3)];
    const out = printed(rows, 3);
    expect(out.rows).to.deep.equal(rows);
    expect(out.plan.counts).to.deep.equal([0, 0, 0]);
  });

  it('moves a large enough group along when the rare row cannot join one on its own (hand-worked: 4 blanks, the fewest)', () => {
    // The one professional in 'mee' with experience. Blanking one of her values alone leaves
    // her alone in what is printed. Three blanks cannot do: whichever two others she joins,
    // they leave a group of one behind. Four: her experience and that of the three (prof,
    // mee, nee) rows, printed (prof, mee, *) four times (or her sector and the opvang rows').
    const rows = [...repeat(['prof', 'opvang', 'ja'], 3), ...repeat(['prof', 'mee', 'nee'], 3), ['prof', 'mee', 'ja']];
    const out = printed(rows, 3);
    expect(out.rows).to.deep.equal([...repeat(['prof', 'opvang', 'ja'], 3), ...repeat(['prof', 'mee', '*'], 4)]);
    expect(out.plan.counts).to.deep.equal([0, 0, 4]);
  });

  it('needs only as many blanks as rare rows when one variable joins them all (hand-worked: 2 blanks)', () => {
    // Two unique sectors among professionals with experience: blanking the sector of both
    // gives (prof, *, ja) twice, plus... too few for k = 3; blanking experience gives
    // (prof, jeugd, *) and (prof, mee, *): one each, too few. Blanking the sector of both
    // while a third rare row (prof, wijk, ja) exists gives a group of three: 3 blanks.
    const rows = [
      ...repeat(['prof', 'opvang', 'ja'], 4),
      ['prof', 'jeugd', 'ja'], ['prof', 'mee', 'ja'], ['prof', 'wijk', 'ja'],
    ];
    const out = printed(rows, 3);
    expect(out.rows.slice(4)).to.deep.equal(repeat(['prof', '*', 'ja'], 3));
    expect(out.rows.slice(0, 4)).to.deep.equal(repeat(['prof', 'opvang', 'ja'], 4));
    expect(blanksIn(out.rows)).to.equal(3);
    expect(out.plan.counts).to.deep.equal([0, 3, 0]);
  });

  it('blanks the variable that lifts most rows, not the first one (hand-worked: 2 blanks, not 4)', () => {
    // Two rare rows (student, a, ja) and (student, a, nee): blanking experience folds them into
    // (student, a, *) of 2 plus the two (student, a, *)... k = 2 is met by blanking
    // experience in both: 2 blanks. Blanking the role would give (*, a, ja) and (*, a, nee): one each.
    const rows = [
      ...repeat(['prof', 'b', 'ja'], 2),
      ['student', 'a', 'ja'], ['student', 'a', 'nee'],
    ];
    const out = printed(rows, 2);
    expect(out.rows.slice(2)).to.deep.equal([['student', 'a', '*'], ['student', 'a', '*']]);
    expect(blanksIn(out.rows)).to.equal(2);
  });

  it('folds several rare rows into a combination they create together (hand-worked: 3 blanks)', () => {
    // (prof, *, ja) is not in the input; blanking the sector of the three unique
    // professionals creates it, three rows strong.
    const rows = [
      ...repeat(['student', '', 'nee'], 5),
      ['prof', 'a', 'ja'], ['prof', 'b', 'ja'], ['prof', 'c', 'ja'],
    ];
    const out = printed(rows, 3);
    expect(smallestGroup(out.rows)).to.be.at.least(3);
    expect(blanksIn(out.rows)).to.equal(3);
  });

  it('never drops a row and keeps a real missing answer apart from a blank', () => {
    const rows = [...repeat(['student', '', 'nee'], 3), ['student', 'x', 'nee']];
    const out = printed(rows, 3);
    expect(out.rows).to.have.length(4);
    // '' (not asked) and '*' (blanked) differ, so the last row cannot hide among the first
    // three by its own blank: they give way too, and all four print the blank.
    expect(out.rows).to.deep.equal(repeat(['student', '*', 'nee'], 4));
  });

  it('takes only the rows it needs from a large group to hide a row that differs in everything (hand-worked: 4 + 4 × 4 blanks)', () => {
    // One professional among 20 identical students: she differs in role, sector, institution
    // and experience. She cannot join anyone by fewer than four blanks, and four students must
    // join her; the other 16 students keep every value.
    const rows = [...repeat(['student', '', 'hhs', 'nee'], 20), ['prof', 'opvang', '', 'ja']];
    const out = printed(rows, 5);
    expect(smallestGroup(out.rows)).to.be.at.least(5);
    expect(out.rows.filter((r) => r.join() === 'student,,hhs,nee')).to.have.length(16);
    expect(out.rows.filter((r) => r.join() === '*,*,*,*')).to.have.length(5);
    expect(blanksIn(out.rows)).to.equal(20);
  });

  it('blanks everything and says so when the wave has fewer rows than k', () => {
    const out = printed([['prof', 'a', 'ja'], ['student', '', 'nee']], 3);
    expect(out.rows).to.deep.equal([['*', '*', '*'], ['*', '*', '*']]);
    expect(out.plan.reached).to.equal(false);
  });

  it('counts the blanks per variable for the codebook', () => {
    const rows = [...repeat(['prof', 'a', 'ja'], 3), ['prof', 'b', 'ja'], ['prof', 'c', 'ja'], ['prof', 'd', 'ja']];
    const out = printed(rows, 3);
    expect(out.plan.counts).to.deep.equal([0, 3, 0]);
  });

  describe('on random data (property)', () => {
    // A seeded generator, so that a failure can be reproduced.
    function random(seed: number) {
      let s = seed >>> 0;
      return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
    }
    for (let seed = 1; seed <= 60; seed++) {
      it(`is k-anonymous with blanks as their own category (and so as wildcards), keeping every row and every unblanked value (seed ${seed})`, () => {
        const next = random(seed);
        const variables = 1 + Math.floor(next() * 4);
        const n = Math.floor(next() * 80);
        const k = 2 + Math.floor(next() * 5);
        const cardinality = Array.from({ length: variables }, () => 1 + Math.floor(next() * 7));
        const rows = Array.from({ length: n }, () => cardinality.map((c) => String.fromCharCode(97 + Math.floor(next() * c))));
        const out = printed(rows, k);
        expect(out.rows).to.have.length(n);
        out.rows.forEach((row, i) => row.forEach((v, j) => { if (v !== '*') expect(v).to.equal(rows[i]![j]); }));
        if (n >= k) {
          expect(out.plan.reached).to.equal(true);
          expect(smallestGroup(out.rows)).to.be.at.least(k);
          // Wildcard reading: each row is compatible with at least k rows (implied, checked anyway).
          for (const row of out.rows) {
            const compatible = out.rows.filter((o) => o.every((v, j) => v === '*' || row[j] === '*' || v === row[j])).length;
            expect(compatible).to.be.at.least(k);
          }
        }
        expect(out.plan.counts.reduce((a, b) => a + b, 0)).to.equal(blanksIn(out.rows));
      });
    }
  });
});
