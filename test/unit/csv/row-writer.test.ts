// The row writer (server/csv/row-writer.ts) writes what csvLine writes of exportRow's or
// codedRow's cells, on every column of every instrument and random answers of every shape:
// the options' values as stored and as text, values no option lists, texts every escaping
// rule meets, numbers, booleans, lists and objects where a value belongs, and blanks.
import { expect } from 'chai';
import { csvColumns, optionValues } from '../../../server/csv/columns';
import { csvLine, Delimiter } from '../../../server/csv/csv-text';
import { exportRow } from '../../../server/csv/export-rows';
import { codedRow } from '../../../server/csv/coded-rows';
import { rowWriter } from '../../../server/csv/row-writer';
import { missingCodesOf } from '../../../server/survey/model';
import { testInstrumentFiles } from '../../helpers/app';
import { seededRandom } from '../../helpers/quickscan-stream';
import { randomAnswers } from '../../helpers/export-answers';

describe('the export\'s row writer', () => {
  for (const file of testInstrumentFiles()) {
    it(`writes what csvLine of exportRow and codedRow write, on ${file.key}`, () => {
      const columns = csvColumns(file).filter((c) => c.kind !== 'sequence');
      const codes = missingCodesOf(file.meta, optionValues(columns));
      const questions = [...new Set(columns.map((c) => c.question).filter((q) => q !== ''))];
      const random = seededRandom(17);
      for (let n = 0; n < 400; n++) {
        const data = randomAnswers(columns, random);
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
