// The columns of a wave's CSV, derived from its instrument version: one per question,
// matrix row (`q.row`), multi-select choice (`q.choice`, 1/0), ranked choice (`q.choice`,
// its rank), and table cell (`q.row.column` of a matrix dropdown, `q.3.column` of a dynamic
// matrix, `q.3.question` of a dynamic panel, from 1), in the order a respondent meets them. The export, the codebook and the import all read this one list, so the
// three cannot drift apart. Contact questions are never columns: their answers are kept
// apart from the responses and nothing here may bring them back together.
import { cellQuestionsOf, dynamicRowLimit, isDateInput, isNumberInput, Question, questionsOf, surveyModel, titleOf } from '../survey/model';
import type { InstrumentVersion } from '../instruments/repository';
import { panelTitleOf } from '../results/instrument-model';

export type Scalar = string | number | boolean;

export interface ValueLabel {
  value: Scalar;
  label: string;
}

export type ColumnKind =
  | 'sequence' // running number of the row in this file
  | 'day' // the day the response came in
  | 'choice' // one answer out of `options`
  | 'matrixRow' // one row of a matrix; the answer is one of `options`
  | 'flag' // one choice of a multi-select question: 1 ticked, 0 not
  | 'text' // free text
  | 'number' // a number typed in (also a number item of a multiple text, `row` its name)
  | 'date' // a day, YYYY-MM-DD (also a date item of a multiple text); year and month only in a k-anonymous export
  | 'item' // one text field of a multiple-text question
  | 'rank' // one choice of a ranking question: its place, 1 first, empty when not ranked
  | 'computed'; // a computed (expression) question or cell: not stored, never a column of the file (computedColumns)

export interface CsvColumn {
  /** The header: `q`, `q.row`, `q.choice` or `q-Comment`. */
  name: string;
  kind: ColumnKind;
  /** The key in the SurveyJS result; '' for the sequence and day columns. */
  question: string;
  /** Matrix row or multiple-text item. */
  row?: string;
  /** The choice a flag column stands for. */
  choice?: ValueLabel;
  /** The question text as the codebook prints it, with the row or choice where there is one. */
  title: string;
  /** The question text alone. */
  questionTitle: string;
  /**
   * The item the question is part of (the panel it sits in: Weerman's numbered question for
   * "Wat is er?"), else null; the codebook prints it before the title. Absent for the
   * sequence and day columns.
   */
  context?: string | null;
  /** The possible answers of a choice or matrix-row column. */
  options: ValueLabel[];
  /**
   * Where in a table's answer the cell is: [row value, column] of a matrix dropdown, [row
   * number, column] of a dynamic matrix, [panel number, question] of a dynamic panel (numbers
   * from 1). Absent for the other columns, which read the question's answer (and `row`).
   */
  cell?: string[];
  /** The condition of the table column or panel question that shows the cell, as SurveyJS writes it. */
  cellVisibleIf?: string | null;
  /** The table's rows are a list (a dynamic matrix or panel), `cell[0]` its number from 1; else rows are named. */
  numberedRows?: boolean;
  /** A date written as year and month only (a k-anonymous export, see anonymousColumns). */
  month?: boolean;
  /** A computed column's expression, as SurveyJS writes it. */
  expression?: string;
}

export const SEQUENCE_COLUMN = 'volgnummer';
export const DAY_COLUMN = 'datum';

type Item = { value: Scalar; text: string };

export function csvColumns(instrument: Pick<InstrumentVersion, 'definition' | 'meta'>): CsvColumn[] {
  return columnsOnce(instrument).filter((c) => c.kind !== 'computed');
}

/**
 * allColumns of an instrument version, worked out once: it builds a SurveyModel (30-70 ms of
 * the event loop held for the quickscan on the 2-core machine, once per import and per
 * export, while submissions waited; bench/submissions.ts). A version's definition and meta
 * are never changed once stored, and the catalogue hands out the same objects (its cache),
 * so they are the key; a definition not seen again is collected with its columns.
 */
const columnsByDefinition = new WeakMap<object, WeakMap<object, readonly CsvColumn[]>>();
function columnsOnce(instrument: Pick<InstrumentVersion, 'definition' | 'meta'>): readonly CsvColumn[] {
  let byMeta = columnsByDefinition.get(instrument.definition);
  if (!byMeta) columnsByDefinition.set(instrument.definition, (byMeta = new WeakMap()));
  let columns = byMeta.get(instrument.meta);
  if (!columns) byMeta.set(instrument.meta, (columns = allColumns(instrument)));
  return columns;
}

/**
 * The computed (expression) questions and table cells, where their columns would be: not
 * stored (worked out from the other answers, and survey-core works them out again on the
 * server whatever the page sent), so never in the file; the codebook lists them with their
 * expression so that a researcher can compute them from the columns that are.
 */
export function computedColumns(instrument: Pick<InstrumentVersion, 'definition' | 'meta'>): CsvColumn[] {
  return columnsOnce(instrument).filter((c) => c.kind === 'computed');
}

function allColumns(instrument: Pick<InstrumentVersion, 'definition' | 'meta'>): CsvColumn[] {
  const model = surveyModel(instrument.definition);
  const contact = new Set(Array.isArray(instrument.meta.contactQuestions) ? (instrument.meta.contactQuestions as string[]) : []);
  const columns: CsvColumn[] = [
    { name: SEQUENCE_COLUMN, kind: 'sequence', question: '', title: 'Volgnummer van de respons in dit bestand', questionTitle: '', options: [] },
    { name: DAY_COLUMN, kind: 'day', question: '', title: 'Dag waarop de respons binnenkwam (JJJJ-MM-DD)', questionTitle: '', options: [] },
  ];
  // Top-level questions only: the fields of a multiple-text question are its items, below.
  for (const q of questionsOf(model)) {
    const name = q.getValueName();
    if (contact.has(name)) continue;
    const context = panelTitleOf(q);
    columns.push(...columnsOf(q, name).map((c) => ({ ...c, questionTitle: titleOf(q), context })));
    if (q.hasComment || q.showCommentArea || q.hasOther || q.showOtherItem) {
      const title = `${titleOf(q)} (toelichting)`;
      columns.push({ name: `${name}-Comment`, kind: 'text', question: `${name}-Comment`, title, questionTitle: title, context, options: [] });
    }
  }
  return columns;
}

type ColumnDraft = Omit<CsvColumn, 'questionTitle'>;

function columnsOf(q: Question, name: string): ColumnDraft[] {
  const title = titleOf(q);
  switch (q.getType()) {
    case 'matrix': {
      const options = labelled(q.columns as Item[]);
      return (q.rows as Item[]).map((row) => ({
        name: `${name}.${row.value}`, kind: 'matrixRow' as const, question: name, row: String(row.value), title: joinTitle(title, row.text), options,
      }));
    }
    case 'multipletext':
      // A number item is a number, a date item a day, as a text question of that input type.
      return (q.items as Array<{ name: string; title: string; inputType?: string; validators?: unknown }>).map((item) => ({
        name: `${name}.${item.name}`, kind: isNumberInput(item) ? 'number' as const : isDateInput(item) ? 'date' as const : 'item' as const,
        question: name, row: item.name, title: joinTitle(title, item.title), options: [],
      }));
    case 'matrixdropdown':
      return (q.rows as Item[]).flatMap((row) => cellColumns(q, name, String(row.value), joinTitle(title, String(row.text ?? row.value))));
    case 'matrixdynamic':
    case 'paneldynamic': {
      const unit = q.getType() === 'matrixdynamic' ? 'rij' : 'deel';
      const columns: ColumnDraft[] = [];
      for (let n = 1; n <= dynamicRowLimit(q); n++) columns.push(...cellColumns(q, name, String(n), joinTitle(title, `${unit} ${n}`)));
      return columns.map((c) => ({ ...c, numberedRows: true }));
    }
    default:
      return answerColumns(q, { name, question: name, title });
  }
}

/** The cells of one row of a table (one panel of a dynamic panel): a column, or flag or rank columns, per cell. */
function cellColumns(q: Question, name: string, row: string, rowTitle: string): ColumnDraft[] {
  return cellQuestionsOf(q).flatMap((cell) => answerColumns(cell.question, {
    name: `${name}.${row}.${cell.name}`, question: name, title: joinTitle(rowTitle, titleOf(cell.question)),
    cell: [row, cell.name], cellVisibleIf: cell.visibleIf,
  }, cell.choices as Item[] | null));
}

type Place = Pick<CsvColumn, 'name' | 'question' | 'title' | 'cell' | 'cellVisibleIf'>;

/**
 * The columns of a question whose answer is one value or a list of values: a top-level
 * question, or a cell of a table (`place.cell`). Matrices and multiple texts in a cell are
 * not storable (a cell holds a value or a list, see answer-shape), so they have none.
 */
function answerColumns(q: Question, place: Place, inherited: Item[] | null = null): ColumnDraft[] {
  const choices = () => (inherited ? labelled(inherited) : allChoices(q));
  const one = (kind: ColumnKind, options: ValueLabel[] = []): ColumnDraft[] => [{ ...place, kind, options }];
  const perChoice = (kind: 'flag' | 'rank'): ColumnDraft[] => choices().map((choice) => ({
    ...place, name: `${place.name}.${choice.value}`, kind, choice,
    title: joinTitle(place.title, kind === 'rank' ? `${choice.label} (plaats, 1 = eerste)` : choice.label),
    options: kind === 'flag' ? FLAG_OPTIONS : [],
  }));
  switch (q.getType()) {
    case 'radiogroup':
    case 'dropdown':
      return one('choice', choices());
    case 'imagepicker':
      return q.multiSelect ? perChoice('flag') : one('choice', choices());
    case 'rating':
      return one('choice', labelled(q.visibleRateValues as Item[]));
    case 'boolean':
      return one('choice', [{ value: q.valueTrue ?? true, label: String(q.labelTrue) }, { value: q.valueFalse ?? false, label: String(q.labelFalse) }]);
    case 'checkbox':
    case 'tagbox':
      return perChoice('flag');
    case 'ranking':
      return perChoice('rank');
    case 'text':
      return one(q.inputType === 'number' || q.inputType === 'range' ? 'number' : q.inputType === 'date' ? 'date' : 'text');
    case 'comment':
      return one('text');
    case 'expression':
      return [{ ...place, kind: 'computed', options: [], expression: String(q.expression ?? '') }];
    default:
      return []; // html, panels, images: nothing answered
  }
}

/** Every value the columns' options hold: the missing-value codes lie below its numbers (missingCodesOf). */
export const optionValues = (columns: CsvColumn[]): Scalar[] => columns.flatMap((c) => c.options.map((o) => o.value));

export const FLAG_OPTIONS: ValueLabel[] = [{ value: 1, label: 'aangevinkt' }, { value: 0, label: 'niet aangevinkt' }];

/**
 * Every choice, whatever the routing would show: the declared ones in their order, then
 * the items survey-core adds (none, other, refused, don't know). Choices hidden by a
 * condition are still possible answers for someone, so they are still columns.
 */
function allChoices(q: Question, depth = 0): ValueLabel[] {
  // Choices taken from another question (a ranking of the cars ticked before): that question's.
  const source = q.choicesFromQuestion ? q.survey?.getQuestionByName(q.choicesFromQuestion) as Question | null : null;
  if (source && depth < 5 && (q.choices as Item[]).length === 0) return allChoices(source, depth + 1);
  const declared = labelled(q.choices as Item[]);
  const seen = new Set(declared.map((c) => String(c.value)));
  const added = (q.visibleChoices as Item[])
    .filter((c) => c !== q.selectAllItem && !seen.has(String(c.value)));
  return [...declared, ...labelled(added)];
}

const labelled = (items: Item[]): ValueLabel[] => items.map((i) => ({ value: i.value, label: String(i.text ?? i.value) }));

/** "Question: row", without doubling a colon the question text already ends with. */
export const joinTitle = (question: string, part: string): string =>
  (question.trimEnd().endsWith(':') ? `${question.trimEnd()} ${part}` : `${question}: ${part}`);
