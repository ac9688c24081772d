// One response as one row of the export, column by column. Values are the instrument's
// choice values unless the reader asked for labels; multi-select choices are 1 or 0, and
// empty when the question was not answered at all (not shown, or skipped), so that "not
// ticked" and "not asked" stay apart.
import type { CsvColumn, Scalar } from './columns';

export interface ExportedResponse {
  sequence: number;
  day: string;
  data: Record<string, unknown>;
}

type Cell = string | number;

export function exportRow(columns: CsvColumn[], response: ExportedResponse, labels: boolean): Cell[] {
  return columns.map((column) => cellOf(column, response, labels));
}

function cellOf(column: CsvColumn, response: ExportedResponse, labels: boolean): Cell {
  const value = column.question === '' ? undefined : response.data[column.question];
  switch (column.kind) {
    case 'sequence':
      return response.sequence;
    case 'day':
      return response.day;
    case 'choice':
      return answerCell(column, value, labels);
    case 'matrixRow':
      return answerCell(column, isRecord(value) ? value[column.row!] : undefined, labels);
    case 'flag':
      if (!Array.isArray(value)) return '';
      return value.some((v) => String(v) === String(column.choice!.value)) ? 1 : 0;
    case 'item':
      return isRecord(value) && value[column.row!] !== undefined ? String(value[column.row!]) : '';
    case 'number':
      return typeof value === 'number' ? value : value === undefined || value === null ? '' : String(value);
    case 'text':
      return value === undefined || value === null ? '' : String(value);
  }
}

function answerCell(column: CsvColumn, value: unknown, labels: boolean): Cell {
  if (value === undefined || value === null || value === '') return '';
  const option = column.options.find((o) => String(o.value) === String(value));
  if (labels && option) return option.label;
  return asCell(option?.value ?? (value as Scalar));
}

const asCell = (value: Scalar): Cell => (typeof value === 'number' ? value : String(value));

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
