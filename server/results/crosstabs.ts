// The items of a comparison (GET .../compare): every closed item crosstabbed against the
// groups, tested, Holm-adjusted over the items tested together, and put in words (pure).
//
// An item is a single-choice question, one matrix row, or one checkbox choice (ticked or
// not, among the respondents who ticked anything: a checkbox is several yes/no items). The
// instrument's missing values ("refused", "dontknow") are no answer to the item: they are
// left out of the crosstab and the test, and a checkbox answered only with one of them does
// not count as answered. A group with fewer answers to the item than the minimum group
// size is left out of that item; an item with fewer than two groups left is not tested
// and shows no numbers. Categories nobody in the remaining groups chose are dropped, so df
// is taken over what is left, as SPSS and the TNO report do.
import {
  AdjustMethod, CompareTest, LinearByLinear, NoTestReason, OddsRatio, RankTest, TableTest, benjaminiHochberg, cellThreshold,
  UNDECIDED_WITHIN_SE, describeDifference, holm, linearByLinear, oddsRatio, rankTest, rowPercentages, seedFor, testTable, toCompareTests, wilsonInterval,
} from '../stats';
import { measurementLevelOf, declaredTestFamilies } from '../instruments/measurement-level';
import { MonteCarloTimeoutError, adaptiveMonteCarloOffThread } from './monte-carlo-runner';
import { t } from '../i18n/messages';
import { Choice, InstrumentModel, MatrixRow, QuestionModel, itemContext } from './instrument-model';
import type { Counts } from './tally-index';
import { withUnknown } from './tables';
import { restOk, shownGroups } from './disclosure';

export interface Group {
  value: string | number | boolean;
  key: string;
  label: string;
  /** How the group reads inside a Dutch sentence, plural ("respondenten met ‘Student’"). */
  phrase: string;
}

/** Significance level of the verdicts, the residual marks and the adaptive Monte Carlo. */
export const ALPHA = 0.05;

/** The `test` of a compare item: the chi-square test and, where they apply, the ordinal tests, the trend and the odds ratio. */
export interface ItemTest extends CompareTest {
  /** Ordinal items: Mann-Whitney U (two groups) or Kruskal-Wallis, with p adjusted in the same family. */
  ordinal?: { method: RankTest['method']; statistic: number; p: number; pAdjusted: number; effectSize: number };
  /** Ordinal items (SPSS's linear-by-linear association); over three or more waves also a two-category item's trend. */
  linearByLinear?: LinearByLinear;
  /** 2×2 tables: the odds ratio with its 95% interval. */
  oddsRatio?: OddsRatio;
}

export interface CompareOptions {
  /** The instrument (version) the items come from: its measurement levels and test families. */
  model?: InstrumentModel;
  adjust?: AdjustMethod;
  /** The groups are waves in order: a linear-by-linear trend over three or more. */
  ordered?: boolean;
  intervals?: 'wilson' | null;
}

export interface ItemSpec {
  question: QuestionModel;
  row?: MatrixRow;
  choice?: Choice;
}

export interface CompareItem {
  name: string;
  row?: string | number;
  choice?: string | number | boolean;
  title: string;
  questionTitle: string;
  panel: string | null;
  /** The item this one is part of (itemContext): Weerman's numbered question for "Wat is er?", else null. */
  context: string | null;
  type: string;
  groups: Array<Group['value']>;
  groupLabels: string[];
  categories: Array<string | number | boolean>;
  categoryLabels: string[];
  n?: number;
  counts?: number[][];
  rowPercents?: number[][];
  residuals?: number[][];
  significantCells?: boolean[][];
  /** The |adjusted residual| above which a cell is marked, Bonferroni-corrected over the cells; marks only when the item's test is significant. */
  markThreshold?: number;
  /** Wilson 95% intervals of the row percentages (0-100), on request (`intervals=wilson`). */
  intervals?: Array<Array<{ lower: number; upper: number }>>;
  /** The item's measurement level (meta.levels). */
  level: 'nominal' | 'ordinal' | 'scale';
  test: ItemTest | null;
  suppressed: boolean;
  reason: NoTestReason | null;
  excludedGroups: Array<{ value: Group['value']; label: string; reason: 'below-minimum' }>;
  sentence: string;
}

/** Every closed item of the instrument in its order, except those given (the `by` item, items fixed by a filter). */
export function itemSpecs(model: InstrumentModel, skip: (spec: ItemSpec) => boolean): ItemSpec[] {
  const specs: ItemSpec[] = [];
  for (const question of model.questions) {
    if (question.kind === 'single') specs.push({ question });
    if (question.kind === 'matrix') for (const row of question.rows) specs.push({ question, row });
    if (question.kind === 'multi') for (const choice of question.choices) if (!choice.missing) specs.push({ question, choice });
  }
  return specs.filter((spec) => !skip(spec));
}

/** The item a compare item is part of: its panel, or for a matrix row or checkbox choice its question (itemContext). */
export function specContext(spec: ItemSpec): string | null {
  return itemContext(spec.question.panel, spec.row || spec.choice ? spec.question : null);
}

export function specKey(spec: ItemSpec): string {
  return [spec.question.name, spec.row?.key ?? '', spec.choice?.key ?? ''].join('\u0001');
}

/**
 * What the item-level complement rule compares a group's answers with (disclosure.ts): the
 * whole selection's counts (the groups shown of an item, subtracted from the item's n, must
 * leave nobody or at least the minimum) and, per enclosing selection, each group's counts
 * there (a group's answerers of the item must differ from those around it by nobody or at
 * least the minimum).
 */
export interface CompareGuard {
  whole?: Counts;
  enclosing: ReadonlyArray<ReadonlyMap<string, Counts>>;
  /** The cell rule (disclosure.ts) for a group's answerers of an item, where filters are combined with the groups. */
  cells?: (spec: ItemSpec, groupKey: string, n: number) => boolean;
}

/**
 * The family of an item: the declared test family its question is in (meta.testFamilies),
 * else its page. Fixed by the instrument, so neither the grouping question (never an item)
 * nor a filter changes which items are adjusted together.
 */
export function familyOf(spec: ItemSpec, model: InstrumentModel | undefined): string {
  const declared = model ? declaredTestFamilies(model).find((f) => f.questions.includes(spec.question.name)) : undefined;
  return declared?.name ?? spec.question.page ?? '';
}

export async function compareItems(
  specs: readonly ItemSpec[], groups: readonly Group[], counts: ReadonlyMap<string, Counts>, minGroupSize: number,
  guard: CompareGuard = { enclosing: [] }, options: CompareOptions = {},
): Promise<CompareItem[]> {
  const built = specs.map((spec) => crosstab(spec, groups, counts, minGroupSize, guard, options));
  // A simulated p within a few standard errors of α is simulated again with more tables
  // (up to 1,000,000), in a worker thread: the verdict must not hang on the seed.
  for (const [i, b] of built.entries()) {
    const test = b.test;
    if (!test || test.method !== 'monte-carlo' || !(Math.abs(test.p - ALPHA) < UNDECIDED_WITHIN_SE * test.se!)) continue;
    try {
      const refined = await adaptiveMonteCarloOffThread(test.counts, seedFor(specKey(specs[i]), test.counts), ALPHA);
      b.test = { ...test, p: refined.p, replicates: refined.replicates, se: refined.se };
    } catch (err) {
      // A job that timed out keeps the first estimate: its standard error is shown with it.
      if (!(err instanceof MonteCarloTimeoutError)) throw err;
    }
  }
  const families = specs.map((spec) => familyOf(spec, options.model));
  const method = options.adjust ?? 'holm';
  const tests = toCompareTests(built.map((b) => b.test), { families, method });
  const ordinalAdjusted = adjustByFamily(built.map((b) => b.rank?.p ?? null), families, method);
  return built.map(({ item, test, rank, lbl, odds, categoryLabels, groupPhrases }, i) => {
    const compareTest = tests[i];
    if (test && compareTest) {
      const itemTest: ItemTest = { ...compareTest };
      if (rank) itemTest.ordinal = { method: rank.method, statistic: rank.statistic, p: rank.p, pAdjusted: ordinalAdjusted[i]!, effectSize: rank.effectSize };
      if (lbl) itemTest.linearByLinear = lbl;
      if (odds) itemTest.oddsRatio = odds;
      item.test = itemTest;
      // Cells are marked only where the item differs at all, and then at a threshold
      // corrected for the number of cells looked at (Bonferroni on the adjusted residuals).
      const threshold = cellThreshold(test.residuals.flat().length, ALPHA);
      const significant = compareTest.pAdjusted < ALPHA;
      item.markThreshold = threshold;
      item.significantCells = test.residuals.map((row) => row.map((z) => significant && Math.abs(z) > threshold));
      item.sentence = describeDifference({ groups: groupPhrases, categories: categoryLabels, residuals: test.residuals, pAdjusted: compareTest.pAdjusted, threshold });
    }
    return item;
  });
}

function adjustByFamily(ps: readonly (number | null)[], families: readonly string[], method: AdjustMethod): (number | null)[] {
  const out: (number | null)[] = ps.map(() => null);
  for (const family of new Set(families)) {
    const indices = families.flatMap((f, i) => (f === family ? [i] : []));
    const adjusted = (method === 'bh' ? benjaminiHochberg : holm)(indices.map((i) => ps[i]));
    indices.forEach((i, k) => { out[i] = adjusted[k]; });
  }
  return out;
}

function crosstab(spec: ItemSpec, groups: readonly Group[], counts: ReadonlyMap<string, Counts>, minGroupSize: number, guard: CompareGuard, options: CompareOptions) {
  const { question } = spec;
  const level = spec.choice ? 'nominal' : options.model ? measurementLevelOf(options.model, question.name) : 'nominal';
  const categories = categoriesOf(spec, groups, counts);
  const table = groups.map((g) => rowOf(spec, categories, counts.get(g.key)));
  const item: CompareItem = {
    name: question.name,
    ...(spec.row ? { row: spec.row.value } : {}),
    ...(spec.choice ? { choice: spec.choice.value } : {}),
    title: spec.row?.label ?? spec.choice?.label ?? question.title,
    questionTitle: question.title, panel: question.panel, context: specContext(spec), type: question.type,
    groups: [], groupLabels: [], categories: [], categoryLabels: [],
    level, test: null, suppressed: false, reason: null, excludedGroups: [], sentence: '',
  };
  const none = { rank: null as RankTest | null, lbl: null as LinearByLinear | null, odds: null as OddsRatio | null };
  const rows = table.map((row, g) => ({ g, n: row.reduce((a, b) => a + b, 0) }));
  const visible = shownGroups(rows, guard.whole ? answeredItem(spec, guard.whole) : null, minGroupSize,
    ({ g, n }) => guard.enclosing.every((around) => restOk(answeredItem(spec, around.get(groups[g].key)), n, minGroupSize))
      && (guard.cells?.(spec, groups[g].key, n) ?? true));
  const kept = rows.filter((r) => visible.has(r)).map((r) => r.g);
  // No answers, a few, and a rest of a few are one reason: telling them apart would say which.
  for (const r of rows) if (!visible.has(r)) item.excludedGroups.push({ value: groups[r.g].value, label: groups[r.g].label, reason: 'below-minimum' });
  item.groups = kept.map((g) => groups[g].value);
  item.groupLabels = kept.map((g) => groups[g].label);
  const groupPhrases = kept.map((g) => groups[g].phrase);
  if (kept.length < 2) {
    item.suppressed = true;
    item.reason = 'fewer-than-two-groups';
    item.categories = categories.map((c) => c.value);
    item.categoryLabels = categories.map((c) => c.label);
    item.sentence = t('results.notTested.fewerThanTwoGroups');
    return { item, test: null, ...none, categoryLabels: item.categoryLabels, groupPhrases };
  }
  const usedColumns = categories.map((_, c) => c).filter((c) => kept.some((g) => table[g][c] > 0));
  const counted = kept.map((g) => usedColumns.map((c) => table[g][c]));
  item.categories = usedColumns.map((c) => categories[c].value);
  item.categoryLabels = usedColumns.map((c) => categories[c].label);
  item.counts = counted;
  item.n = counted.flat().reduce((a, b) => a + b, 0);
  item.rowPercents = rowPercentages(counted);
  if (options.intervals === 'wilson') {
    item.intervals = counted.map((row) => {
      const n = row.reduce((a, b) => a + b, 0);
      return row.map((x) => { const w = wilsonInterval(x, n); return { lower: 100 * w.lower, upper: 100 * w.upper }; });
    });
  }
  // A seed of its own per item and table, so Monte Carlo errors do not go up and down together.
  const outcome = testTable(counted, { seed: seedFor(specKey(spec), counted) });
  let test: TableTest | null = null;
  const extra = { ...none };
  if (outcome.test) {
    test = outcome.test;
    item.residuals = test.residuals;
    // The tested table (outcome.test.counts) has no empty rows or columns; its columns keep the scale's order.
    const tested = test.counts;
    const onScale = level === 'ordinal' && usedColumns.every((c) => question.choices.some((choice) => choice.key === categories[c].key));
    if (onScale) {
      extra.rank = rankTest(tested);
      extra.lbl = linearByLinear(tested);
    } else if (options.ordered && tested.length >= 3 && tested[0].length === 2) {
      extra.lbl = linearByLinear(tested); // Cochran-Armitage: a yes/no item's trend over the waves
    }
    if (tested.length === 2 && tested[0].length === 2) extra.odds = oddsRatio(tested);
  } else {
    item.reason = outcome.reason;
    item.sentence = t(outcome.reason === 'fewer-than-two-categories' ? 'results.notTested.oneCategory' : 'results.notTested.noAnswers');
  }
  return { item, test, ...extra, categoryLabels: item.categoryLabels, groupPhrases };
}

interface Category {
  value: string | number | boolean;
  key: string;
  label: string;
}

function categoriesOf(spec: ItemSpec, groups: readonly Group[], counts: ReadonlyMap<string, Counts>): Category[] {
  if (spec.choice) return [{ value: 1, key: '1', label: t('results.ticked') }, { value: 0, key: '0', label: t('results.notTicked') }];
  const seen = new Map<string, number>();
  for (const g of groups) {
    for (const [value, n] of counts.get(g.key)?.values(spec.question.name, spec.row?.key ?? '') ?? []) seen.set(value, n);
  }
  return withUnknown(spec.question.choices, seen).filter((c) => !c.missing);
}

/** Those who answered the item with a substantive answer: the n of its row in a crosstab. */
/** Those who answered the item (a missing value is no answer). */
export function answeredItem(spec: ItemSpec, counts: Counts | undefined): number {
  if (!counts) return 0;
  const { question } = spec;
  const missing = new Set(question.choices.filter((c) => c.missing).map((c) => c.key));
  if (spec.choice) return counts.answered(question.name) - [...missing].reduce((n, key) => n + counts.count(question.name, '', key), 0);
  let n = 0;
  for (const [value, k] of counts.values(question.name, spec.row?.key ?? '')) if (!missing.has(value)) n += k;
  return n;
}

function rowOf(spec: ItemSpec, categories: Category[], counts: Counts | undefined): number[] {
  if (!counts) return categories.map(() => 0);
  const { question } = spec;
  if (spec.choice) {
    // Respondents who ticked anything substantive: those who answered, minus the exclusive missing values.
    const missing = question.choices.filter((c) => c.missing).reduce((n, c) => n + counts.count(question.name, '', c.key), 0);
    const base = counts.answered(question.name) - missing;
    const ticked = counts.count(question.name, '', spec.choice.key);
    return [ticked, Math.max(0, base - ticked)];
  }
  return categories.map((c) => counts.count(question.name, spec.row?.key ?? '', c.key));
}
