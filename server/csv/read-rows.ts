// An imported row, in the export's format, back into a SurveyJS result: the same shape a
// respondent's page sends. Cells may hold choice values or choice texts, in any case and
// with spaces around them. This module only translates; whether the answers are valid is
// decided by the submission's own validation, which every imported row goes through.
import type { CsvColumn, Scalar, ValueLabel } from './columns';
import { SEQUENCE_COLUMN } from './columns';
import { restoreNeutralised } from './csv-text';
import { dayFromCell } from './day-cell';
import { t } from '../i18n/messages';

export interface RowProblem {
  column: string;
  message: string;
}

export interface ReadRow {
  data: Record<string, unknown>;
  /** The day from a date column, when the file has one and it holds a date. */
  day: string | null;
  problems: RowProblem[];
  /** Per question, the columns that held an answer to it: where a validation error points. */
  columnsOf: Map<string, string[]>;
  /** Per question, a column whose cell matched none of the choices: the likely culprit. */
  unmatched: Map<string, string>;
}

/** Splits a file's headers into the export columns they name (case and spaces ignored) and unknown ones. */
export function matchHeaders(headers: string[], columns: CsvColumn[]): { matched: CsvColumn[]; unknown: string[] } {
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const matched: CsvColumn[] = [];
  const unknown: string[] = [];
  for (const header of headers) {
    const column = byName.get(header.trim().toLowerCase());
    if (column) matched.push(column);
    else unknown.push(header);
  }
  return { matched, unknown };
}

/** `columns` follows the file's columns; null marks one that is left out (ignored in the mapping). */
export function readRow(columns: Array<CsvColumn | null>, cells: string[]): ReadRow {
  const result: ReadRow = { data: {}, day: null, problems: [], columnsOf: new Map(), unmatched: new Map() };
  // Keyed by question names, which a manager's instrument chooses: a Map until the end, where
  // Object.fromEntries makes every key an own property (never the prototype).
  const data = new Map<string, unknown>();
  const ticked = new Map<string, Scalar[]>();
  // Answers nested in a table or a ranking, by where they go: put together after the last column.
  const nested = new Map<string, { column: CsvColumn; value: unknown }>();
  const places = new Map<string, { column: CsvColumn; ranked: Array<[number, Scalar]> }>();
  const setItem = (column: CsvColumn, value: unknown) => {
    const items = (data.get(column.question) ?? {}) as Record<string, unknown>;
    data.set(column.question, { ...items, [column.row!]: value });
  };
  columns.forEach((column, i) => {
    const raw = cells[i] ?? '';
    if (!column || raw.trim() === '' || column.name === SEQUENCE_COLUMN) return;
    const list = result.columnsOf.get(column.question) ?? [];
    result.columnsOf.set(column.question, [...list, column.name]);
    if (column.kind === 'rank') {
      const place = Number(raw.trim());
      if (!Number.isInteger(place) || place < 1) { result.problems.push({ column: column.name, message: t('csv.import.badRank', { value: raw.trim() }) }); return; }
      const key = [column.question, ...(column.cell ?? [])].join('\u0000');
      const entry = places.get(key) ?? { column, ranked: [] };
      entry.ranked.push([place, column.choice!.value]);
      places.set(key, entry);
      return;
    }
    if (column.cell) {
      const key = [column.question, ...column.cell].join('\u0000');
      if (column.kind === 'flag') {
        const flag = flagOf(raw, column.choice!);
        if (flag === null) result.problems.push({ column: column.name, message: t('csv.import.badFlag', { value: raw.trim() }) });
        const entry = nested.get(key) ?? { column, value: [] as Scalar[] };
        if (flag) (entry.value as Scalar[]).push(column.choice!.value);
        nested.set(key, entry);
      } else {
        const value = column.kind === 'choice' ? answerOf(column, raw, result) : column.kind === 'number' ? numberOf(raw)
          : column.kind === 'date' ? dayOf(raw) : restoreNeutralised(raw);
        nested.set(key, { column, value });
      }
      return;
    }
    switch (column.kind) {
      case 'day':
        result.day = dayFromCell(raw);
        if (!result.day) result.problems.push({ column: column.name, message: t('csv.import.badDay', { value: raw.trim() }) });
        return;
      case 'choice':
        data.set(column.question, answerOf(column, raw, result));
        return;
      case 'matrixRow': {
        const rows = (data.get(column.question) ?? {}) as Record<string, unknown>;
        data.set(column.question, { ...rows, [column.row!]: answerOf(column, raw, result) });
        return;
      }
      case 'flag': {
        const flag = flagOf(raw, column.choice!);
        if (flag === null) result.problems.push({ column: column.name, message: t('csv.import.badFlag', { value: raw.trim() }) });
        const list = ticked.get(column.question) ?? [];
        if (flag) list.push(column.choice!.value);
        ticked.set(column.question, list);
        return;
      }
      case 'item':
        setItem(column, restoreNeutralised(raw));
        return;
      case 'number':
        // A number item of a multiple text (row: its name), or a number question.
        if (column.row !== undefined) setItem(column, numberOf(raw)); else data.set(column.question, numberOf(raw));
        return;
      case 'date':
        if (column.row !== undefined) setItem(column, dayOf(raw)); else data.set(column.question, dayOf(raw));
        return;
      case 'computed':
        return;
      case 'text':
        data.set(column.question, restoreNeutralised(raw));
        return;
      case 'sequence':
        return;
    }
  });
  // A multi-select question with nothing ticked is an unanswered question, as on the page.
  for (const [question, values] of ticked) if (values.length > 0) data.set(question, values);
  // A ranking: the choices in the order of their places (ties and gaps are the validation's to judge by the result).
  for (const { column, ranked } of places.values()) {
    const order = ranked.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
    if (column.cell) nested.set([column.question, ...column.cell].join('\u0000'), { column, value: order });
    else data.set(column.question, order);
  }
  for (const [question, table] of tablesOf(nested)) data.set(question, table);
  result.data = Object.fromEntries(data);
  return result;
}

/**
 * The cells read into tables: a matrix dropdown's rows by name, a dynamic matrix's or panel's
 * as a list in the order of their numbers (empty rows left out). A cell's checkbox with
 * nothing ticked is no answer. Maps until the end, as the names come from the instrument.
 */
function tablesOf(cells: Map<string, { column: CsvColumn; value: unknown }>): Map<string, unknown> {
  const rowsOf = new Map<string, { numbered: boolean; rows: Map<string, Map<string, unknown>> }>();
  for (const { column, value } of cells.values()) {
    if (Array.isArray(value) && value.length === 0) continue;
    const [row, name] = column.cell!;
    const table = rowsOf.get(column.question) ?? { numbered: column.numberedRows === true, rows: new Map() };
    const cellsOfRow = table.rows.get(row!) ?? new Map<string, unknown>();
    cellsOfRow.set(name!, value);
    table.rows.set(row!, cellsOfRow);
    rowsOf.set(column.question, table);
  }
  const tables = new Map<string, unknown>();
  for (const [question, { numbered, rows }] of rowsOf) {
    const entries = [...rows].map(([row, values]) => [row, Object.fromEntries(values)] as const);
    tables.set(question, numbered ? entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, row]) => row) : Object.fromEntries(entries));
  }
  return tables;
}

/** Compares texts as a person would: case, surrounding and repeated spaces, and curly quotes ignored. */
export function sameText(a: string, b: string): boolean {
  return normalised(a) === normalised(b);
}

export function normalised(text: string): string {
  return text.normalize('NFC').replace(/[\u2018\u2019\u00b4`]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The option whose value or text the cell holds; values first, because a text may look like another's value. */
export function optionFor(options: ValueLabel[], cell: string): ValueLabel | undefined {
  let lookup = lookups.get(options);
  if (!lookup) {
    lookup = { byValue: firstByText(options, (o) => String(o.value)), byLabel: firstByText(options, (o) => o.label) };
    lookups.set(options, lookup);
  }
  const text = normalised(cell);
  return lookup.byValue.get(text) ?? lookup.byLabel.get(text);
}

/**
 * Per list of options, its options by normalised value and text, made once: a file's cells
 * are looked up by the hundred thousand, and normalising every option for each took seconds.
 */
const lookups = new WeakMap<ValueLabel[], { byValue: Map<string, ValueLabel>; byLabel: Map<string, ValueLabel> }>();

function firstByText(options: ValueLabel[], text: (o: ValueLabel) => string): Map<string, ValueLabel> {
  const map = new Map<string, ValueLabel>();
  for (const option of options) if (!map.has(normalised(text(option)))) map.set(normalised(text(option)), option);
  return map;
}

function answerOf(column: CsvColumn, raw: string, result: ReadRow): unknown {
  const option = optionFor(column.options, raw);
  if (option) return option.value;
  // Passed on as it is, so that the submission's validation refuses it in its own words.
  result.unmatched.set(column.question, column.name);
  return raw.trim();
}

const TICKED = new Set(['1', 'ja', 'x', 'waar', 'true', 'yes', 'aangevinkt']);
const NOT_TICKED = new Set(['0', 'nee', 'onwaar', 'false', 'no', 'niet aangevinkt']);

/** 1/0, yes/no words, or the choice's own value or text (some tools write that for a tick). */
function flagOf(raw: string, choice: ValueLabel): boolean | null {
  const cell = normalised(raw);
  if (TICKED.has(cell) || sameText(String(choice.value), cell) || sameText(choice.label, cell)) return true;
  if (NOT_TICKED.has(cell)) return false;
  return null;
}

/** A day as the export writes it, or as a Dutch form tool does (1-3-2024); anything else goes on as text to be refused. */
const dayOf = (raw: string): string => dayFromCell(raw) ?? raw.trim();

/** A typed number, with a Dutch decimal comma allowed; anything else goes on as text to be refused. */
function numberOf(raw: string): number | string {
  const text = raw.trim();
  return /^-?\d+([.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : text;
}
