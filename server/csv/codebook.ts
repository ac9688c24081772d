// The codebook: for every column of the export its question text, and for every value
// its label. It is built from the same column list as the export, so it describes
// exactly the columns a researcher finds in the file (a test holds it to that).
// A k-anonymous export adds, per background column, the row of the suppressed code with
// the number of values blanked (column suppressed_values), and lists the free texts left out.
import type { CsvColumn } from './columns';
import { columnKey, SUPPRESSED, SUPPRESSED_LABEL } from './export-rows';
import { titleInContext } from '../results/instrument-model';
import type { Variable } from './variables';

export const CODEBOOK_HEADER = ['variable', 'question', 'value', 'label', 'suppressed_values'];
/** Added when the codebook is written with the variables' descriptions (variables.ts): the codebook the API serves. */
export const CODEBOOK_DESCRIPTION_HEADER = ['level', 'missing', 'shown_if'];

export const OMITTED = 'omitted';
/** The value of a computed (expression) question or cell in the codebook: there is no column. */
export const NOT_STORED = 'not_stored';

/** Per column, how many of its values a k-anonymous export blanked; undefined when it blanks none there. */
export const suppressedCount = (anonymity: Anonymity | null, column: CsvColumn): number | undefined =>
  anonymity?.suppressed.get(column.question) ?? (column.kind === 'date' ? anonymity?.suppressed.get(columnKey(column)) : undefined);

/** Why a computed question or cell has no column (codebook CSV and JSON). */
export const notStoredReason = (column: CsvColumn): string =>
  `berekend uit andere antwoorden (${column.expression ?? ''}), niet opgeslagen en dus niet in dit bestand; reken het na met de kolommen die het gebruikt`;

/** The format of a date column as the file writes it. */
export const dateFormat = (column: CsvColumn): string | null => (column.kind !== 'date' ? null : column.month ? 'YYYY-MM' : 'YYYY-MM-DD');

export interface Anonymity {
  /** The minimum number of rows per combination of background answers. */
  k: number;
  /** Per background question (and per date column, by columnKey), how many of its values were blanked. */
  suppressed: ReadonlyMap<string, number>;
  /** Free-text columns left out of the export. */
  omitted: CsvColumn[];
  /** The cell of a blanked value in this file: `suppressed`, or its numeric code with `?missing=codes`. */
  suppressedValue?: string | number;
}

/** @param computed the computed questions and cells (computedColumns): listed as not stored */
export function codebookRows(columns: CsvColumn[], anonymity: Anonymity | null = null, variables?: Variable[], computed: CsvColumn[] = []): Array<Array<string | number>> {
  const rows: Array<Array<string | number>> = [variables ? [...CODEBOOK_HEADER, ...CODEBOOK_DESCRIPTION_HEADER] : CODEBOOK_HEADER];
  const described = new Map((variables ?? []).map((v) => [v.column.name, v]));
  /** level, missing ('ja' for a missing value) and shown_if, when the variables are described. */
  const more = (column: CsvColumn, missing: boolean): string[] => {
    const v = described.get(column.name);
    return v ? [v.level, missing ? 'ja' : '', v.shownIf ?? ''] : [];
  };
  // The question as the codebook names it: with the item it is part of, so that Weerman's 32
  // "Wat is er?" / "Wat is wenselijk?" say which numbered question they answer.
  const named = (column: CsvColumn): CsvColumn => ({ ...column, title: titleInContext(column.context ?? null, column.title) });
  for (const column of columns.map(named)) {
    const variable = described.get(column.name);
    const values = variable ? variable.values.filter((v) => v.label !== SUPPRESSED_LABEL || !variable.suppressible)
      : column.options.map((o) => ({ value: o.value, label: o.label, missing: false }));
    const format = dateFormat(column);
    if (format) {
      rows.push([column.name, column.title, format, column.month
        ? 'jaar en maand: de dag is weggelaten, want een datum kan iemand aanwijzen (k-anonimiteit)' : 'datum (JJJJ-MM-DD)', '', ...more(column, false)]);
    } else if (values.length === 0) rows.push([column.name, column.title, '', '', '', ...more(column, false)]);
    for (const option of values) {
      rows.push([column.name, column.title, typeof option.value === 'number' ? option.value : String(option.value), option.label, '', ...more(column, option.missing)]);
    }
    const count = suppressedCount(anonymity, column);
    if (count !== undefined) {
      rows.push([column.name, column.title, anonymity!.suppressedValue ?? SUPPRESSED,
        `${SUPPRESSED_LABEL}: weggelaten zodat elke combinatie van achtergrondantwoorden minstens ${anonymity!.k} keer voorkomt`, count, ...more(column, true)]);
    }
  }
  for (const column of (anonymity?.omitted ?? []).map(named)) {
    rows.push([column.name, column.title, OMITTED, 'vrije tekst, niet in dit bestand (alleen met ?texts=1)', '', ...more(column, false)]);
  }
  for (const column of computed.map(named)) {
    rows.push([column.name, column.title, NOT_STORED, notStoredReason(column), '', ...(variables ? ['', '', ''] : [])]);
  }
  return rows;
}
