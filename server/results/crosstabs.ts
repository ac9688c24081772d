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
//
// A number question, and each choice of a ranking, is an item too (issue 15), but not
// crosstabbed (a table of values would list single answers): per shown group its summary
// and a rank test on the values (valueItem), with the same groups left out.
import {
  AdjustMethod, CompareTest, LinearByLinear, NoTestReason, OddsRatio, RankTest, TableTest, benjaminiHochberg, cellThreshold,
  UNDECIDED_WITHIN_SE, adjustInFamilies, describeDifference, formatNumberNl, formatPValue, holm, linearByLinear, oddsRatio, rankTest, rowPercentages,
  seedFor, testTable, toCompareTests, wilsonInterval, TestFamily,
} from '../stats';
import { NumberSummary, numberSummary } from './tables';
import { MeasurementLevel, measurementLevelOf, declaredTestFamilies } from '../instruments/measurement-level';
import { MonteCarloTimeoutError, adaptiveMonteCarloOffThread } from './monte-carlo-runner';
import { t } from '../i18n/messages';
import { Choice, InstrumentModel, MatrixRow, QuestionModel, isNumberItem, itemContext } from './instrument-model';
import type { Counts } from './tally-index';
import { withUnknown } from './tables';
import { restOk, shownGroups } from './disclosure';
import { doNotKeep } from './read-memo';

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
  /** A number question: per shown group n, mean, median and quartiles (R's type 7), never the single values. */
  numbers?: Array<NumberSummary & { iqr: number }>;
  /** One choice of a ranking (`choice`): per shown group how many ranked it, its mean place (1 first) and first places. */
  ranks?: Array<{ n: number; meanRank: number; firstPlaces: number; firstPlacePercent: number }>;
  /**
   * Numbers and ranked choices: Mann-Whitney U (two groups) or Kruskal-Wallis on the values
   * (tie-corrected, no continuity correction, as the ordinal items), adjusted in the item's
   * family together with the tables' tests. `test` stays null for these items.
   */
  rankTest?: RankTest & { pAdjusted: number; family: TestFamily; text: string };
}

/** Every closed item of the instrument in its order, except those given (the `by` item, items fixed by a filter). */
export function itemSpecs(model: InstrumentModel, skip: (spec: ItemSpec) => boolean): ItemSpec[] {
  const specs: ItemSpec[] = [];
  for (const question of model.questions) {
    if (question.kind === 'single') specs.push({ question });
    if (question.kind === 'matrix') for (const row of question.rows) specs.push({ question, row });
    if (question.kind === 'multi') for (const choice of question.choices) if (!choice.missing) specs.push({ question, choice });
    if (question.kind === 'number') specs.push({ question });
    // A multiple text's number items: each a number question under its row (the item's name).
    for (const row of question.numberItems) specs.push({ question, row });
    // A ranking is one item per choice: its places compared between the groups.
    if (question.kind === 'ranking') for (const choice of question.choices) specs.push({ question, choice });
  }
  return specs.filter((spec) => !skip(spec));
}

/**
 * A number or a ranked choice: compared by a rank test on its values, not crosstabbed. The
 * series report and the paired comparison, which tabulate every answer, leave them out
 * (their tables would list single values).
 */
export function isValueItem(spec: ItemSpec): boolean {
  return isNumberSpec(spec) || spec.question.kind === 'ranking';
}

/** A number question, or a number item of a multiple text (its row). */
function isNumberSpec(spec: ItemSpec): boolean {
  return spec.question.kind === 'number' || (spec.row !== undefined && isNumberItem(spec.question, spec.row.key));
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
  return (model && declarationsOf(model).families.get(spec.question.name)) ?? spec.question.page ?? '';
}

/** The level of an item's question (meta.levels); a checkbox choice is nominal. */
export function levelOf(spec: ItemSpec, model: InstrumentModel | undefined): MeasurementLevel {
  return spec.choice || !model ? 'nominal' : declarationsOf(model).levels.get(spec.question.name) ?? 'nominal';
}

/**
 * Per instrument version (its model, kept per version and never changed), each question's
 * declared level and test family, read from meta once: a comparison asks for them per item,
 * some hundred times a request, and reading meta each time was a tenth of its work.
 */
const declarations = new WeakMap<InstrumentModel, { levels: ReadonlyMap<string, MeasurementLevel>; families: ReadonlyMap<string, string> }>();
function declarationsOf(model: InstrumentModel) {
  let known = declarations.get(model);
  if (!known) {
    const families = new Map<string, string>();
    // The first declared family that lists a question is its family.
    for (const family of declaredTestFamilies(model)) for (const question of family.questions) if (!families.has(question)) families.set(question, family.name);
    const levels = new Map(model.questions.map((q) => [q.name, measurementLevelOf(model, q.name)]));
    declarations.set(model, (known = { levels, families }));
  }
  return known;
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
      doNotKeep(); // the next read may refine it
    }
  }
  const families = specs.map((spec) => familyOf(spec, options.model));
  const method = options.adjust ?? 'holm';
  const valueTests = built.map((b) => b.valueTest);
  const tests = toCompareTests(built.map((b) => b.test), { families, method, otherPs: valueTests.map((v) => v?.p ?? null) });
  const { adjusted: valueAdjusted, sizes } = adjustInFamilies(built.map((b, i) => b.test?.p ?? valueTests[i]?.p ?? null), families, method);
  const ordinalAdjusted = adjustByFamily(built.map((b) => b.rank?.p ?? null), families, method);
  return built.map(({ item, test, rank, lbl, odds, categoryLabels, groupPhrases, valueTest }, i) => {
    if (valueTest) {
      const pAdjusted = valueAdjusted[i]!;
      const label = t(`dashboard.stats.pAdjusted.${method}`);
      item.rankTest = { ...valueTest, pAdjusted, family: { name: families[i], size: sizes.get(families[i])!, method }, text: rankText(valueTest) };
      item.sentence = t(pAdjusted < ALPHA ? 'results.rankTest.differs' : 'results.rankTest.same', { p: formatPValue(pAdjusted, label, ALPHA) });
      return item;
    }
    const compareTest = tests[i];
    if (test && compareTest) {
      const itemTest: ItemTest = compareTest; // made for this item alone (toCompareTests)
      if (rank) itemTest.ordinal = { method: rank.method, statistic: rank.statistic, p: rank.p, pAdjusted: ordinalAdjusted[i]!, effectSize: rank.effectSize };
      if (lbl) itemTest.linearByLinear = lbl;
      if (odds) itemTest.oddsRatio = odds;
      item.test = itemTest;
      // Cells are marked only where the item differs at all, and then at a threshold
      // corrected for the number of cells looked at (Bonferroni on the adjusted residuals).
      const threshold = cellThresholdOf(test.residuals.length * (test.residuals[0]?.length ?? 0));
      const significant = compareTest.pAdjusted < ALPHA;
      item.markThreshold = threshold;
      item.significantCells = test.residuals.map((row) => row.map((z) => significant && Math.abs(z) > threshold));
      item.sentence = describeDifference({ groups: groupPhrases, categories: categoryLabels, residuals: test.residuals, pAdjusted: compareTest.pAdjusted, threshold });
    }
    return item;
  });
}

/** cellThreshold at ALPHA by the number of cells (a normal quantile each): a comparison has a few sizes of table. */
const thresholds = new Map<number, number>();
function cellThresholdOf(cells: number): number {
  let threshold = thresholds.get(cells);
  if (threshold === undefined) {
    threshold = cellThreshold(cells, ALPHA);
    if (thresholds.size < 1000) thresholds.set(cells, threshold);
  }
  return threshold;
}

function adjustByFamily(ps: readonly (number | null)[], families: readonly string[], method: AdjustMethod): (number | null)[] {
  const out: (number | null)[] = ps.map(() => null);
  // Each family's members in one pass (in their order), not a pass over every item per family.
  const members = new Map<string, number[]>();
  families.forEach((family, i) => {
    let list = members.get(family);
    if (!list) members.set(family, (list = []));
    list.push(i);
  });
  for (const indices of members.values()) {
    const adjusted = (method === 'bh' ? benjaminiHochberg : holm)(indices.map((i) => ps[i]));
    indices.forEach((i, k) => { out[i] = adjusted[k]; });
  }
  return out;
}

function crosstab(spec: ItemSpec, groups: readonly Group[], counts: ReadonlyMap<string, Counts>, minGroupSize: number, guard: CompareGuard, options: CompareOptions) {
  const { question } = spec;
  if (isValueItem(spec)) return valueItem(spec, groups, counts, minGroupSize, guard);
  const level = levelOf(spec, options.model);
  const categories = categoriesOf(spec, groups, counts);
  const table = groups.map((g) => rowOf(spec, categories, counts.get(g.key)));
  const item = itemHead(spec, spec.row?.label ?? spec.choice?.label ?? question.title, level);
  const none = { rank: null as RankTest | null, lbl: null as LinearByLinear | null, odds: null as OddsRatio | null, valueTest: null as RankTest | null };
  const rows = table.map((row, g) => ({ g, n: row.reduce((a, b) => a + b, 0) }));
  const kept = keptGroups(spec, rows, item, groups, minGroupSize, guard);
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
  let n = 0;
  for (const row of counted) for (const x of row) n += x;
  item.n = n;
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

/**
 * A compare item before its groups and numbers, its fields in the order of the API. Made
 * field by field: a literal with optional fields spread into it took V8's slow path, and was
 * a fifth of a comparison's work.
 */
function itemHead(spec: ItemSpec, title: string, level: CompareItem['level']): CompareItem {
  const { question } = spec;
  const item = { name: question.name } as CompareItem;
  if (spec.row) item.row = spec.row.value;
  if (spec.choice) item.choice = spec.choice.value;
  item.title = title;
  item.questionTitle = question.title;
  item.panel = question.panel;
  item.context = specContext(spec);
  item.type = question.type;
  item.groups = [];
  item.groupLabels = [];
  item.categories = [];
  item.categoryLabels = [];
  item.level = level;
  item.test = null;
  item.suppressed = false;
  item.reason = null;
  item.excludedGroups = [];
  item.sentence = '';
  return item;
}

/**
 * The groups of an item that may be shown (disclosure.ts: the minimum, the rest of the item's
 * n and of every enclosing selection, the cell rule); the others go to excludedGroups, all
 * with one reason: no answers, a few, and a rest of a few are not told apart.
 */
function keptGroups(spec: ItemSpec, rows: ReadonlyArray<{ g: number; n: number }>, item: CompareItem, groups: readonly Group[], minGroupSize: number, guard: CompareGuard): number[] {
  const visible = shownGroups(rows, guard.whole ? answeredItem(spec, guard.whole) : null, minGroupSize,
    ({ g, n }) => guard.enclosing.every((around) => restOk(answeredItem(spec, around.get(groups[g].key)), n, minGroupSize))
      && (guard.cells?.(spec, groups[g].key, n) ?? true));
  for (const r of rows) if (!visible.has(r)) item.excludedGroups.push({ value: groups[r.g].value, label: groups[r.g].label, reason: 'below-minimum' });
  return rows.filter((r) => visible.has(r)).map((r) => r.g);
}

/** The stored values of a number (row '', or a multiple text's item) or the places of a ranked choice (row: the choice), finite numbers only. */
function valuesOf(spec: ItemSpec, counts: Counts | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!counts) return out;
  for (const [value, k] of counts.values(spec.question.name, spec.choice?.key ?? spec.row?.key ?? '')) {
    // "7" and "7.0" are one value: keyed by the number, so the rank test sees one tie.
    const key = String(Number(value));
    if (value.trim() !== '' && Number.isFinite(Number(value))) out.set(key, (out.get(key) ?? 0) + k);
  }
  return out;
}

/** A number's or one ranked choice's summary in one selection or group, as a compare item shows it per group. */
export interface ValueSummary {
  n: number;
  numbers?: NumberSummary & { iqr: number };
  ranks?: { n: number; meanRank: number; firstPlaces: number; firstPlacePercent: number };
}

/**
 * The summary of a number (n, mean, median, quartiles as R's type 7, IQR) or of one ranked
 * choice (how many ranked it, its mean place, first places) in these counts; null when nobody
 * answered it. The one implementation behind the comparison's groups and the series' waves.
 */
export function valueSummary(spec: ItemSpec, counts: Counts | undefined): ValueSummary | null {
  return summaryOfValues(spec, valuesOf(spec, counts));
}

function summaryOfValues(spec: ItemSpec, values: ReadonlyMap<string, number>): ValueSummary | null {
  let n = 0;
  let total = 0;
  for (const [value, k] of values) { n += k; total += Number(value) * k; }
  if (n === 0) return null;
  if (spec.question.kind === 'ranking') {
    const first = values.get('1') ?? 0;
    return { n, ranks: { n, meanRank: total / n, firstPlaces: first, firstPlacePercent: (100 * first) / n } };
  }
  const s = numberSummary(new Map(values))!;
  return { n, numbers: { ...s, iqr: s.q3 - s.q1 } };
}

/**
 * A number or one ranked choice compared between the groups: per shown group its summary,
 * and a rank test on the values (each distinct value a category of the groups × values
 * table; the midranks of rankTest are then those of the single answers, ties included).
 */
function valueItem(spec: ItemSpec, groups: readonly Group[], counts: ReadonlyMap<string, Counts>, minGroupSize: number, guard: CompareGuard) {
  const { question } = spec;
  const ranking = question.kind === 'ranking';
  const item = itemHead(spec, spec.choice ? t('dashboard.rankedChoice', { choice: spec.choice.label }) : spec.row ? spec.row.label : question.title,
    ranking ? 'ordinal' : 'scale');
  const none = { test: null as TableTest | null, rank: null, lbl: null, odds: null, valueTest: null as RankTest | null, categoryLabels: [] as string[], groupPhrases: [] as string[] };
  const values = groups.map((g) => valuesOf(spec, counts.get(g.key)));
  const rows = values.map((v, g) => ({ g, n: [...v.values()].reduce((a, b) => a + b, 0) }));
  const kept = keptGroups(spec, rows, item, groups, minGroupSize, guard);
  item.groups = kept.map((g) => groups[g].value);
  item.groupLabels = kept.map((g) => groups[g].label);
  if (kept.length < 2) {
    // One group alone is not shown either: the whole selection's numbers are in the results.
    item.suppressed = true;
    item.reason = 'fewer-than-two-groups';
    item.sentence = t('results.notTested.fewerThanTwoGroups');
    return { item, ...none };
  }
  // Kept groups have answers (at least the minimum), so each has a summary.
  if (ranking) item.ranks = kept.map((g) => summaryOfValues(spec, values[g])!.ranks!);
  else item.numbers = kept.map((g) => summaryOfValues(spec, values[g])!.numbers!);
  item.n = rows.filter((r) => kept.includes(r.g)).reduce((a, r) => a + r.n, 0);
  // Groups × distinct values, the values in numeric order (a table as the ordinal items'; its size is that of the answers).
  const distinct = [...new Set(kept.flatMap((g) => [...values[g].keys()]))].sort((a, b) => Number(a) - Number(b));
  const table = kept.map((g) => distinct.map((v) => values[g].get(v) ?? 0));
  if (new Set(distinct.map(Number)).size < 2) {
    item.reason = 'fewer-than-two-categories';
    item.sentence = t('results.notTested.oneValue');
    return { item, ...none };
  }
  return { item, ...none, valueTest: rankTest(table) };
}

function rankText(test: RankTest): string {
  return t(`results.rankTest.${test.method}`, {
    statistic: formatNumberNl(test.statistic, 2), z: test.z === null ? '' : formatNumberNl(test.z, 2), df: String(test.df ?? ''),
    n: String(test.n), p: formatPValue(test.p), effect: formatNumberNl(test.effectSize, 2),
  });
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
  if (isValueItem(spec)) return [...valuesOf(spec, counts).values()].reduce((a, b) => a + b, 0);
  const missing = missingKeysOf(question);
  if (spec.choice) return counts.answered(question.name) - [...missing].reduce((n, key) => n + counts.count(question.name, '', key), 0);
  let n = 0;
  for (const [value, k] of counts.values(question.name, spec.row?.key ?? '')) if (!missing.has(value)) n += k;
  return n;
}

/** A question's missing values (its choices marked missing), once per question of an instrument model (models are kept per version). */
const missingKeys = new WeakMap<QuestionModel, ReadonlySet<string>>();
function missingKeysOf(question: QuestionModel): ReadonlySet<string> {
  let keys = missingKeys.get(question);
  if (!keys) missingKeys.set(question, (keys = new Set(question.choices.filter((c) => c.missing).map((c) => c.key))));
  return keys;
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
