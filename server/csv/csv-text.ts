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

/**
 * Rows to CSV lines (CRLF, as Excel writes them), neutralising formula-like cells. The
 * same text as `Papa.unparse(rows, { delimiter, newline: '\r\n', escapeFormulae:
 * FORMULA_START }) + '\r\n'` (a test compares them on random cells), written cell by cell
 * without papaparse's per-cell regular expressions: the export of 100,000 responses spent
 * more time in papaparse than in reading the database.
 */
export function unparseRows(rows: ReadonlyArray<ReadonlyArray<Cell>>, delimiter: Delimiter): string {
  return rows.map((row) => csvLine(row, delimiter)).join('');
}

/** A cell as the writer takes it: papaparse's unparse also wrote null and undefined as empty. */
export type Cell = string | number | boolean | null | undefined;

/**
 * One row as a CSV line, with its CRLF. Joined from an array, not added up cell by cell:
 * a string built with += is a tree of pieces until it is read, and a page of such trees
 * (millions of small objects) made the garbage collector the export's largest cost.
 */
export function csvLine(row: ReadonlyArray<Cell>, delimiter: Delimiter): string {
  const cells = new Array<string>(row.length);
  for (let i = 0; i < row.length; i++) cells[i] = csvCell(row[i], delimiter);
  return cells.join(delimiter) + '\r\n';
}

/**
 * One cell, as papaparse writes it: a text a spreadsheet would run gets a leading quote
 * (numbers and booleans never do), quotes are doubled, and the cell is quoted when it
 * holds a quote, a line break, a BOM or the delimiter, or starts or ends with a space.
 */
export function csvCell(value: Cell, delimiter: Delimiter): string {
  if (value === undefined || value === null) return '';
  let text: string;
  let quoted = false;
  if (typeof value === 'string') {
    text = value;
    if (text.length > 0 && FORMULA_FIRST.has(text.charCodeAt(0)) && FORMULA_START.test(text)) {
      text = "'" + text;
      quoted = true;
    }
  } else {
    text = String(value);
  }
  if (NEEDS_QUOTES.test(text) || text.includes(delimiter)) {
    if (text.includes('"')) text = text.replace(QUOTES, '""');
    quoted = true;
  } else if (text.length > 0 && (text.charCodeAt(0) === SPACE || text.charCodeAt(text.length - 1) === SPACE)) {
    quoted = true;
  }
  return quoted ? `"${text}"` : text;
}

/** The first characters FORMULA_START can match (=, +, -, @, tab, CR): other cells skip its test. */
const FORMULA_FIRST = new Set([...'=+-@\t\r'].map((c) => c.charCodeAt(0)));
/** Papaparse's BAD_DELIMITERS: CR, LF, the quote and the BOM. */
const NEEDS_QUOTES = /[\r\n"\uFEFF]/;
const QUOTES = /"/g;
const SPACE = 32;

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
