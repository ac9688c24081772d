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
  CompareTest, NoTestReason, TableTest, describeDifference, rowPercentages, significantCells, testTable, toCompareTests,
} from '../stats';
import { t } from '../i18n/messages';
import type { Choice, InstrumentModel, MatrixRow, QuestionModel } from './instrument-model';
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
  test: CompareTest | null;
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

export function compareItems(
  specs: readonly ItemSpec[], groups: readonly Group[], counts: ReadonlyMap<string, Counts>, minGroupSize: number,
  guard: CompareGuard = { enclosing: [] },
): CompareItem[] {
  const built = specs.map((spec) => crosstab(spec, groups, counts, minGroupSize, guard));
  const tests = toCompareTests(built.map((b) => b.test));
  return built.map(({ item, test, categoryLabels, groupPhrases }, i) => {
    const compareTest = tests[i];
    if (test && compareTest) {
      item.test = compareTest;
      item.sentence = describeDifference({ groups: groupPhrases, categories: categoryLabels, residuals: test.residuals, pAdjusted: compareTest.pAdjusted });
    }
    return item;
  });
}

function crosstab(spec: ItemSpec, groups: readonly Group[], counts: ReadonlyMap<string, Counts>, minGroupSize: number, guard: CompareGuard) {
  const { question } = spec;
  const categories = categoriesOf(spec, groups, counts);
  const table = groups.map((g) => rowOf(spec, categories, counts.get(g.key)));
  const item: CompareItem = {
    name: question.name,
    ...(spec.row ? { row: spec.row.value } : {}),
    ...(spec.choice ? { choice: spec.choice.value } : {}),
    title: spec.row?.label ?? spec.choice?.label ?? question.title,
    questionTitle: question.title, panel: question.panel, type: question.type,
    groups: [], groupLabels: [], categories: [], categoryLabels: [],
    test: null, suppressed: false, reason: null, excludedGroups: [], sentence: '',
  };
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
    return { item, test: null, categoryLabels: item.categoryLabels, groupPhrases };
  }
  const usedColumns = categories.map((_, c) => c).filter((c) => kept.some((g) => table[g][c] > 0));
  const counted = kept.map((g) => usedColumns.map((c) => table[g][c]));
  item.categories = usedColumns.map((c) => categories[c].value);
  item.categoryLabels = usedColumns.map((c) => categories[c].label);
  item.counts = counted;
  item.n = counted.flat().reduce((a, b) => a + b, 0);
  item.rowPercents = rowPercentages(counted);
  const outcome = testTable(counted);
  let test: TableTest | null = null;
  if (outcome.test) {
    test = outcome.test;
    item.residuals = test.residuals;
    item.significantCells = significantCells(test.residuals);
  } else {
    item.reason = outcome.reason;
    item.sentence = t(outcome.reason === 'fewer-than-two-categories' ? 'results.notTested.oneCategory' : 'results.notTested.noAnswers');
  }
  return { item, test, categoryLabels: item.categoryLabels, groupPhrases };
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
