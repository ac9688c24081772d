import { expect } from 'chai';
import mt19937 from '@stdlib/random-base-mt19937';
import {
  DEFAULT_SEED,
  MIN_REPLICATES,
  createTableSampler,
  expectedCounts,
  margins,
  monteCarloChiSquare,
} from '../../../server/stats';

const TOL = 1e-6;

/** Three Monte Carlo standard errors of a p estimated from B tables. */
function threeStandardErrors(p: number, replicates: number): number {
  return 3 * Math.sqrt((p * (1 - p)) / replicates);
}

describe('stats/monte-carlo', () => {
  describe('simulated p-value against R', () => {
    // R draws other random numbers, so its p differs by chance. The reference is
    // R with B = 1e6 (standard error < 0.0005); the exact conditional p, from
    // enumerating every table with the margins, is noted for comparison.
    const cases: [string, number[][], number, number][] = [
      // R: set.seed(1); chisq.test(rbind(c(0,1,8,42,19), c(1,4,11,33,12)), simulate.p.value=TRUE, B=1e6)$p.value
      //    -> 0.22366977633022367 (exact 0.2243659795574183; pchisq would give 0.254)
      ['a 2×5 Likert table with an almost empty category', [[0, 1, 8, 42, 19], [1, 4, 11, 33, 12]], 0.22366977633022367, 5.3412193413199835],
      // R: (continuing the same session) chisq.test(rbind(c(3,1,0), c(0,2,4)), simulate.p.value=TRUE, B=1e6)$p.value
      //    -> 0.033113966886033117 (exact 0.03333333333333341)
      ['a tiny 2×3 table', [[3, 1, 0], [0, 2, 4]], 0.033113966886033117, 7.2222222222222232],
      // R: chisq.test(rbind(c(4,1,0), c(1,3,1), c(0,2,5)), simulate.p.value=TRUE, B=1e6)$p.value
      //    -> 0.011571988428011572 (exact 0.011527687998276233)
      ['a small 3×3 table', [[4, 1, 0], [1, 3, 1], [0, 2, 5]], 0.011571988428011572, 12.53142857142857],
      // R: chisq.test(rbind(c(2,5,14,10,4), c(0,1,3,9,2)), simulate.p.value=TRUE, B=1e6)$p.value
      //    -> 0.27195872804127197 (exact 0.2712215289678078)
      ['a 2×5 table with a group of 15', [[2, 5, 14, 10, 4], [0, 1, 3, 9, 2]], 0.27195872804127197, 5.3614428227431317],
    ];
    for (const [label, table, reference, statistic] of cases) {
      it(`is within 3 standard errors of R's B = 1e6 value for ${label}`, () => {
        const result = monteCarloChiSquare(table);
        expect(result.replicates).to.equal(10_000);
        // R: chisq.test(m, correct=FALSE)$statistic
        expect(result.statistic).to.be.closeTo(statistic, TOL);
        expect(result.p).to.be.closeTo(reference, threeStandardErrors(reference, 10_000));
      });
    }
  });

  it('gives the same p for the same table on every call (fixed default seed)', () => {
    const table = [[0, 1, 8, 42, 19], [1, 4, 11, 33, 12]];
    const first = monteCarloChiSquare(table);
    expect(first.seed).to.equal(DEFAULT_SEED);
    expect(monteCarloChiSquare(table).p).to.equal(first.p);
    expect(monteCarloChiSquare(table, { seed: DEFAULT_SEED, replicates: 10_000 }).p).to.equal(first.p);
  });

  it('gives another, equally valid p for another seed', () => {
    const table = [[3, 1, 0], [0, 2, 4]];
    const p = monteCarloChiSquare(table, { seed: 42 }).p;
    expect(p).to.be.closeTo(0.0333333, threeStandardErrors(0.0333333, 10_000));
  });

  it('gives p = (1 + B) / (B + 1) = 1 when the observed statistic is 0', () => {
    // R: chisq.test(rbind(c(1,1,1),c(1,1,1)), simulate.p.value=TRUE, B=10000)$p.value -> 1
    expect(monteCarloChiSquare([[1, 1, 1], [1, 1, 1]]).p).to.equal(1);
  });

  it('never gives p = 0: at least 1/(B + 1), as in R', () => {
    const result = monteCarloChiSquare([[30, 0, 0], [0, 30, 0], [0, 0, 30]]);
    expect(result.p).to.equal(1 / 10_001);
  });

  it('refuses fewer than 10,000 replicates instead of silently raising them', () => {
    expect(MIN_REPLICATES).to.equal(10_000);
    expect(() => monteCarloChiSquare([[3, 1, 0], [0, 2, 4]], { replicates: 2000 })).to.throw(RangeError, /10000/);
    expect(() => monteCarloChiSquare([[3, 1, 0], [0, 2, 4]], { replicates: 10_000.5 })).to.throw(RangeError);
    expect(() => monteCarloChiSquare([[3, 1, 0], [0, 2, 4]], { replicates: 2_000_000 })).to.throw(RangeError);
  });

  it('refuses a seed the generator cannot take', () => {
    expect(() => monteCarloChiSquare([[3, 1, 0], [0, 2, 4]], { seed: 0 })).to.throw(RangeError);
    expect(() => monteCarloChiSquare([[3, 1, 0], [0, 2, 4]], { seed: 1.5 })).to.throw(RangeError);
  });

  it('refuses a table with an empty row or column, as R does', () => {
    expect(() => monteCarloChiSquare([[3, 0, 1], [2, 0, 4]])).to.throw(RangeError);
  });

  it('draws 10,000 tables of a 2×5 table in well under 100 ms', () => {
    const table = [[10, 15, 20, 25, 12], [18, 20, 14, 10, 7]];
    monteCarloChiSquare(table); // warm up the JIT
    const start = process.hrtime.bigint();
    monteCarloChiSquare(table);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(ms).to.be.below(100);
  });

  describe('random tables (Patefield, AS 159)', () => {
    const marginSets: [number[], number[]][] = [
      [[10, 11], [12, 9]],
      [[70, 61], [1, 5, 19, 75, 31]],
      [[5, 6, 7], [6, 6, 6]],
      [[1, 1, 1, 1], [2, 2]],
      [[40, 3, 12, 0, 9], [30, 0, 20, 14]],
      [[200], [50, 150]],
    ];
    for (const [rowTotals, colTotals] of marginSets) {
      it(`keeps the margins ${JSON.stringify(rowTotals)} × ${JSON.stringify(colTotals)} in every table`, () => {
        const rand = mt19937.factory({ seed: 7 });
        const sample = createTableSampler(rowTotals, colTotals, () => (rand() + 0.5) / 4294967296);
        const wrong: number[][][] = []; // plain checks in the loop: chai per cell is slow
        for (let k = 0; k < 2000; k++) {
          const table = sample();
          const got = margins(table);
          const ok =
            table.length === rowTotals.length &&
            table.every((row) => row.length === colTotals.length && row.every((c) => Number.isInteger(c) && c >= 0)) &&
            got.rowTotals.every((t, i) => t === rowTotals[i]) &&
            got.colTotals.every((t, j) => t === colTotals[j]);
          if (!ok) wrong.push(table);
        }
        expect(wrong).to.deep.equal([]);
      });
    }

    it('draws the top-left cell of a 2×2 table from the hypergeometric distribution', () => {
      // R: dhyper(1:10, 12, 9, 10): row totals (10, 11), column totals (12, 9)
      const reference = [
        3.4021705848331225e-5, 1.6840744394924013e-3, 2.2454325859898632e-2, 1.178852107644676e-1,
        2.8292450583472267e-1, 3.3007859014050966e-1, 1.8861633722314858e-1, 5.0522233184771843e-2,
        5.6135814649746459e-3, 1.8711938216582161e-4,
      ];
      const rand = mt19937.factory({ seed: 11 });
      const sample = createTableSampler([10, 11], [12, 9], () => (rand() + 0.5) / 4294967296);
      const draws = 100_000;
      const frequency = new Array<number>(11).fill(0);
      for (let k = 0; k < draws; k++) frequency[sample()[0][0]]++;
      expect(frequency[0]).to.equal(0); // impossible: only 9 in the second column
      reference.forEach((p, i) => {
        const se = Math.sqrt((p * (1 - p)) / draws);
        expect(frequency[i + 1] / draws, `P(x = ${i + 1})`).to.be.closeTo(p, 4 * se + 1e-9);
      });
    });

    it('averages to the expected counts', () => {
      const rand = mt19937.factory({ seed: 3 });
      const table = [[0, 1, 8, 42, 19], [1, 4, 11, 33, 12]];
      const { rowTotals, colTotals } = margins(table);
      const sample = createTableSampler(rowTotals, colTotals, () => (rand() + 0.5) / 4294967296);
      const draws = 20_000;
      const sum = table.map((row) => row.map(() => 0));
      for (let k = 0; k < draws; k++) {
        sample().forEach((row, i) => row.forEach((cell, j) => (sum[i][j] += cell)));
      }
      const expected = expectedCounts(table);
      sum.forEach((row, i) =>
        row.forEach((total, j) => expect(total / draws).to.be.closeTo(expected[i][j], 0.05 + 0.01 * expected[i][j])),
      );
    });

    it('refuses margins that do not add up to the same n', () => {
      expect(() => createTableSampler([3, 4], [3, 3], Math.random)).to.throw(RangeError);
    });
  });
});
