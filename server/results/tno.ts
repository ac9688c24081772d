// The TNO quickscan's report tables (meta.views.tno.tables), in the report's own terms
// (pure). The report's percentages are of the respondents the question was put to (SPSS
// "Percent": a respondent who skipped a row still counts, see Tabel 9 row 4 in
// tno-quickscan.md §2b), so the base of a question or matrix row with a simple routing
// condition ("{b_role} = 'student'") is the respondents who meet it; otherwise all the
// selected respondents. Tabel 1 is a percentage of mentions (percentBase "mentions").
// Whole percentages are rounded half up, as the report prints them.
import { roundedPercent } from '../stats';
import { t } from '../i18n/messages';
import { InstrumentModel, QuestionModel, simpleCondition } from './instrument-model';
import type { Counts } from './tally-index';
import { share, sum, withUnknown } from './tables';
import { ItemGuard, restOk, shownGroups } from './disclosure';
import { answeredItem, ItemSpec } from './crosstabs';

export interface TnoTableView {
  id: string;
  caption: string;
  sourceCaption?: string;
  question: string;
  percentBase?: 'mentions';
  by?: string;
}

interface Cells {
  n: number | null;
  suppressed: boolean;
  counts?: number[];
  percents?: number[];
  percentsRounded?: number[];
}

export interface TnoGroups {
  question: QuestionModel;
  sizes: ReadonlyMap<string, number>;
  counts: ReadonlyMap<string, Counts>;
  /** Each group's counts in every selection one filter wider: a column's answerers must differ from those by nobody or at least the minimum. */
  around?: ReadonlyArray<ReadonlyMap<string, Counts>>;
  /** The cell rule (disclosure.ts) for a column's answerers of an item, within filters (service itemCells). */
  cells?: (spec: ItemSpec, groupKey: string, n: number) => boolean;
}

/**
 * `shown` is the item-level complement rule of the selection (disclosure.ts); the group
 * columns are only the groups that may be shown (service groupsOf), and per table the
 * answerers left out of the columns shown must be nobody or at least the minimum, since
 * the total column is beside them.
 */
export function tnoTable(view: TnoTableView, model: InstrumentModel, counts: Counts, respondents: number, minGroupSize: number, shown: ItemGuard, groups?: TnoGroups) {
  const question = model.byName.get(view.question);
  // The report's tables are of closed questions: a table of a number, a date or a ranking
  // would list single values (their summaries are in the summary's `values`, issue 15).
  if (!question || !(question.kind === 'single' || question.kind === 'multi' || question.kind === 'matrix')) return null;
  const head = { id: view.id, caption: view.caption, sourceCaption: view.sourceCaption ?? null, question: view.question, kind: question.kind };
  const choices = withUnknown(question.choices, question.kind === 'matrix' ? new Map() : counts.values(question.name, ''));
  const columns = choices.map((c) => ({ value: c.value, label: c.label }));
  const answeredIn = (c: Counts, row: string) => (question.kind === 'multi' ? c.answered(question.name) : sum(c.values(question.name, row)));
  const cells = (c: Counts, row: string, visibleIf: string | null, all: number, allowed: (answered: number) => boolean): Cells => {
    const values = c.values(question.name, row);
    const answered = answeredIn(c, row);
    // Suppressed: not even how many answered (below the minimum) is shown.
    if (!allowed(answered)) return { n: null, suppressed: true };
    const counted = choices.map((ch) => values.get(ch.key) ?? 0);
    const base = view.percentBase === 'mentions' ? sum(values) : baseOf(visibleIf, c, all);
    return {
      n: base, suppressed: false, counts: counted,
      percents: counted.map((k) => share(k, base)),
      percentsRounded: counted.map((k) => (base > 0 && k <= base ? roundedPercent(k, base) : 0)),
    };
  };
  if (question.kind === 'matrix') {
    const rows = question.rows.map((r) => ({ name: r.value, title: r.label, ...cells(counts, r.key, r.visibleIf ?? question.visibleIf, respondents, (n) => shown(question, r.key, n)) }));
    return { ...head, layout: 'matrix', percentBase: 'respondents', columns, rows };
  }
  if (groups && view.by) {
    const byQuestion = groups.question;
    const present = byQuestion.choices.filter((g) => !g.missing && groups.counts.has(g.key))
      .map((g) => ({ choice: g, n: answeredIn(groups.counts.get(g.key)!, '') }));
    const visible = shownGroups(present, answeredIn(counts, ''), minGroupSize, ({ choice, n }) => (groups.around ?? [])
      .every((m) => restOk(m.has(choice.key) ? answeredIn(m.get(choice.key)!, '') : 0, n, minGroupSize))
      && (groups.cells?.({ question }, choice.key, answeredItem({ question }, groups.counts.get(choice.key))) ?? true));
    const groupColumns = present.map(({ choice: g }, i) => {
      const size = groups.sizes.get(g.key) ?? 0;
      return { value: g.value, label: g.label, ...cells(groups.counts.get(g.key)!, '', question.visibleIf, size, () => visible.has(present[i])) };
    });
    const total = { value: null, label: t('results.total'), ...cells(counts, '', question.visibleIf, respondents, (n) => shown(question, '', n)) };
    return { ...head, layout: 'crosstab', percentBase: 'respondents', by: view.by, options: columns, groups: [...groupColumns, total] };
  }
  const multiMentions = view.percentBase === 'mentions';
  return {
    ...head, layout: 'frequencies', percentBase: multiMentions ? 'mentions' : 'respondents', options: columns,
    ...cells(counts, '', question.visibleIf, respondents, (n) => shown(question, '', n)),
  };
}

/** Respondents the question was put to: those meeting a simple routing condition, else everyone selected. */
function baseOf(visibleIf: string | null, counts: Counts, all: number): number {
  const condition = simpleCondition(visibleIf);
  return condition ? counts.count(condition.question, '', condition.value) : all;
}
