// Reading and writing CSV text with papaparse, and the checks every uploaded file passes
// before a single row is looked at: UTF-8, not a spreadsheet or other binary, not empty,
// more than a header, no unnamed or repeated column, every row as wide as the header.
import Papa from 'papaparse';
import { t } from '../i18n/messages';

export const BOM = '\uFEFF';

/**
 * A cell a spreadsheet would run as a formula. Papaparse's own pattern ends in `.*$`,
 * which cannot cross a line break, so a multi-line text starting with `=` would slip
 * through; ours looks at the first character only. Numbers are written as numbers and
 * papaparse leaves those alone, so a negative score stays a number; so does a negative
 * number written as text with a decimal comma (for Dutch Excel), which no spreadsheet runs.
 */
export const FORMULA_START = /^(?!-\d+(?:[.,]\d+)?(?:e[-+]?\d+)?$)[=+\-@\t\r]/i;

export type Delimiter = ',' | ';';

/** Rows to CSV lines (CRLF, as Excel writes them), neutralising formula-like cells. */
export function unparseRows(rows: Array<Array<string | number>>, delimiter: Delimiter): string {
  if (rows.length === 0) return '';
  return Papa.unparse(rows, { delimiter, newline: '\r\n', escapeFormulae: FORMULA_START }) + '\r\n';
}

/** Undoes the export's neutralising quote, so that a round trip gives back the text as typed. */
export function restoreNeutralised(cell: string): string {
  return cell.length > 1 && cell[0] === "'" && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

export interface CsvTable {
  headers: string[];
  /** Data rows; `rows[i]` is line `i + 2` of the file as a spreadsheet numbers it. */
  rows: string[][];
  /** The decoded text without BOM and with LF line ends: what the file hash is taken of. */
  text: string;
}

export interface FileProblem {
  line: number;
  column?: string;
  message: string;
}

export type ParsedFile = { ok: true; table: CsvTable } | { ok: false; errors: FileProblem[] };

const MAX_LISTED_PROBLEMS = 50;

export function parseCsvFile(bytes: Buffer): ParsedFile {
  const refuse = (message: string, line = 1): ParsedFile => ({ ok: false, errors: [{ line, message }] });
  if (bytes.length === 0) return refuse(t('csv.file.empty'));
  if (looksBinary(bytes)) return refuse(t('csv.file.notCsv'));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); // also drops a leading BOM
  } catch {
    return refuse(t('csv.file.notUtf8'));
  }
  if (text.startsWith(BOM)) text = text.slice(1);
  text = text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') return refuse(t('csv.file.empty'));

  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t'] });
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError) return refuse(t('csv.file.quotes'), (quoteError.row ?? 0) + 1);
  const [headerRow, ...rows] = parsed.data;
  // A NUL cannot be stored in PostgreSQL's text; the binary check above only reads the start.
  const nulLine = parsed.data.findIndex((row) => row.some((cell) => cell.includes('\u0000')));
  if (nulLine >= 0) return refuse(t('csv.file.nulCharacter'), nulLine + 1);
  const headers = (headerRow ?? []).map((h) => h.trim());
  const errors: FileProblem[] = [];

  headers.forEach((header, i) => {
    if (header === '') errors.push({ line: 1, column: columnLetter(i), message: t('csv.file.unnamedColumn', { column: columnLetter(i) }) });
  });
  const seen = new Set<string>();
  for (const header of headers) {
    const key = header.toLowerCase();
    if (header !== '' && seen.has(key)) errors.push({ line: 1, column: header, message: t('csv.file.duplicateHeader', { header }) });
    seen.add(key);
  }
  if (errors.length === 0 && rows.length === 0) return refuse(t('csv.file.headersOnly'));
  rows.forEach((row, i) => {
    if (row.length !== headers.length && errors.length < MAX_LISTED_PROBLEMS) {
      errors.push({ line: i + 2, message: t('csv.file.ragged', { cells: row.length, headers: headers.length }) });
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, table: { headers, rows, text } };
}

/** A spreadsheet, PDF or other binary file: NUL bytes or a ZIP signature (.xlsx, .ods). */
function looksBinary(bytes: Buffer): boolean {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return true;
  return bytes.subarray(0, 8192).includes(0);
}

/** Spreadsheet column names (A, B, ..., Z, AA), which a manager can find in Excel. */
export function columnLetter(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
