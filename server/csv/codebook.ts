// The codebook: for every column of the export its question text, and for every value
// its label. It is built from the same column list as the export, so it describes
// exactly the columns a researcher finds in the file (a test holds it to that).
import type { CsvColumn } from './columns';

export const CODEBOOK_HEADER = ['variable', 'question', 'value', 'label'];

export function codebookRows(columns: CsvColumn[]): Array<Array<string | number>> {
  const rows: Array<Array<string | number>> = [CODEBOOK_HEADER];
  for (const column of columns) {
    if (column.options.length === 0) {
      rows.push([column.name, column.title, '', '']);
      continue;
    }
    for (const option of column.options) {
      rows.push([column.name, column.title, typeof option.value === 'number' ? option.value : String(option.value), option.label]);
    }
  }
  return rows;
}
