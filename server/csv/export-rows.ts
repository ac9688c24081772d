// One response as one row of the export, column by column. Values are the instrument's
// choice values unless the reader asked for labels; multi-select choices are 1 or 0, and
// empty when the question was not answered at all (not shown, or skipped), so that "not
// ticked" and "not asked" stay apart. A background answer blanked for k-anonymity is the
// code SUPPRESSED in every column of its question, never an empty cell, so that a reader
// does not take it for a real missing answer.
import type { CsvColumn, Scalar } from './columns';

/** The cell of a value blanked for k-anonymity; listed in the codebook. */
export const SUPPRESSED = 'suppressed';
export const SUPPRESSED_LABEL = 'onderdrukt';

export interface ExportedResponse {
  sequence: number;
  day: string;
  data: Record<string, unknown>;
}

type Cell = string | number;

/**
 * @param blanked what is suppressed in this row: background questions by name (all their
 * columns), dates by columnKey (that column alone)
 */
export function exportRow(columns: CsvColumn[], response: ExportedResponse, labels: boolean, blanked?: ReadonlySet<string>): Cell[] {
  return columns.map((column) => exportCell(column, response, labels, blanked));
}

/** One cell of exportRow. */
export function exportCell(column: CsvColumn, response: ExportedResponse, labels: boolean, blanked?: ReadonlySet<string>): Cell {
  return isBlanked(column, blanked) ? (labels ? SUPPRESSED_LABEL : SUPPRESSED) : cellOf(column, response, labels);
}

/**
 * The key of one column among the quasi-identifiers of a k-anonymous export (a date): apart
 * from question names, which stand for every column of a background question.
 */
export const columnKey = (column: Pick<CsvColumn, 'name' | 'question' | 'cell'>): string =>
  // A table's cells of one column are one value together (as a multi-select's choices): a
  // dynamic matrix may have 100 rows, and 100 variables made the plan take minutes.
  (column.cell ? `\u0000${column.question}\u0000${column.cell[1]!}` : `\u0000${column.name}`);

/** Whether a column's value is suppressed in a row, given what is blanked (exportRow), or may be in a file. */
export const isBlanked = (column: CsvColumn, blanked?: ReadonlySet<string>): boolean =>
  !!blanked && blanked.size > 0 && (blanked.has(column.question) || (column.kind === 'date' && blanked.has(columnKey(column))));

/**
 * A background question's answer as one value for grouping: the choice, for a multi-select
 * question the ticked choices together (in a fixed order), '' when not answered.
 */
export function backgroundValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (Array.isArray(value)) return value.length === 0 ? '' : JSON.stringify(value.map(String).sort());
  return String(value);
}

/**
 * The part of a response a column reads: the question's answer, or for a table cell the value
 * at `column.cell` in it (a dynamic matrix's or panel's rows are a list, numbered from 1 in the
 * column). Own properties only: the keys come from the instrument.
 */
export function answerOf(column: CsvColumn, data: Record<string, unknown>): unknown {
  if (column.question === '' || !Object.hasOwn(data, column.question)) return undefined;
  let value = data[column.question];
  if (column.cell === undefined) return value; // most columns: no steps, and no empty list made per cell
  for (const step of column.cell) {
    if (Array.isArray(value)) value = value[Number(step) - 1];
    else if (isRecord(value) && Object.hasOwn(value, step)) value = value[step];
    else return undefined;
  }
  return value;
}

function cellOf(column: CsvColumn, response: ExportedResponse, labels: boolean): Cell {
  const value = answerOf(column, response.data);
  switch (column.kind) {
    case 'sequence':
      return response.sequence;
    case 'day':
      return response.day;
    case 'choice':
    case 'matrixRow':
      return answerCell(column, choiceOf(column, value), labels);
    case 'flag':
      return flagCell(value, String(column.choice!.value));
    case 'item':
      return isRecord(value) && value[column.row!] !== undefined ? String(value[column.row!]) : '';
    case 'rank': {
      // Its place in the order, 1 first; empty when the question was not answered or this choice not ranked.
      if (!Array.isArray(value)) return '';
      const place = value.findIndex((v) => String(v) === String(column.choice!.value));
      return place < 0 ? '' : place + 1;
    }
    case 'number': {
      const number = fieldOf(column, value);
      return typeof number === 'number' ? number : number === undefined || number === null ? '' : String(number);
    }
    case 'date': {
      const day = fieldOf(column, value);
      if (day === undefined || day === null || day === '') return '';
      // A k-anonymous export: year and month, the day generalised away (a quasi-identifier).
      return column.month ? monthOf(day) : String(day);
    }
    case 'computed':
      return ''; // never a column of the file
    case 'text':
      return value === undefined || value === null ? '' : Array.isArray(value) ? value.map(String).join(', ') : String(value);
  }
}

/** A multiple-text item's own value (`row` its name), or the answer itself for a question or cell. */
const fieldOf = (column: CsvColumn, value: unknown): unknown =>
  (column.row === undefined ? value : isRecord(value) ? value[column.row] : undefined);

/** A stored day (YYYY-MM-DD) as year and month, the cell of a date in a k-anonymous export. */
export const monthOf = (day: unknown): string => String(day).slice(0, 7);

/** A multi-select's flag column: 1 when `choice` (its value as text) is among the answer's, 0 when not, '' when not answered. */
export function flagCell(answer: unknown, choice: string): Cell {
  if (!Array.isArray(answer)) return '';
  for (const v of answer) if (String(v) === choice) return 1;
  return 0;
}

/** The answer a choice or matrix-row column writes, from what answerOf read for it. */
export function choiceOf(column: CsvColumn, answer: unknown): unknown {
  return column.kind === 'matrixRow' ? (isRecord(answer) ? answer[column.row!] : undefined) : answer;
}

/** A choice or matrix row's cell: the option's value (or label) for the answer, '' when none. */
export function answerCell(column: CsvColumn, value: unknown, labels: boolean): Cell {
  if (value === undefined || value === null || value === '') return '';
  const option = column.options.find((o) => String(o.value) === String(value));
  if (labels && option) return option.label;
  return asCell(option?.value ?? (value as Scalar));
}

const asCell = (value: Scalar): Cell => (typeof value === 'number' ? value : String(value));

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
