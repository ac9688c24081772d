import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import Papa from 'papaparse';
import { parseCsvFile, restoreNeutralised, unparseRows, columnLetter, FORMULA_START, Delimiter } from '../../../server/csv/csv-text';
import { seededRandom } from '../../helpers/quickscan-stream';

const fixture = (name: string) => fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'csv', name));
const refusal = (name: string) => {
  const parsed = parseCsvFile(fixture(name));
  expect(parsed.ok, name).to.equal(false);
  return (parsed as { errors: Array<{ line: number; column?: string; message: string }> }).errors;
};

describe('writing CSV cells', () => {
  it('neutralises every cell a spreadsheet would run as a formula', () => {
    const line = unparseRows([['=1+1', '+31 6', '-x', '@SUM(A1)', '\tTAB', '\rCR', 'gewoon']], ',');
    expect(line).to.equal(`"'=1+1","'+31 6","'-x","'@SUM(A1)","'\tTAB","'\rCR",gewoon\r\n`);
  });

  it('neutralises a multi-line text that starts with "=", which papaparse\'s own pattern misses', () => {
    expect(unparseRows([['=A1\nB2']], ',')).to.equal(`"'=A1\nB2"\r\n`);
  });

  it('leaves numbers alone, so a negative score stays a number, also as text with a decimal comma', () => {
    expect(unparseRows([[-2, 3.5, '3', '-1,25', '-2e-7']], ';')).to.equal('-2;3.5;3;-1,25;-2e-7\r\n');
    expect(unparseRows([['-1,25+A1', '-']], ';')).to.equal(`"'-1,25+A1";"'-"\r\n`);
  });

  it('keeps line breaks and quotes in free text intact through a round trip', () => {
    const text = 'Eerste regel\nTweede "met aanhalingstekens", en een komma';
    const parsed = Papa.parse<string[]>(unparseRows([[text, '=gevaarlijk']], ','), { skipEmptyLines: true });
    expect(parsed.data[0]!.map(restoreNeutralised)).to.deep.equal([text, '=gevaarlijk']);
  });

  it('writes exactly what papaparse wrote, on random cells full of quotes, separators, spaces, breaks and formula starts', () => {
    // unparseRows was Papa.unparse with these options; its own writer must not change one byte of an export.
    const random = seededRandom(17);
    const pieces = ['a', 'Z', ' ', ',', ';', '"', "'", '\r', '\n', '\r\n', '\t', '=', '+', '-', '@', '1', '0', '.', 'e', '\uFEFF', 'é', '😀', 'x y'];
    const cellOf = () => {
      const r = random();
      if (r < 0.1) return Math.round((random() - 0.5) * 1e4) / (random() < 0.5 ? 1 : 100);
      if (r < 0.13) return random() < 0.5 ? null : undefined;
      if (r < 0.15) return random() < 0.5;
      let text = '';
      for (let n = Math.floor(random() * 6); n > 0; n--) text += pieces[Math.floor(random() * pieces.length)]!;
      return text;
    };
    for (const delimiter of [',', ';'] as Delimiter[]) {
      for (let i = 0; i < 300; i++) {
        const rows = Array.from({ length: 1 + Math.floor(random() * 4) }, () => Array.from({ length: Math.floor(random() * 6) }, cellOf));
        const papa = Papa.unparse(rows, { delimiter, newline: '\r\n', escapeFormulae: FORMULA_START }) + '\r\n';
        expect(unparseRows(rows, delimiter), JSON.stringify(rows)).to.equal(papa);
      }
    }
    expect(unparseRows([], ',')).to.equal('');
  });

  it('names columns as a spreadsheet does', () => {
    expect([0, 25, 26, 701].map(columnLetter)).to.deep.equal(['A', 'Z', 'AA', 'ZZ']);
  });
});

describe('reading an uploaded CSV file', () => {
  it('accepts and strips a BOM before the header', () => {
    const parsed = parseCsvFile(fixture('bom-before-the-header.csv'));
    expect(parsed.ok).to.equal(true);
    if (parsed.ok) expect(parsed.table.headers[0]).to.equal('volgnummer');
  });

  it('reads the semicolons of Dutch Excel', () => {
    const parsed = parseCsvFile(fixture('semicolon-separated-from-dutch-excel.csv'));
    expect(parsed.ok).to.equal(true);
    if (parsed.ok) expect(parsed.table.rows[0]).to.deep.equal(['student', 'nee', '3', 'een; twee']);
  });

  it('refuses an empty file, and one with only blank lines', () => {
    expect(refusal('empty-file.csv')[0]!.message).to.equal('Het bestand is leeg.');
    expect(refusal('only-blank-lines.csv')[0]!.message).to.equal('Het bestand is leeg.');
  });

  it('refuses a file with a header and no answers', () => {
    expect(refusal('headers-only.csv')[0]!.message).to.match(/alleen de kopregel/);
  });

  it('refuses a ragged row, naming its line', () => {
    expect(refusal('ragged-row-on-line-3.csv')).to.deep.equal([{ line: 3, message: 'Deze regel heeft 2 cellen, maar de kopregel heeft er 3.' }]);
  });

  it('refuses a header that appears twice, whatever its case', () => {
    expect(refusal('duplicate-headers.csv')).to.deep.equal([{ line: 1, column: 'B_ROLE', message: 'De kolom ‘B_ROLE’ staat twee keer in de eerste regel.' }]);
  });

  it('refuses a file that is not UTF-8, saying how to save it', () => {
    expect(refusal('saved-as-latin1-not-utf8.csv')[0]!.message).to.match(/niet als UTF-8 opgeslagen.*CSV UTF-8/);
  });

  it('refuses an Excel workbook', () => {
    expect(refusal('excel-workbook-not-csv.xlsx')[0]!.message).to.match(/geen CSV-bestand/);
  });

  it('refuses a quote that is never closed', () => {
    expect(refusal('unterminated-quote.csv')[0]!.message).to.match(/aanhalingsteken/);
  });
});
