// Turns the per-item test results of one comparison into the `test` objects of
// the compare API (api.md): adjusted for multiple testing within each item's family
// (Holm, or Benjamini-Hochberg on request), with the unadjusted p beside it and the
// Dutch text. Items that were not tested stay null.
import { benjaminiHochberg } from './benjamini-hochberg';
import { formatChiSquare } from './format-nl';
import { holm } from './holm';
import type { TableTest, TestMethod } from './test-table';

export type AdjustMethod = 'holm' | 'bh';
export const ADJUST_METHODS: readonly AdjustMethod[] = ['holm', 'bh'];

/** The items adjusted together: a question block or section of the instrument (its page by default). */
export interface TestFamily {
  name: string;
  /** Number of tested items in the family: the m of the adjustment. */
  size: number;
  method: AdjustMethod;
}

/** The `test` object of GET /api/v1/waves/:id/compare, field for field. */
export interface CompareTest {
  method: TestMethod;
  statistic: number;
  df: number;
  pChiSquare: number;
  p: number;
  /** `p` before adjustment (the same number as `p`; named so a reader need not guess). */
  pUnadjusted: number;
  pAdjusted: number;
  family: TestFamily;
  cramersV: number;
  n: number;
  minExpected: number;
  lowExpected: boolean;
  /** Monte Carlo only: the number of simulated tables and the standard error of p. */
  monteCarlo?: { b: number; se: number };
  text: string;
}

export interface CompareTestOptions {
  /** Item i's family name; items without a name form one family together. */
  families?: readonly string[];
  method?: AdjustMethod;
  /**
   * Item i's p when it is tested otherwise (a rank test of a number or a ranked choice),
   * else null: adjusted in its family together with the tables' tests, and counted in its size.
   */
  otherPs?: readonly (number | null)[];
}

/** Each family adjusted on its own over its tested items (p not null); the sizes are the m of each family. */
export function adjustInFamilies(ps: readonly (number | null)[], families: readonly string[], method: AdjustMethod): { adjusted: (number | null)[]; sizes: Map<string, number> } {
  const adjusted: (number | null)[] = ps.map(() => null);
  const sizes = new Map<string, number>();
  const members = new Map<string, number[]>();
  ps.forEach((_, i) => {
    const list = members.get(families[i] ?? '') ?? [];
    list.push(i);
    members.set(families[i] ?? '', list);
  });
  for (const [name, indices] of members) {
    const own = indices.map((i) => ps[i]);
    const result = method === 'bh' ? benjaminiHochberg(own) : holm(own);
    indices.forEach((i, k) => { adjusted[i] = result[k]; });
    sizes.set(name, own.filter((p) => p !== null).length);
  }
  return { adjusted, sizes };
}

/**
 * `tests[i]` is item i's TableTest, or null when it was not tested. Each family is
 * adjusted on its own, over its tested items only: pass all items of one comparison,
 * each with its family, and nothing else.
 */
export function toCompareTests(tests: readonly (TableTest | null)[], options: CompareTestOptions = {}): (CompareTest | null)[] {
  const method = options.method ?? 'holm';
  const familyOf = (i: number): string => options.families?.[i] ?? '';
  const { adjusted, sizes } = adjustInFamilies(tests.map((test, i) => test?.p ?? options.otherPs?.[i] ?? null), tests.map((_, i) => familyOf(i)), method);
  return tests.map((test, i) => {
    if (!test) return null;
    const family: TestFamily = { name: familyOf(i), size: sizes.get(familyOf(i))!, method };
    const result: CompareTest = {
      method: test.method,
      statistic: test.statistic,
      df: test.df,
      pChiSquare: test.pChiSquare,
      p: test.p,
      pUnadjusted: test.p,
      pAdjusted: adjusted[i] as number,
      family,
      cramersV: test.cramersV,
      n: test.n,
      minExpected: test.minExpected,
      lowExpected: test.lowExpected,
    } as CompareTest;
    // Added, not spread in: a literal with a field spread into it takes V8's slow path.
    if (test.method === 'monte-carlo') result.monteCarlo = { b: test.replicates!, se: test.se! };
    result.text = formatChiSquare(test);
    return result;
  });
}
