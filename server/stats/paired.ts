// Tests for paired answers: the same people at two waves of a panel. McNemar (2×2) and
// Bowker's test of symmetry (k×k) for nominal items, the Wilcoxon signed-rank test for
// ordinal ones. Both work on complete pairs only; the caller drops the incomplete ones.
import { CountTable, assertCountTable } from './crosstab';
import { chiSquarePValue } from './chi-square';
import { normalTwoSidedP } from './normal';

export interface SymmetryTest {
  method: 'mcnemar' | 'bowker';
  statistic: number;
  df: number;
  p: number;
  /** Number of pairs. */
  n: number;
}

/**
 * Bowker's test of symmetry on a square table of pairs (rows: the answer at the first
 * wave, columns: at the second): Σ over i < j of (n_ij − n_ji)² / (n_ij + n_ji), df the
 * number of such pairs of cells with any count. For 2×2 this is McNemar's test without
 * continuity correction (R: mcnemar.test(x, correct = FALSE)).
 */
export function symmetryTest(table: CountTable): SymmetryTest {
  assertCountTable(table);
  const k = table.length;
  if (k < 2 || table.some((row) => row.length !== k)) throw new RangeError('a symmetry test needs a square table of at least 2×2');
  let statistic = 0;
  let df = 0;
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const both = table[i][j] + table[j][i];
      if (both === 0) continue;
      statistic += (table[i][j] - table[j][i]) ** 2 / both;
      df++;
    }
  }
  const n = table.flat().reduce((a, b) => a + b, 0);
  if (df === 0) throw new RangeError('no one changed answer: nothing to test');
  return { method: k === 2 ? 'mcnemar' : 'bowker', statistic, df, p: chiSquarePValue(statistic, df), n };
}

export interface SignedRankTest {
  method: 'wilcoxon-signed-rank';
  /** V: the sum of the ranks of the positive differences (second − first), as R reports. */
  statistic: number;
  z: number;
  p: number;
  /** r = |z| / √(pairs with a difference). */
  effectSize: number;
  /** Complete pairs, including those without a difference. */
  n: number;
}

/**
 * The Wilcoxon signed-rank test on pairs of scale positions (first, second), normal
 * approximation with the tie correction and without continuity correction, zero
 * differences dropped (R: wilcox.test(second, first, paired = TRUE, exact = FALSE,
 * correct = FALSE)). Differences are whole numbers on a short scale, so they are
 * counted per value, never sorted one by one.
 */
export function wilcoxonSignedRank(pairs: ReadonlyArray<readonly [number, number]>): SignedRankTest {
  const byMagnitude = new Map<number, { positive: number; negative: number }>();
  for (const [first, second] of pairs) {
    if (!Number.isFinite(first) || !Number.isFinite(second)) throw new RangeError('pairs must hold two numbers');
    const d = second - first;
    if (d === 0) continue;
    const entry = byMagnitude.get(Math.abs(d)) ?? { positive: 0, negative: 0 };
    if (d > 0) entry.positive++;
    else entry.negative++;
    byMagnitude.set(Math.abs(d), entry);
  }
  const magnitudes = [...byMagnitude.keys()].sort((a, b) => a - b);
  const m = magnitudes.reduce((s, d) => s + byMagnitude.get(d)!.positive + byMagnitude.get(d)!.negative, 0);
  if (m === 0) throw new RangeError('no pair differs: nothing to test');
  let below = 0;
  let v = 0;
  let ties = 0;
  for (const d of magnitudes) {
    const { positive, negative } = byMagnitude.get(d)!;
    const t = positive + negative;
    v += positive * (below + (t + 1) / 2);
    ties += t * t * t - t;
    below += t;
  }
  const variance = (m * (m + 1) * (2 * m + 1)) / 24 - ties / 48;
  const z = (v - (m * (m + 1)) / 4) / Math.sqrt(variance);
  return { method: 'wilcoxon-signed-rank', statistic: v, z, p: normalTwoSidedP(z), effectSize: Math.abs(z) / Math.sqrt(m), n: pairs.length };
}
