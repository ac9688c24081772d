// Local suppression: the per-row export of an anonymous wave is made k-anonymous on the
// instrument's background questions (meta.background) by blanking values, never by
// dropping rows. It works on the distinct combinations of background values with their
// counts (one Map over the rows), so its cost grows with the number of combinations, not
// with the number of rows, and the rows themselves are streamed afterwards.
//
// A suppressed value is its own category, not a wildcard. Counted as a wildcard (as
// sdcMicro's kAnon does), a unique professional in sector X whose sector is blanked
// "matches" every professional of every sector; but a manager who knows she works in X
// sees that no visible row says X, so the one blanked row is hers. Counted as its own
// category, every combination as printed (blanks included) is shared by at least k rows,
// so whatever a reader knows of someone, the rows that fit her include a whole printed
// combination of at least k rows. Own-category k-anonymity implies wildcard k-anonymity.

/** A row's background values in meta.background's order; '' is a real missing answer. */
export type Combination = readonly string[];

export interface SuppressionPlan {
  /**
   * Per combination key (see combinationKey), how many of its rows get which blanks; rows of
   * a combination beyond these get none. A large combination may lend a few of its rows to
   * a rare one, so rows with the same values can differ: which ones is up to the order they
   * are written in (random in the export). Use assigner() to apply the plan row by row.
   */
  blanked: Map<string, Array<{ count: number; blank: readonly boolean[] }>>;
  /** Per variable, how many values were blanked in all rows together. */
  counts: number[];
  /** False only when the wave has fewer than k rows: then every value is blanked. */
  reached: boolean;
}

/**
 * A combination as a Map key. Choice values are lowercase names or whole numbers (definition
 * rules), a multi-select answer their JSON list, so the control characters used as
 * separator and as the mark of a blank cannot occur in them. (JSON keys took half as long again:
 * the keys are the bulk of the planner's work, bench/k-anonymity.ts.)
 */
const SEPARATOR = '\u001f';
const BLANK = '\u001e';
export const combinationKey = (values: Combination): string => values.join(SEPARATOR);
const valuesOf = (key: string, variables: number): string[] => (variables === 0 ? [] : key.split(SEPARATOR));

/**
 * Decides which values to blank so that every combination is shared by at least k rows.
 *
 * Greedy, as statistical offices do it (sdcMicro's localSuppression), adapted to blanks as
 * their own category. While some printed combinations are rarer than k, every way to lift
 * one is priced: blank variable v in that rare combination, in the other rare ones that
 * then print the same, and, when those are still fewer than k together, in rows of other
 * combinations that would print the same too: a few rows of one that can spare them and
 * stay at k, else whole combinations, smallest first. The ways that lift most rare rows
 * per blank go first (on a tie: more rows, then the variable with more categories, then the
 * later one in meta.background, taken as the less important), each step taking every way
 * that touches no combination an earlier way of the step moved. When no single variable lifts any rare
 * combination, the most varied variable left is blanked in every rare one, and the loop
 * goes on. Wholly blanked rows rarer than k at the end take in enough rows of the
 * combination that costs the fewest blanks (a whole one when none can spare them).
 *
 * @param counts rows per combination, keyed by combinationKey
 * @param variables the number of background variables
 * @param k the minimum number of rows per combination (the wave's minimum group size)
 */
export function planSuppression(counts: ReadonlyMap<string, number>, variables: number, k: number): SuppressionPlan {
  // Each distinct original combination moves as one block: every row in it gets the same blanks.
  const blocks: Block[] = [...counts].map(([key, count]) => ({
    key, count, values: valuesOf(key, variables), blank: new Array<boolean>(variables).fill(false),
  }));
  const categories = Array.from({ length: variables }, (_, i) => new Set(blocks.map((b) => b.values[i])).size);
  const total = blocks.reduce((sum, b) => sum + b.count, 0);
  const blankIn = (group: Group, v: number, rows = group.count) => { for (const b of take(blocks, group, rows)) b.blank[v] = true; };

  // Every step blanks at least one more value, so this ends within blocks × variables steps.
  for (;;) {
    const groups = printedGroups(blocks);
    const rare = [...groups.values()].filter((g) => g.count < k);
    if (rare.length === 0 || variables === 0) break;
    const options: Array<{ v: number; movers: Array<[Group, number]>; target: Group | undefined; lifted: number; cost: number }> = [];
    for (let v = 0; v < variables; v++) {
      // Groups that would print the same once v is blanked, by that printed combination.
      const byTarget = new Map<string, Group[]>();
      for (const g of groups.values()) {
        if (g.values[v] === null) continue;
        const target = printedKey(g.values, v);
        const list = byTarget.get(target);
        if (list) list.push(g); else byTarget.set(target, [g]);
      }
      for (const [target, members] of byTarget) {
        const rareMembers = members.filter((g) => g.count < k);
        if (rareMembers.length === 0) continue;
        const existing = groups.get(target)?.count ?? 0;
        const movers: Array<[Group, number]> = rareMembers.map((g) => [g, g.count]);
        let size = existing + rareMembers.reduce((sum, g) => sum + g.count, 0);
        const lifted = size - (existing >= k ? existing : 0);
        if (size < k) {
          const large = members.filter((m) => m.count >= k).sort((a, b) => a.count - b.count);
          const lender = large.find((g) => g.count - (k - size) >= k);
          if (lender) {
            movers.push([lender, k - size]);
            size = k;
          }
          for (const g of lender ? [] : large) {
            if (size >= k) break;
            movers.push([g, g.count]);
            size += g.count;
          }
        }
        if (size < k) continue;
        const cost = movers.reduce((sum, [, rows]) => sum + rows, 0);
        options.push({ v, movers, target: groups.get(target), lifted, cost });
      }
    }
    // The best ways first, and in the same step every other way that touches none of the
    // combinations already moved: one step per rare combination would be quadratic, and a
    // flood of made-up answers could then hold the server for minutes.
    options.sort((a, b) => b.lifted / b.cost - a.lifted / a.cost || b.lifted - a.lifted || categories[b.v]! - categories[a.v]! || b.v - a.v);
    const touched = new Set<Group>();
    for (const option of options) {
      if (option.movers.some(([g]) => touched.has(g)) || (option.target && touched.has(option.target))) continue;
      for (const [g, rows] of option.movers) { blankIn(g, option.v, rows); touched.add(g); }
      if (option.target) touched.add(option.target);
    }
    if (touched.size > 0) continue;
    // Nothing lifts a rare combination by one variable: blank the most varied variable left in each.
    let changed = false;
    for (const g of rare) {
      const open = [...Array(variables).keys()].filter((v) => g.values[v] !== null);
      if (open.length === 0) continue;
      blankIn(g, open.reduce((a, c) => (categories[c]! > categories[a]! || (categories[c] === categories[a] && c > a) ? c : a)));
      changed = true;
    }
    if (!changed) break;
  }

  // Wholly blanked rows rarer than k: fold in enough rows of the combination that costs the fewest blanks.
  const groups = printedGroups(blocks);
  const allBlank = printedKey(new Array<string | null>(variables).fill(null));
  const left = groups.get(allBlank)?.count ?? 0;
  if (variables > 0 && left > 0 && left < k) {
    const need = k - left;
    const rowsFrom = (g: Group) => (g.count - need >= k ? need : g.count);
    const cost = (g: Group) => rowsFrom(g) * g.values.filter((v) => v !== null).length;
    const cheapest = [...groups.values()].filter((g) => printedKey(g.values) !== allBlank).sort((a, b) => cost(a) - cost(b))[0];
    if (cheapest) for (const b of take(blocks, cheapest, rowsFrom(cheapest))) b.blank.fill(true);
  }

  const blanked = new Map<string, Array<{ count: number; blank: readonly boolean[] }>>();
  const perVariable = new Array<number>(variables).fill(0);
  for (const b of blocks) {
    if (!b.blank.some(Boolean) || b.count === 0) continue;
    const list = blanked.get(b.key);
    if (list) list.push({ count: b.count, blank: b.blank }); else blanked.set(b.key, [{ count: b.count, blank: b.blank }]);
    b.blank.forEach((isBlank, v) => { if (isBlank) perVariable[v]! += b.count; });
  }
  return { blanked, counts: perVariable, reached: total >= k || total === 0 };
}

/**
 * The blocks holding `rows` rows of a group: all of them, or blocks split off for a part.
 * A split-off block keeps its combination and blanks, so it prints as the group did.
 */
function take(blocks: Block[], group: Group, rows: number): Block[] {
  if (rows >= group.count) return group.blocks;
  const taken: Block[] = [];
  let left = rows;
  for (const b of group.blocks) {
    if (left === 0) break;
    const part = Math.min(left, b.count);
    if (part === b.count) { taken.push(b); left -= part; continue; }
    b.count -= part;
    const split = { key: b.key, count: part, values: b.values, blank: [...b.blank] };
    blocks.push(split);
    taken.push(split);
    left -= part;
  }
  return taken;
}

interface Block { key: string; count: number; values: string[]; blank: boolean[] }
interface Group { values: Array<string | null>; count: number; blocks: Block[] }

/** A printed combination as a key: blanks as null, and optionally one more variable blanked. */
function printedKey(values: ReadonlyArray<string | null>, extra = -1): string {
  let key = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) key += SEPARATOR;
    const value = values[i];
    key += i === extra || value === null ? BLANK : value;
  }
  return key;
}

function printedGroups(blocks: Block[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const b of blocks) {
    const values = b.values.map((v, i) => (b.blank[i] ? null : v));
    const key = printedKey(values);
    const group = groups.get(key);
    if (group) { group.count += b.count; group.blocks.push(b); } else groups.set(key, { values, count: b.count, blocks: [b] });
  }
  return groups;
}

/**
 * Applies a plan row by row: each call takes one row's values and gives them with blanked
 * ones as null. The blanks planned for part of a combination go to its first rows met, so
 * the caller writes rows in a random order.
 */
export function assigner(plan: SuppressionPlan): (values: Combination) => Array<string | null> {
  const left = new Map<string, Array<{ count: number; blank: readonly boolean[] }>>();
  for (const [key, parts] of plan.blanked) left.set(key, parts.map((p) => ({ ...p })));
  return (values) => {
    const part = left.get(combinationKey(values))?.find((p) => p.count > 0);
    if (!part) return [...values];
    part.count--;
    return values.map((v, i) => (part.blank[i] ? null : v));
  };
}
