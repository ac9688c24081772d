// A row of the export with missing values as numeric codes (`?missing=codes`): a
// "weet ik niet" in a 0-4 scale becomes -1 and the column stays numeric in SPSS, R and
// pandas. Free texts are written on one line (their line breaks as spaces), as SPSS reads
// a file one line per row. Written on top of exportRow, cell by cell, so the export's own rules (flags,
// blanks for k-anonymity, empty for not asked) stay in one place.
import type { CsvColumn } from './columns';
import { answerOf, exportCell, ExportedResponse, SUPPRESSED } from './export-rows';
import type { MissingCodes } from '../survey/model';

type Cell = string | number;

export function codedRow(columns: CsvColumn[], response: ExportedResponse, codes: MissingCodes, blanked?: ReadonlySet<string>): Cell[] {
  return columns.map((column) => codedCell(column, exportCell(column, response, false, blanked), response.data, codes));
}

/**
 * A cell of exportRow (without labels) as codedRow writes it. `data` is the response's, read
 * only for a multi-select's flags.
 */
export function codedCell(column: CsvColumn, cell: Cell, data: Record<string, unknown>, codes: MissingCodes): Cell {
  if (cell === SUPPRESSED) return codes.suppressed;
  // SPSS's and PSPP's GET DATA read one line per row, quotes or not: a text's line breaks become spaces.
  if ((column.kind === 'text' || column.kind === 'item') && typeof cell === 'string') return oneLine(cell);
  if (column.kind === 'choice' || column.kind === 'matrixRow') return codes.codeOf(cell) ?? cell;
  if (column.kind === 'flag' && cell !== '') {
    // A multi-select answered with missing values only ("Zeg ik liever niet"): its other
    // choices were not left unticked but not answered; the choice of the missing value itself stays 1.
    if (codes.codeOf(column.choice!.value) !== undefined) return cell;
    return missingOnlyCode(answerOf(column, data), codes) ?? cell;
  }
  return cell;
}

/** The code of a multi-select answer of missing values only (its first), else undefined. */
export function missingOnlyCode(answer: unknown, codes: MissingCodes): number | undefined {
  if (!Array.isArray(answer) || answer.length === 0) return undefined;
  for (const v of answer) if (codes.codeOf(v) === undefined) return undefined;
  return codes.codeOf(answer[0]);
}

const oneLine = (text: string): string => (text.includes('\n') || text.includes('\r') ? text.split(/\r\n|\r|\n/).join(' ') : text);
