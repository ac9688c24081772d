// What the dashboards show, as CSV: the frequency tables and the comparisons, taken as
// they are from the results service's JSON (no statistic is computed here). Long format,
// one line per answer option or per crosstab cell, so that R or SPSS can filter and pivot.
// Suppressed groups stay suppressed: their lines carry no numbers.
import type { QuestionJson, OptionJson } from '../results/tables';
import type { CompareItem } from '../results/crosstabs';

type Cell = string | number;

// `context`, beside the question: the item a question is part of (Weerman's numbered question
// for "Wat is er?"), empty when none. `suppressed` stays the last column.
export const FREQUENCY_HEADER = ['variable', 'question', 'context', 'row', 'row_label', 'value', 'label', 'count', 'percent', 'percent_of_all', 'percent_of_mentions', 'n', 'missing', 'suppressed'];

export function frequencyRows(questions: QuestionJson[], decimal: '.' | ','): Cell[][] {
  const num = numberCell(decimal);
  const rows: Cell[][] = [FREQUENCY_HEADER];
  const line = (q: QuestionJson, row: { name: string | number; title: string } | null, n: number | null, missing: number | null, suppressed: boolean, o: OptionJson | null) => rows.push([
    row ? `${q.name}.${row.name}` : q.name, q.title, q.context ?? '', row ? row.name : '', row ? row.title : '',
    o ? cell(o.value) : '', o ? o.label : '', num(o?.count), num(o?.percent), num(o?.percentOfAll), num(o?.percentOfMentions),
    n ?? '', missing ?? '', suppressed ? 1 : 0, // a suppressed question carries neither (server/results/tables.ts)
  ]);
  for (const q of questions) {
    if (q.rows) {
      // A multiple text: its own line (as before its number items had rows), then one per number item.
      if (q.kind === 'text') line(q, null, q.n, q.missing, q.suppressed, null);
      for (const row of q.rows) {
        if (row.options.length === 0) line(q, row, row.n, row.missing, row.suppressed, null);
        for (const o of row.options) line(q, row, row.n, row.missing, row.suppressed, o);
      }
    } else if (q.options.length === 0) {
      line(q, null, q.n, q.missing, q.suppressed, null);
    } else {
      for (const o of q.options) line(q, null, q.n, q.missing, q.suppressed, o);
    }
  }
  return rows;
}

export const COMPARE_HEADER = [
  'variable', 'question', 'context', 'group', 'group_label', 'category', 'category_label', 'count', 'row_percent', 'adjusted_residual',
  'method', 'statistic', 'df', 'p_chi_square', 'p', 'p_adjusted', 'cramers_v', 'n', 'min_expected', 'text', 'suppressed',
  // Issue 14: the unadjusted p and the family it was adjusted in.
  'p_unadjusted', 'family', 'family_size', 'adjust_method',
  // Issue 15: per shown group of a number (n, mean, median, quartiles) or a ranked choice (n, mean place, first places).
  'group_n', 'mean', 'median', 'q1', 'q3', 'iqr', 'mean_rank', 'first_places', 'first_place_percent',
];
const NO_SUMMARY = ['', '', '', '', '', '', '', '', ''];

export function compareRows(items: CompareItem[], decimal: '.' | ','): Cell[][] {
  const num = numberCell(decimal);
  const rows: Cell[][] = [COMPARE_HEADER];
  for (const item of items) {
    const variable = [item.name, item.row, item.choice].filter((p) => p !== undefined && p !== null).join('.');
    const test = item.test;
    const rank = item.rankTest;
    const testCells = test
      ? [test.method, num(test.statistic), test.df, num(test.pChiSquare), num(test.p), num(test.pAdjusted), num(test.cramersV), test.n, num(test.minExpected), test.text]
      : rank ? [rank.method, num(rank.statistic), rank.df ?? '', '', num(rank.p), num(rank.pAdjusted), '', rank.n, '', rank.text]
        : ['', '', '', '', '', '', '', item.n ?? '', '', ''];
    const family = test?.family ?? rank?.family;
    const familyCells = family ? [num(test?.pUnadjusted ?? rank!.p), family.name, family.size, family.method] : ['', '', '', ''];
    const summaries = item.suppressed ? null : item.numbers ?? item.ranks ?? null;
    if (summaries) {
      // A number or ranked choice: no counts per answer, but per shown group its summary as
      // the API gives it. Only the groups the API shows: those below the minimum, or
      // derivable from the rest, are not in item.groups, and a suppressed item has none.
      item.groups.forEach((group, g) => {
        const number = item.numbers?.[g];
        const rank = item.ranks?.[g];
        const summary = number ? [number.n, num(number.mean), num(number.median), num(number.q1), num(number.q3), num(number.iqr), '', '', '']
          : rank ? [rank.n, '', '', '', '', '', num(rank.meanRank), rank.firstPlaces, num(rank.firstPlacePercent)] : NO_SUMMARY;
        rows.push([variable, item.title, item.context ?? '', cell(group), item.groupLabels[g] ?? '', '', '', '', '', '', ...testCells, 0, ...familyCells, ...summary]);
      });
      if (item.groups.length === 0) rows.push([variable, item.title, item.context ?? '', '', '', '', '', '', '', '', ...testCells, 0, ...familyCells, ...NO_SUMMARY]);
      continue;
    }
    if (item.suppressed || !item.counts) {
      rows.push([variable, item.title, item.context ?? '', '', '', '', '', '', '', '', ...testCells, 1, ...familyCells, ...NO_SUMMARY]);
      continue;
    }
    item.groups.forEach((group, g) => item.categories.forEach((category, c) => rows.push([
      variable, item.title, item.context ?? '', cell(group), item.groupLabels[g] ?? '', cell(category), item.categoryLabels[c] ?? '',
      item.counts![g]![c]!, num(item.rowPercents?.[g]?.[c]), num(item.residuals?.[g]?.[c]), ...testCells, 0, ...familyCells, ...NO_SUMMARY,
    ])));
  }
  return rows;
}

const cell = (value: string | number | boolean): Cell => (typeof value === 'number' ? value : String(value));

/** Numbers unrounded (rounding is the reader's), with a decimal comma for Dutch Excel. */
function numberCell(decimal: '.' | ',') {
  return (value: number | undefined | null): Cell => {
    if (value === undefined || value === null || !Number.isFinite(value)) return '';
    return decimal === ',' ? String(value).replace('.', ',') : value;
  };
}
