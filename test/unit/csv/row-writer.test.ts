// The row writer (server/csv/row-writer.ts) writes what csvLine writes of exportRow's or
// codedRow's cells, on every column of every instrument and random answers of every shape:
// the options' values as stored and as text, values no option lists, texts every escaping
// rule meets, numbers, booleans, lists and objects where a value belongs, and blanks.
import { expect } from 'chai';
import { csvColumns, CsvColumn, optionValues } from '../../../server/csv/columns';
import { csvLine, Delimiter } from '../../../server/csv/csv-text';
import { exportRow } from '../../../server/csv/export-rows';
import { codedRow } from '../../../server/csv/coded-rows';
import { rowWriter } from '../../../server/csv/row-writer';
import { missingCodesOf } from '../../../server/survey/model';
import { testInstrumentFiles } from '../../helpers/app';
import { seededRandom } from '../../helpers/quickscan-stream';

const ODD = ['=SUM(A1)', '"quoted", comma; semicolon', 'two\nlines', ' space', 'space ', '-12', '-1,5', '+31', '@x', '\uFEFFbom', '\ttab',
  'suppressed', 'onderdrukt', 'none', 'refused', 'other', '', 'é 😀', '0', '1', 'true'];

describe('the export\'s row writer', () => {
  for (const file of testInstrumentFiles()) {
    it(`writes what csvLine of exportRow and codedRow write, on ${file.key}`, () => {
      const columns = csvColumns(file).filter((c) => c.kind !== 'sequence');
      const codes = missingCodesOf(file.meta, optionValues(columns));
      const questions = [...new Set(columns.map((c) => c.question).filter((q) => q !== ''))];
      const random = seededRandom(17);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
      const valueFor = (column: CsvColumn): unknown => {
        const options = column.options.length > 0 ? column.options : column.choice ? [column.choice] : [];
        const r = random();
        if (options.length > 0 && r < 0.5) return pick(options).value;
        if (options.length > 0 && r < 0.6) return String(pick(options).value);
        if (r < 0.7) return pick(ODD);
        if (r < 0.75) return pick([3, -1, 2.5, 0, true, false, null]);
        if (r < 0.85) return options.length > 0 ? options.filter(() => random() < 0.4).map((o) => o.value) : [pick(ODD)];
        if (r < 0.9) return { x: pick(ODD) };
        return undefined;
      };
      for (let n = 0; n < 400; n++) {
        const data: Record<string, unknown> = {};
        const objectAt = (holder: Record<string, unknown> | unknown[], key: string | number): Record<string, unknown> => {
          const here = (holder as Record<string, unknown>)[key];
          if (here && typeof here === 'object' && !Array.isArray(here)) return here as Record<string, unknown>;
          const made: Record<string, unknown> = {};
          (holder as Record<string, unknown>)[key] = made;
          return made;
        };
        for (const column of columns) {
          if (column.question === '' || random() < 0.1) continue;
          const value = valueFor(column);
          if (column.cell) {
            if (column.numberedRows) {
              const rows = Array.isArray(data[column.question]) ? data[column.question] as unknown[] : (data[column.question] = []) as unknown[];
              objectAt(rows, Number(column.cell[0]) - 1)[column.cell[1]!] = value;
            } else {
              objectAt(objectAt(data, column.question), column.cell[0]!)[column.cell[1]!] = value;
            }
          } else if (column.kind === 'matrixRow' || column.kind === 'item') {
            objectAt(data, column.question)[column.row!] = value;
          } else {
            data[column.question] = value;
          }
        }
        const blanked = random() < 0.3 ? new Set(questions.filter(() => random() < 0.2)) : undefined;
        const delimiter: Delimiter = random() < 0.5 ? ',' : ';';
        const response = { sequence: 0, day: '2026-11-02', data };
        for (const labels of [false, true]) {
          const expected = csvLine(exportRow(columns, response, labels, blanked), delimiter);
          expect(rowWriter(columns, { labels, codes: null, delimiter })(response, blanked) + '\r\n').to.equal(expected);
        }
        const coded = csvLine(codedRow(columns, response, codes, blanked), delimiter);
        expect(rowWriter(columns, { labels: false, codes, delimiter })(response, blanked) + '\r\n').to.equal(coded);
      }
    });
  }
});
