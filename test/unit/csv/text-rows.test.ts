// The export's rows written from the stored JSON text (server/csv/text-rows.ts) are the rows
// the row writer writes of the parsed text, with the same values of the k-anonymity plan's
// variables: on every column of every instrument and random answers of every shape, in
// texts as JSON.stringify writes them, with white space, with a key twice (the last counts)
// and with keys of no column; a text with an escape is left to the caller (undefined), as is
// one that is no JSON, which JSON.parse then refuses as before. The plan's variables include
// every date column (as months) of the instrument with every answer type.
import { expect } from 'chai';
import { csvColumns, CsvColumn, optionValues } from '../../../server/csv/columns';
import { rowWriter, RowQuery } from '../../../server/csv/row-writer';
import { KeptAnswers, keptAnswers, MAX_CHAIN, SeenTexts, textRows } from '../../../server/csv/text-rows';
import { quasiIdentifiersOf } from '../../../server/csv/service';
import { missingCodesOf } from '../../../server/survey/model';
import { testInstrumentFiles } from '../../helpers/app';
import { seededRandom } from '../../helpers/quickscan-stream';
import { ODD, randomAnswers } from '../../helpers/export-answers';
import { INSTRUMENT } from '../../helpers/all-types';

/** Days, for the date columns (months in a k-anonymous export, and variables of its plan). */
const DAYS = ['2026-11-05', '2026-11-20', '2025-01-31'];
const WITH_DAYS = [...ODD, ...DAYS];
/** The odd texts that JSON.stringify writes without an escape: the rows the scanner reads itself. */
const PLAIN = WITH_DAYS.filter((text) => !JSON.stringify(text).includes('\\'));

/** The same data as texts that differ: JSON.stringify's, with white space, with a key twice, with a key of no column. */
function variants(data: Record<string, unknown>, random: () => number): string[] {
  const text = JSON.stringify(data);
  const keys = Object.keys(data);
  const out = [text, JSON.stringify(data, null, 1), ` {"zz_geen_kolom":{"a":[1,"]}"],"b":null},${text.slice(1)}`];
  if (keys.length > 0) {
    const key = keys[Math.floor(random() * keys.length)]!;
    const other = data[keys[Math.floor(random() * keys.length)]!] ?? null;
    out.push(`{${JSON.stringify(key)}:${JSON.stringify(other)},${text.slice(1)}`); // the second, the stored one, counts
    out.push(`${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(other)}}`); // the last counts
  }
  return out;
}

describe('the export\'s rows from the stored JSON text', () => {
  // The instrument files, and one with every answer type (tables, dates, a ranking, number items).
  const instruments = [...testInstrumentFiles(), { key: INSTRUMENT.key, meta: INSTRUMENT.meta, definition: INSTRUMENT.definition as unknown as Record<string, unknown> }];
  for (const file of instruments) {
    it(`writes what the row writer writes of the parsed text, and the plan's values, on ${file.key}`, () => {
      const columns = csvColumns(file).filter((c) => c.kind !== 'sequence');
      // As a k-anonymous export shows them: dates as months, no day.
      const anonymous: CsvColumn[] = columns.filter((c) => c.kind !== 'day').map((c) => (c.kind === 'date' ? { ...c, month: true } : c));
      const codes = missingCodesOf(file.meta, optionValues(columns));
      const quasi = quasiIdentifiersOf(file, columns);
      // The last two keep few or no answers: every answer written anew, or some.
      const cases: Array<[CsvColumn[], RowQuery, KeptAnswers]> = [
        [columns, { labels: false, codes: null, delimiter: ',' }, keptAnswers()], [columns, { labels: true, codes: null, delimiter: ';' }, keptAnswers()],
        [anonymous, { labels: false, codes, delimiter: ',' }, keptAnswers()], [anonymous, { labels: false, codes: null, delimiter: ',' }, { chars: 0 }],
        [columns, { labels: false, codes, delimiter: ';' }, { chars: 2000 }],
      ];
      for (const [shown, query, kept] of cases) {
        const rows = textRows(shown, query, quasi, kept); // one for all rows, as in an export: answers seen before are looked up
        const write = rowWriter(shown, query);
        const random = seededRandom(29);
        let read = 0;
        for (let n = 0; n < 300; n++) {
          const data = randomAnswers(columns, random, n % 3 === 0 ? WITH_DAYS : PLAIN);
          for (const text of variants(data, random)) {
            const parsed = JSON.parse(text) as Record<string, unknown>;
            const values = new Array<string>(quasi.length);
            const written = rows.write(text, '2026-11-02', values);
            if (text.includes('\\')) {
              expect(written, text).to.equal(undefined);
              continue;
            }
            expect(written, text).to.equal(write({ day: '2026-11-02', data: parsed }));
            expect(values, text).to.deep.equal(quasi.map((q) => q.valueOf(parsed)));
            read++;
          }
        }
        expect(read, 'rows the scanner read itself').to.be.greaterThan(600);
      }
    });
  }

  const quickscan = testInstrumentFiles().find((f) => f.key === 'tno-quickscan')!;
  const columns = csvColumns(quickscan).filter((c) => c.kind !== 'sequence');
  const query: RowQuery = { labels: false, codes: null, delimiter: ',' };
  const quasi = quasiIdentifiersOf(quickscan, columns);

  it('reads a matrix row by row: a row twice, a row of no column, brackets in a string, a matrix that is no object', () => {
    const rows = textRows(columns, query, quasi);
    const write = rowWriter(columns, query);
    for (const text of ['{}', ' { "b_role" : "professional" , "t5" : { "t5_1" : 3 } } ', '{"t5":{"t5_1":1,"t5_1":2}}', '{"t5":{"t5_9":"]}","t5_2":4}}',
      '{"t5":[1,2]}', '{"t5":"x","t5":{"t5_3":2}}', '{"t5":{"t5_3":2},"t5":null}', '{"t5":{"zz":{"a":[1]},"t5_4":5}}', '{"__proto__":1,"b_role":"student"}',
      '{"b_role":"student","b_role":"professional"}', '{"b_sector":["jggz","veilig_thuis"],"t5":{}}', '{"t5":{"t5_1":1.0,"t5_2":1e0,"t5_3":-0}}']) {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const values = new Array<string>(quasi.length);
      expect(rows.write(text, '', values), text).to.equal(write({ day: '', data: parsed }));
      expect(values, text).to.deep.equal(quasi.map((q) => q.valueOf(parsed)));
    }
  });

  it('leaves a text that is no JSON object to the caller, whose JSON.parse refuses it as before', () => {
    const rows = textRows(columns, query, quasi);
    rows.write('{"b_role":"student","t5":{"t5_1":3}}', ''); // answers seen before: a fault is no answer seen before
    for (const text of ['', ' ', '{', '{"b_role":"student",}', '{"b_role":"student"', '{"b_role":tru}', '{"zz":[1,,2],"b_role":"student"}',
      '{"b_role":"student"} x', '{"b_role":"student"}}', '{"b_role":"a\u0001"}', '{"zz\u0001":1}', '{"t5":{"t5_1":3,}}',
      '{"t5":{"t5_1":[}}', '{"t5":{"t5_1":3}', '{"t5":{"t5_1" 3}}', '{"b_role" "student"}', '{b_role:"student"}', '{"t5":{"t5_1":3}x}',
      '{"t5":{"zz\u0002":1,"t5_1":3}}', '{"t5":{"t5_1":03}}', '{"t5":{"t5_1":3},}', '{"b_role":"student"}\u0000']) {
      expect(() => JSON.parse(text), text).to.throw(SyntaxError);
      expect(rows.write(text, ''), text).to.equal(undefined);
    }
    for (const text of ['[1]', '"s"', 'null', '3']) expect(rows.write(text, ''), `${text}: JSON, but no object`).to.equal(undefined);
  });
});

describe('the answers the export keeps, by a hash of six characters', () => {
  // Respondents write the free texts: answers that differ only where the hash does not look
  // all share one hash, and each lookup would compare them all (a nested loop over the
  // wave). At most MAX_CHAIN of one hash are kept; the others are parsed again each time.
  it('keeps at most MAX_CHAIN answer texts of one hash, and still finds each one kept', () => {
    const seen = new SeenTexts<number>();
    // 40 characters: the hash reads the first, third, 11th, 21st, 30th and 38th; the 6th differs.
    const texts = Array.from({ length: 50 }, (_, i) => `"${'a'.repeat(4)}${String(i).padStart(2, '0')}${'a'.repeat(32)}"`);
    const kept = texts.map((text, i) => seen.set(text, i));
    expect(kept.filter(Boolean)).to.have.length(MAX_CHAIN);
    expect(kept.slice(0, MAX_CHAIN)).to.deep.equal(new Array(MAX_CHAIN).fill(true));
    texts.forEach((text, i) => expect(seen.get(`x${text}x`, 1, text.length + 1)).to.equal(i < MAX_CHAIN ? i : undefined));
  });

  it('finds every question name of an instrument however many share a hash', () => {
    const names = new SeenTexts<number>(Infinity);
    const texts = Array.from({ length: 50 }, (_, i) => `q${'a'.repeat(3)}${String(i).padStart(2, '0')}${'a'.repeat(32)}`);
    texts.forEach((text, i) => expect(names.set(text, i)).to.equal(true));
    texts.forEach((text, i) => expect(names.get(text, 0, text.length)).to.equal(i));
  });
});
