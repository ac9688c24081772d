// The per-question tables of GET /api/v1/waves/:id/results, built from the counts (pure).
//
// n is the number of respondents who answered the question (or the matrix row); missing is
// the number of the selected respondents who did not. Answers to questions a respondent
// was routed past are never stored, so `missing` includes everyone the question was not
// shown to (e.g. the professionals for a students-only question): it is "no answer",
// not "skipped". `percent` is of n (SPSS's valid percent), `percentOfAll` of all selected
// respondents (SPSS's percent), `percentOfMentions` (checkboxes) of all ticks.
import type { Choice, InstrumentModel, MatrixRow, QuestionModel } from './instrument-model';
import type { Counts } from './tally-index';
import type { ItemGuard } from './disclosure';

export interface OptionJson {
  value: string | number | boolean;
  label: string;
  /** Ranking: the mean place of this choice (1 is first) and how many put it first. */
  meanRank?: number;
  firstPlaces?: number;
  firstPlacePercent?: number;
  count?: number;
  percent?: number;
  percentOfAll?: number;
  percentOfMentions?: number;
}

export interface RowJson {
  name: string | number;
  title: string;
  /** null when suppressed */
  n: number | null;
  missing: number | null;
  suppressed: boolean;
  options: OptionJson[];
  /** A number item of a multiple text: as `numbers` of a number question, absent when suppressed. */
  numbers?: NumberSummary | null;
}

export interface QuestionJson {
  name: string;
  title: string;
  panel: string | null;
  /** The item this question is part of (itemContext), else null. */
  context: string | null;
  type: string;
  kind: QuestionModel['kind'];
  /** null when suppressed */
  n: number | null;
  missing: number | null;
  suppressed: boolean;
  /** Checkboxes: the number of ticks, the base of percentOfMentions. */
  mentions?: number;
  /** A number typed in: n, mean, median and quartiles (type 7, as R's quantile() and Excel). Never the single values. */
  numbers?: NumberSummary | null;
  options: OptionJson[];
  rows?: RowJson[];
}

/**
 * `shown` decides per item (disclosure.ts): answered by at least the minimum, and by nobody
 * or at least the minimum more in every selection around this one. A number of the wave
 * minus the same number of a filtered group must not describe a few people.
 */
export function questionTables(model: InstrumentModel, counts: Counts, respondents: number, shown: ItemGuard): QuestionJson[] {
  return model.questions.map((q) => {
    const base = { name: q.name, title: q.title, panel: q.panel, context: q.context, type: q.type, kind: q.kind };
    const n = q.kind === 'single' ? sum(counts.values(q.name, '')) : counts.answered(q.name);
    const suppressed = !shown(q, '', n);
    // Suppressed: not how many answered either. After routing, "2 answered the follow-up on
    // own experience" is exactly the small group the minimum protects.
    const question: QuestionJson = { ...base, n: suppressed ? null : n, missing: suppressed ? null : respondents - n, suppressed, options: [] };
    if (q.numberItems.length > 0) question.rows = q.numberItems.map((item) => numberItemRow(q, item, counts, respondents, suppressed, shown));
    if (q.kind === 'text' || q.kind === 'date' || q.kind === 'table') return question;
    if (q.kind === 'number') {
      if (!suppressed) question.numbers = numberSummary(counts.values(q.name, ''));
      return question;
    }
    if (q.kind === 'ranking') {
      question.options = q.choices.map((c) => {
        if (suppressed) return { value: c.value, label: c.label };
        const places = counts.values(q.name, c.key);
        let ranked = 0;
        let total = 0;
        for (const [place, k] of places) { ranked += k; total += Number(place) * k; }
        const first = places.get('1') ?? 0;
        return { value: c.value, label: c.label, count: ranked, meanRank: ranked > 0 ? total / ranked : 0, firstPlaces: first, firstPlacePercent: share(first, n) };
      });
      return question;
    }
    if (q.kind === 'matrix') {
      question.options = q.choices.map((c) => ({ value: c.value, label: c.label }));
      question.rows = q.rows.map((row) => {
        const values = counts.values(q.name, row.key);
        const rowN = sum(values);
        const rowSuppressed = suppressed || !shown(q, row.key, rowN);
        return {
          name: row.value, title: row.label, n: rowSuppressed ? null : rowN, missing: rowSuppressed ? null : respondents - rowN, suppressed: rowSuppressed,
          options: options(withUnknown(q.choices, values), values, rowN, respondents, null, rowSuppressed),
        };
      });
      return question;
    }
    const values = counts.values(q.name, '');
    const mentions = q.kind === 'multi' ? sum(values) : null;
    if (mentions !== null && !suppressed) question.mentions = mentions;
    question.options = options(withUnknown(q.choices, values), values, n, respondents, mentions, suppressed);
    return question;
  });
}

/**
 * A number item of a multiple text (stored under its name as the row): n, missing and the
 * summary of a number question, under the same item rule as a matrix row.
 */
function numberItemRow(q: QuestionModel, item: MatrixRow, counts: Counts, respondents: number, suppressed: boolean, shown: ItemGuard): RowJson {
  const values = counts.values(q.name, item.key);
  const n = sum(values);
  const rowSuppressed = suppressed || !shown(q, item.key, n);
  const row: RowJson = { name: item.value, title: item.label, n: rowSuppressed ? null : n, missing: rowSuppressed ? null : respondents - n, suppressed: rowSuppressed, options: [] };
  if (!rowSuppressed) row.numbers = numberSummary(values);
  return row;
}

function options(choices: Choice[], values: Map<string, number>, n: number, respondents: number, mentions: number | null, suppressed: boolean): OptionJson[] {
  return choices.map((c) => {
    if (suppressed) return { value: c.value, label: c.label };
    const count = values.get(c.key) ?? 0;
    const option: OptionJson = { value: c.value, label: c.label, count, percent: share(count, n), percentOfAll: share(count, respondents) };
    if (mentions !== null) option.percentOfMentions = share(count, mentions);
    return option;
  });
}

/** The instrument's choices, then any stored value the instrument does not know (kept, so counts add up). */
export function withUnknown(choices: Choice[], values: Map<string, number>): Choice[] {
  const known = new Set(choices.map((c) => c.key));
  const unknown = [...values.keys()].filter((v) => !known.has(v)).sort()
    .map((key): Choice => ({ value: key, key, label: key, missing: false }));
  return [...choices, ...unknown];
}

export interface NumberSummary { n: number; mean: number; median: number; q1: number; q3: number }

/** Summary of numbers given as value -> count (the stored answers); null without numbers. */
export function numberSummary(values: Map<string, number>): NumberSummary | null {
  const sorted = [...values].map(([v, k]) => [Number(v), k] as const).filter(([v]) => Number.isFinite(v)).sort((a, b) => a[0] - b[0]);
  let n = 0;
  let total = 0;
  for (const [v, k] of sorted) { n += k; total += v * k; }
  if (n === 0) return null;
  // The value at 0-based position i of the sorted list, walking the counts.
  const at = (i: number) => {
    let seen = 0;
    for (const [v, k] of sorted) { seen += k; if (i < seen) return v; }
    return sorted[sorted.length - 1][0];
  };
  const quantile = (p: number) => {
    const h = (n - 1) * p;
    const low = Math.floor(h);
    return at(low) + (h - low) * (at(Math.min(low + 1, n - 1)) - at(low));
  };
  return { n, mean: total / n, median: quantile(0.5), q1: quantile(0.25), q3: quantile(0.75) };
}

export function share(count: number, total: number): number {
  return total > 0 ? (100 * count) / total : 0;
}

export function sum(values: Map<string, number>): number {
  let total = 0;
  for (const count of values.values()) total += count;
  return total;
}
