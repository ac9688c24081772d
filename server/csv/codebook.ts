// The codebook: for every column of the export its question text, and for every value
// its label. It is built from the same column list as the export, so it describes
// exactly the columns a researcher finds in the file (a test holds it to that).
// A k-anonymous export adds, per background column, the row of the suppressed code with
// the number of values blanked (column suppressed_values), and lists the free texts left out.
import type { CsvColumn } from './columns';
import { SUPPRESSED, SUPPRESSED_LABEL } from './export-rows';
import { titleInContext } from '../results/instrument-model';

/** `level`: the question's measurement level (meta.levels: nominal, ordinal or scale), on every row of its columns. */
export const CODEBOOK_HEADER = ['variable', 'question', 'value', 'label', 'suppressed_values', 'level'];

export const OMITTED = 'omitted';

export interface Anonymity {
  /** The minimum number of rows per combination of background answers. */
  k: number;
  /** Per background question, how many of its values were blanked. */
  suppressed: ReadonlyMap<string, number>;
  /** Free-text columns left out of the export. */
  omitted: CsvColumn[];
}

export function codebookRows(
  columns: CsvColumn[], anonymity: Anonymity | null = null, levelOf: (question: string) => string = () => '',
): Array<Array<string | number>> {
  const rows: Array<Array<string | number>> = [CODEBOOK_HEADER];
  // The question as the codebook names it: with the item it is part of, so that Weerman's 32
  // "Wat is er?" / "Wat is wenselijk?" say which numbered question they answer.
  const named = (column: CsvColumn): CsvColumn => ({ ...column, title: titleInContext(column.context ?? null, column.title) });
  for (const column of columns.map(named)) {
    const level = levelOf(column.question);
    if (column.options.length === 0) rows.push([column.name, column.title, '', '', '', level]);
    for (const option of column.options) {
      rows.push([column.name, column.title, typeof option.value === 'number' ? option.value : String(option.value), option.label, '', level]);
    }
    const count = anonymity?.suppressed.get(column.question);
    if (count !== undefined) {
      rows.push([column.name, column.title, SUPPRESSED,
        `${SUPPRESSED_LABEL}: weggelaten zodat elke combinatie van achtergrondantwoorden minstens ${anonymity!.k} keer voorkomt`, count, level]);
    }
  }
  for (const column of (anonymity?.omitted ?? []).map(named)) {
    rows.push([column.name, column.title, OMITTED, 'vrije tekst, niet in dit bestand (alleen met ?texts=1)', '', levelOf(column.question)]);
  }
  return rows;
}
