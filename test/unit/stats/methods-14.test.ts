// Reference values for the methods of issue 14 (ordinal tests, odds ratio, Wilson,
// Benjamini-Hochberg, the cell threshold, the Monte Carlo precision, paired tests, the
// p floor), each from R 4.x with the command written beside it. Helper used in the
// commands: expand <- function(t) { g <- rep(rep(seq_len(nrow(t)), ncol(t)), as.vector(t));
//   v <- rep(rep(seq_len(ncol(t)), each = nrow(t)), as.vector(t)); list(g = g, v = v) }
// (one respondent per count: group g, scale position v).
import { expect } from 'chai';
import {
  P_FLOOR, adaptiveMonteCarloChiSquare, benjaminiHochberg, cellThreshold, chiSquarePValue, fisherExact2x2, holm,
  kruskalWallis, linearByLinear, mannWhitney, monteCarloChiSquare, normalQuantile, oddsRatio, seedFor, symmetryTest,
  testTable, wilcoxonSignedRank, wilsonInterval,
} from '../../../server/stats';

const TOL = 1e-9;

describe('stats: methods of issue 14 against R', () => {
  describe('the p floor', () => {
    it('never gives p = 0 for a huge Χ² (R: pchisq(1600, 1, lower.tail=FALSE) -> 0; log10 p = -349.1)', () => {
      const p = chiSquarePValue(1600, 1);
      expect(p).to.be.greaterThan(0);
      expect(p).to.equal(P_FLOOR);
      expect(JSON.parse(JSON.stringify({ p })).p).to.be.greaterThan(0);
    });

    it("Fisher's test on a table of 500,000 neither overflows the stack nor gives 0", () => {
      // R: fisher.test(matrix(c(150000,100000,100000,150000),2))$p.value -> 0 (underflow)
      const p = fisherExact2x2([[150_000, 100_000], [100_000, 150_000]]);
      expect(p).to.be.greaterThan(0);
      // R: fisher.test(matrix(c(60,40,40,60),2))$p.value -> 0.0070595154950162378
      expect(fisherExact2x2([[60, 40], [40, 60]])).to.be.closeTo(0.0070595154950162378, 1e-12);
    });
  });

  describe('normalQuantile (AS 241, as R qnorm)', () => {
    // R: sprintf("%.17g", c(qnorm(1-0.05/(2*10)), qnorm(1-0.05/(2*4)), qnorm(0.975), qnorm(1e-10), qnorm(0.3)))
    const cases: [number, number][] = [
      [1 - 0.05 / 20, 2.8070337683438114], [1 - 0.05 / 8, 2.4977054744123737], [0.975, 1.9599639845400536],
      [1e-10, -6.3613409024040557], [0.3, -0.52440051270804067],
    ];
    for (const [p, z] of cases) it(`qnorm(${p}) = ${z}`, () => expect(normalQuantile(p)).to.be.closeTo(z, 1e-14));
    it('gives the Bonferroni cell threshold: 2.807 for a 2×5 table, 2.498 for a 2×2 one', () => {
      expect(cellThreshold(10)).to.be.closeTo(2.8070337683438114, 1e-14);
      expect(cellThreshold(4)).to.be.closeTo(2.4977054744123737, 1e-14);
    });
  });

  describe('Benjamini-Hochberg', () => {
    it('equals R p.adjust(c(0.01,0.04,0.03,NA,0.2,0.04,0.5), "BH")', () => {
      // -> 0.06 0.06 0.06 NA 0.24 0.06 0.5 (holm: 0.06 0.16 0.15 NA 0.4 0.16 0.5)
      const p = [0.01, 0.04, 0.03, null, 0.2, 0.04, 0.5];
      const bh = benjaminiHochberg(p);
      [0.06, 0.06, 0.06, null, 0.24, 0.06, 0.5].forEach((x, i) => (x === null ? expect(bh[i]).to.equal(null) : expect(bh[i]).to.be.closeTo(x, 1e-15)));
      const h = holm(p);
      [0.06, 0.16, 0.15, null, 0.4, 0.16, 0.5].forEach((x, i) => (x === null ? expect(h[i]).to.equal(null) : expect(h[i]).to.be.closeTo(x, 1e-15)));
    });
  });

  describe('ordinal tests on the docs example [[1,3,14,30,13],[0,2,5,45,18]]', () => {
    const table = [[1, 3, 14, 30, 13], [0, 2, 5, 45, 18]];
    it('Pearson Χ² is 8,69 (p = 0,069), not 11,08', () => {
      // R: chisq.test(rbind(c(1,3,14,30,13), c(0,2,5,45,18))) -> 8.69231667216693, p 0.069267455469807865
      const t = testTable(table).test!;
      expect(t.statistic).to.be.closeTo(8.69231667216693, TOL);
      expect(t.pChiSquare).to.be.closeTo(0.069267455469807865, TOL);
    });
    it('Mann-Whitney U', () => {
      // R: e <- expand(t1); wilcox.test(e$v[e$g==1], e$v[e$g==2], exact=FALSE, correct=FALSE) -> W = 1744, p 0.04316623018342064
      const mw = mannWhitney(table);
      expect(mw.statistic).to.equal(1744);
      expect(mw.p).to.be.closeTo(0.04316623018342064, TOL);
      // r = |z| / sqrt(N); R: abs(qnorm(0.04316623018342064/2)) / sqrt(131) -> 0.17751...
      expect(mw.effectSize).to.be.closeTo(Math.abs(normalQuantile(0.04316623018342064 / 2)) / Math.sqrt(131), 1e-9);
    });
    it('linear-by-linear association', () => {
      // R: (length(e$v)-1)*cor(e$g,e$v)^2 -> 4.5896961387734914; pchisq(.., 1, lower.tail=FALSE) -> 0.032164716065781446
      const l = linearByLinear(table);
      expect(l.statistic).to.be.closeTo(4.5896961387734914, TOL);
      expect(l.p).to.be.closeTo(0.032164716065781446, TOL);
      expect(l.df).to.equal(1);
    });
  });

  describe('Kruskal-Wallis and linear-by-linear on three groups', () => {
    const table = [[2, 5, 14, 10, 4], [0, 1, 3, 9, 2], [3, 6, 8, 4, 1]];
    it('H, df and p', () => {
      // R: e2 <- expand(t2); kruskal.test(e2$v, factor(e2$g)) -> 9.7900252052323591, df 2, p 0.0074838149076574571
      const k = kruskalWallis(table);
      expect(k.statistic).to.be.closeTo(9.7900252052323591, TOL);
      expect(k.df).to.equal(2);
      expect(k.p).to.be.closeTo(0.0074838149076574571, TOL);
      expect(k.effectSize).to.be.closeTo(9.7900252052323591 / (72 - 1), TOL);
    });
    it('linear-by-linear', () => {
      // R: (length(e2$v)-1)*cor(e2$g,e2$v)^2 -> 2.4572921078638998, p 0.11698029613356556
      const l = linearByLinear(table);
      expect(l.statistic).to.be.closeTo(2.4572921078638998, TOL);
      expect(l.p).to.be.closeTo(0.11698029613356556, TOL);
    });
  });

  it('linear-by-linear on a 2×2 is the Cochran-Armitage trend times (N − 1)/N', () => {
    // R: prop.trend.test(c(15,30), c(55,52)) -> X-squared 10.149672907737429
    expect(linearByLinear([[15, 40], [30, 22]]).statistic).to.be.closeTo((10.149672907737429 * 106) / 107, TOL);
  });

  describe('odds ratio with its 95% Woolf interval', () => {
    it('[[15,40],[30,22]]', () => {
      // R: lor <- log(15*22/(40*30)); se <- sqrt(1/15+1/40+1/30+1/22); exp(lor + c(0,-1,1)*qnorm(0.975)*se)
      //    -> 0.275 0.12243467221463487 0.61767633818159884
      const or = oddsRatio([[15, 40], [30, 22]]);
      expect(or.estimate).to.be.closeTo(0.275, TOL);
      expect(or.lower).to.be.closeTo(0.12243467221463487, TOL);
      expect(or.upper).to.be.closeTo(0.61767633818159884, TOL);
    });
    it('[[3,7],[0,10]] with 0,5 added to every cell', () => {
      // R: lor <- log(3.5*10.5/(7.5*0.5)); se <- sqrt(1/3.5+1/7.5+1/0.5+1/10.5) -> 9.8 0.43804467428328675 219.2470440535256
      const or = oddsRatio([[3, 7], [0, 10]]);
      expect(or.estimate).to.be.closeTo(9.8, TOL);
      expect(or.lower).to.be.closeTo(0.43804467428328675, TOL);
      expect(or.upper).to.be.closeTo(219.2470440535256, 1e-7);
    });
  });

  it('Wilson intervals as R prop.test(x, n, correct = FALSE)$conf.int', () => {
    // R: prop.test(3, 20, correct=FALSE)$conf.int -> 0.052368745896216609 0.36041886474075691
    const w = wilsonInterval(3, 20);
    expect(w.lower).to.be.closeTo(0.052368745896216609, TOL);
    expect(w.upper).to.be.closeTo(0.36041886474075691, TOL);
    // R: prop.test(0, 12, correct=FALSE)$conf.int -> 0 0.24249400665524079
    expect(wilsonInterval(0, 12).lower).to.equal(0);
    expect(wilsonInterval(0, 12).upper).to.be.closeTo(0.24249400665524079, TOL);
  });

  describe('paired tests', () => {
    it('McNemar without continuity correction', () => {
      // R: mcnemar.test(matrix(c(10,5,12,20),2), correct=FALSE) -> 2.8823529411764706, p 0.089555074413643118
      const m = symmetryTest([[10, 12], [5, 20]]);
      expect(m.method).to.equal('mcnemar');
      expect(m.statistic).to.be.closeTo(2.8823529411764706, TOL);
      expect(m.p).to.be.closeTo(0.089555074413643118, TOL);
    });
    it("Bowker's symmetry test", () => {
      // R: mcnemar.test(matrix(c(10,3,2, 6,12,4, 1,7,9),3)) -> 2.1515151515151514, df 3, p 0.54156139945858262
      const b = symmetryTest([[10, 6, 1], [3, 12, 7], [2, 4, 9]]);
      expect(b.method).to.equal('bowker');
      expect(b.statistic).to.be.closeTo(2.1515151515151514, TOL);
      expect(b.df).to.equal(3);
      expect(b.p).to.be.closeTo(0.54156139945858262, TOL);
    });
    it('Wilcoxon signed-rank', () => {
      // R: x <- c(1,2,2,3,4,4,5,3,2,1,3,4,2,5,4); y <- c(2,2,3,4,4,5,5,4,1,2,4,4,3,5,5)
      //    wilcox.test(y, x, paired=TRUE, exact=FALSE, correct=FALSE) -> V = 49.5, p 0.011412036386001651
      const x = [1, 2, 2, 3, 4, 4, 5, 3, 2, 1, 3, 4, 2, 5, 4];
      const y = [2, 2, 3, 4, 4, 5, 5, 4, 1, 2, 4, 4, 3, 5, 5];
      const w = wilcoxonSignedRank(x.map((v, i) => [v, y[i]] as [number, number]));
      expect(w.statistic).to.equal(49.5);
      expect(w.p).to.be.closeTo(0.011412036386001651, TOL);
      expect(w.n).to.equal(15);
    });
  });

  describe('Monte Carlo precision', () => {
    const table = [[0, 1, 8, 42, 19], [1, 4, 11, 33, 12]];
    it('reports its standard error sqrt(p (1 − p) / B)', () => {
      const r = monteCarloChiSquare(table);
      expect(r.se).to.be.closeTo(Math.sqrt((r.p * (1 - r.p)) / 10_000), 1e-15);
    });
    it('seeds per item: the same item and table give the same seed, another item another', () => {
      expect(seedFor('t5\u00011', table)).to.equal(seedFor('t5\u00011', table));
      expect(seedFor('t5\u00011', table)).to.not.equal(seedFor('t5\u00012', table));
      expect(seedFor('t5\u00011', table)).to.not.equal(seedFor('t5\u00011', [[1, 1, 8, 42, 19], [0, 4, 11, 33, 12]]));
    });
    it('raises B while p is within three standard errors of α, and stops when it is not', () => {
      const far = adaptiveMonteCarloChiSquare(table, 7);
      expect(far.replicates).to.equal(10_000); // p ≈ 0.22: decided at once
      // R: set.seed(1); chisq.test(rbind(c(5,5,1),c(1,0,3)), simulate.p.value=TRUE, B=1e6)$p.value -> 0.047267952732047265
      // At B = 10,000 its p (≈ 0.0485, SE 0.0021) is within 3 SE of 0.05: it must be run again with more tables.
      const table2 = [[5, 5, 1], [1, 0, 3]];
      expect(Math.abs(monteCarloChiSquare(table2, { seed: seedFor('x', table2) }).p - 0.05)).to.be.below(3 * 0.0022);
      const near = adaptiveMonteCarloChiSquare(table2, seedFor('x', table2));
      expect(near.replicates).to.be.greaterThan(10_000);
      expect(Math.abs(near.p - 0.05) >= 3 * near.se || near.replicates === 1_000_000).to.equal(true);
      expect(near.p).to.be.closeTo(0.047267952732047265, 3 * near.se + 0.0005);
    });
  });
});
