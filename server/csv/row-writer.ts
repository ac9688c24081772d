// The export's lines, written column by column from what is worked out once per export.
// A row is what exportRow (or codedRow, with missing=codes) gives and csvCell writes; but
// most cells of a wave are choices, and a choice column has a handful of possible answers:
// looking each one up among the options (String() of both sides, per cell) and then
// checking its text for quotes and formula starts took about a third of the export's CPU.
// So every option's written text is made once, by those same functions, and a cell is one
// Map lookup (an answer the options do not list takes the functions themselves); a flag is
// 1, 0 or empty by exportRow's own flagCell, written as made once; a text, number, rank or
// day takes exportRow's or codedRow's cell and csvCell. The rules stay in exportRow and codedRow.
import type { CsvColumn } from './columns';
import { csvCell, Delimiter } from './csv-text';
import { answerCell, answerOf, choiceOf, exportCell, ExportedResponse, flagCell, SUPPRESSED, SUPPRESSED_LABEL } from './export-rows';
import { codedCell, missingOnlyCode } from './coded-rows';
import type { MissingCodes } from '../survey/model';

export interface RowQuery {
  labels: boolean;
  /** The codes of missing values (missing=codes), else null. */
  codes: MissingCodes | null;
  delimiter: Delimiter;
}

type Response = Pick<ExportedResponse, 'day' | 'data'>;
type CellText = (response: ExportedResponse, blanked: ReadonlySet<string> | undefined) => string;

/**
 * A function that writes a response's cells in `columns`, as CSV text joined by the
 * delimiter (no line end): the same text as csvLine of exportRow's or codedRow's cells.
 * The running number is the caller's (a sequence column writes 0).
 */
export function rowWriter(columns: readonly CsvColumn[], query: RowQuery): (response: Response, blanked?: ReadonlySet<string>) => string {
  const writers = columns.map((column) => cellWriter(column, query));
  const texts = new Array<string>(writers.length);
  return (response, blanked) => {
    const exported: ExportedResponse = { sequence: 0, day: response.day, data: response.data };
    for (let i = 0; i < writers.length; i++) texts[i] = writers[i]!(exported, blanked);
    return texts.join(query.delimiter);
  };
}

function cellWriter(column: CsvColumn, query: RowQuery): CellText {
  if (column.kind === 'choice' || column.kind === 'matrixRow') return choiceWriter(column, query);
  if (column.kind === 'flag') return flagWriter(column, query);
  const { labels, codes, delimiter } = query;
  return (response, blanked) =>
    csvCell(codes ? codedCell(column, exportCell(column, response, false, blanked), response.data, codes) : exportCell(column, response, labels, blanked), delimiter);
}

/** The text a blanked answer is written as, in every column of its question. */
const suppressedText = ({ labels, codes, delimiter }: RowQuery) => csvCell(codes ? codes.suppressed : labels ? SUPPRESSED_LABEL : SUPPRESSED, delimiter);

function choiceWriter(column: CsvColumn, query: RowQuery): CellText {
  const { labels, codes, delimiter } = query;
  // The text of each answer the options list, keyed as answerCell matches them (String of the value; the first option wins).
  const written = (value: unknown) =>
    csvCell(codes ? codedCell(column, answerCell(column, value, false), NO_DATA, codes) : answerCell(column, value, labels), delimiter);
  const byValue = new Map<string, string>();
  for (const option of column.options) {
    const key = String(option.value);
    if (!byValue.has(key)) byValue.set(key, written(option.value));
  }
  // The same by number, for a number's answer: no string made per cell to look it up.
  const byNumber = new Map<number, string>();
  for (const [key, text] of byValue) if (String(Number(key)) === key) byNumber.set(Number(key), text);
  const none = written(undefined);
  const suppressed = suppressedText(query);
  return (response, blanked) => {
    if (blanked !== undefined && blanked.has(column.question)) return suppressed;
    const value = choiceOf(column, answerOf(column, response.data));
    if (value === undefined || value === null || value === '') return none;
    const text = typeof value === 'string' ? byValue.get(value) : typeof value === 'number' ? byNumber.get(value)
      : typeof value === 'boolean' ? byValue.get(String(value)) : undefined;
    return text ?? written(value);
  };
}

/** A multi-select's choice: 1, 0 or '' (flagCell), with missing=codes a code where the answer is missing values only (codedCell). */
function flagWriter(column: CsvColumn, query: RowQuery): CellText {
  const { codes, delimiter } = query;
  const choice = String(column.choice!.value);
  const texts = new Map<unknown, string>([1, 0, ''].map((cell) => [cell, csvCell(cell, delimiter)]));
  const ownCode = codes !== null && codes.codeOf(column.choice!.value) !== undefined;
  const suppressed = suppressedText(query);
  return (response, blanked) => {
    if (blanked !== undefined && blanked.has(column.question)) return suppressed;
    const answer = answerOf(column, response.data);
    const cell = flagCell(answer, choice);
    const code = codes !== null && cell !== '' && !ownCode ? missingOnlyCode(answer, codes) : undefined;
    return code === undefined ? texts.get(cell)! : csvCell(code, delimiter);
  };
}

/** A choice's coded cell reads nothing of the response (only a flag's does). */
const NO_DATA: Record<string, unknown> = Object.freeze(Object.create(null) as Record<string, unknown>);
