import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { csvColumns } from '../../../server/csv/columns';
import { parseCsvFile } from '../../../server/csv/csv-text';
import { answerTexts, applyMapping, cellTexts, gridHeader, mappingTargets, suggestColumns } from '../../../server/csv/mapping';
import { worstCaseFile } from '../../../bench/csv-worst-case';
import { testInstrumentFiles } from '../../helpers/app';

const targets = () => mappingTargets(csvColumns(testInstrumentFiles().find((f) => f.key === 'tno-quickscan')!));
const googleForms = () => {
  const parsed = parseCsvFile(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'csv', 'google-forms-quickscan-earlier-round.csv')));
  if (!parsed.ok) throw new Error('fixture does not parse');
  return parsed.table;
};

describe('mapping a Google-Forms-style file onto the instrument', () => {
  it('suggests a target for the timestamp, question texts and a "Question [Row]" grid header, and none for a column of its own', () => {
    expect(suggestColumns(googleForms().headers, targets())).to.deep.equal(['datum', 'b_role', 'b_sector.*', 'c_ervaring', 'e_wenselijk', 't5.t5_1', '']);
  });

  it('lists the distinct answer texts per mapped column, with the choice each seems to be', () => {
    const table = googleForms();
    const texts = answerTexts(table.headers, table.rows, { columns: suggestColumns(table.headers, targets()), answers: new Map() }, targets());
    const ervaring = texts.find((a) => a.target === 'c_ervaring')!;
    expect(ervaring.texts).to.deep.equal([
      { text: 'Nee', count: 2, suggestion: 'nee' },
      { text: 'Wil ik niet zeggen', count: 1, suggestion: null },
    ]);
    expect(texts.find((a) => a.target === 'b_sector.*')!.texts.map((x) => x.text)).to.deep.equal(['Vrouwenopvang', 'Veilig Thuis']);
  });

  it('rewrites the file into the export\'s format with the manager\'s answer choices', () => {
    const table = googleForms();
    const mapping = { columns: suggestColumns(table.headers, targets()), answers: new Map([['c_ervaring', new Map([['wil ik niet zeggen', 'refused']])]]) };
    const mapped = applyMapping(table.headers, table.rows, mapping, targets());
    expect(mapped.problems).to.deep.equal([]);
    const row = (i: number) => Object.fromEntries(mapped.headers.map((h, j) => [h, mapped.rows[i]![j]]));
    expect(row(0)).to.include({ datum: '2023/05/04 10:11:12 CET', b_role: 'Professional', 'b_sector.vrouwenopvang': '1', 'b_sector.veilig_thuis': '1', 'b_sector.mee': '0' });
    expect(row(1)['b_sector.vrouwenopvang']).to.equal('');
    expect(row(2)).to.include({ c_ervaring: 'refused' });
    expect(mapped.sourceHeader.get('b_sector.mee')).to.equal('In welke sector(en) werk je?');
  });

  it('reports an answer text of a multi-select cell that is not mapped to a choice', () => {
    const table = googleForms();
    table.rows[0]![2] = 'Vrouwenopvang, Kinderopvang';
    const mapped = applyMapping(table.headers, table.rows, { columns: suggestColumns(table.headers, targets()), answers: new Map() }, targets());
    expect(mapped.problems).to.deep.equal([{ line: 2, column: 'In welke sector(en) werk je?', message: '‘Kinderopvang’ is nog niet aan een antwoord gekoppeld.' }]);
  });

  it('refuses two columns mapped to the same question', () => {
    const mapped = applyMapping(['a', 'b'], [['student', 'student']], { columns: ['b_role', 'b_role'], answers: new Map() }, targets());
    expect(mapped.problems[0]!.message).to.equal('De kolommen ‘a’ en ‘b’ zijn allebei gekoppeld aan b_role.');
  });

  it('keeps a choice text with a comma in it whole when splitting a multi-select cell', () => {
    const target = { name: 'x.*', label: '', title: '', columns: [], whole: true, options: [{ value: 'a', label: 'Nee, nooit' }, { value: 'b', label: 'Soms' }] };
    expect(cellTexts('Nee, nooit, Soms', target)).to.deep.equal(['Nee, nooit', 'Soms']);
    expect(cellTexts('Soms; Nee, nooit', target)).to.deep.equal(['Soms', 'Nee, nooit']);
  });
});

// The shapes that once froze the server (a cubic split, a quadratic header regex). Here their
// results are checked; their speed is measured by bench/csv-worst-case.ts, not by a test.
describe('mapping the worst-case shapes of a file', () => {
  const target = { name: 'x.*', label: '', title: '', columns: [], whole: true, options: [{ value: 'a', label: 'Nee, nooit' }, { value: 'b', label: 'Soms' }] };

  it('splits a cell of nothing but separators into no answers', () => {
    expect(cellTexts(','.repeat(3000), target)).to.deep.equal([]);
    expect(cellTexts(';'.repeat(3000), target)).to.deep.equal([]);
    expect(cellTexts(`${', '.repeat(1500)}Soms`, target)).to.deep.equal(['Soms']);
  });

  it('keeps every comma choice whole in a long cell, and the longest answer wins', () => {
    expect(cellTexts('Nee, nooit, '.repeat(1000), target)).to.deep.equal(Array(1000).fill('Nee, nooit'));
    expect(cellTexts('Nee, Nee, nooit, nooit', target)).to.deep.equal(['Nee', 'Nee, nooit', 'nooit']);
    const wide = { ...target, options: [{ value: 'w', label: 'een, twee, drie' }, { value: 't', label: 'twee, drie' }] };
    expect(cellTexts('een, twee, drie, twee, drie, een', wide)).to.deep.equal(['een, twee, drie', 'twee, drie', 'een']);
  });

  it('splits a "Question [Row]" header as the old pattern did, and refuses 60 kB of spaces and brackets without a match', () => {
    const old = /^(.*?)\s*\[(.*)\]\s*$/;
    for (const header of ['Vraag [Rij]', 'Vraag[Rij]', 'Vraag   [a] [b]  ', '[alleen rij]', 'Geen rij', 'Vraag [', 'Vraag ]', 'a [b [c]] d]', '[]']) {
      const match = old.exec(header);
      expect(gridHeader(header), header).to.deep.equal(match ? { question: match[1], part: match[2] } : null);
    }
    expect(gridHeader(`Q${' '.repeat(30_000)}${'['.repeat(30_000)}x`)).to.equal(null);
    expect(gridHeader(`${' ['.repeat(30_000)}x`)).to.equal(null);
    expect(gridHeader(`${'['.repeat(60_000)}]`)).to.deep.equal({ question: '', part: '['.repeat(59_999) });
  });

  it('maps a file of worst cases: every header looked up, long headers left out, one problem per unknown text and cell', () => {
    const parsed = parseCsvFile(worstCaseFile(300_000));
    if (!parsed.ok) throw new Error('the worst-case file does not parse');
    const { headers, rows } = parsed.table;
    const columns = suggestColumns(headers, targets());
    expect(columns.slice(0, 5)).to.deep.equal(['datum', 'b_role', 'b_sector.*', '', '']);
    expect(columns.slice(5).every((c) => c === '')).to.equal(true);
    const mapping = { columns, answers: new Map() };
    const texts = answerTexts(headers, rows, mapping, targets()).find((a) => a.target === 'b_sector.*')!.texts;
    expect(texts.map((x) => x.text).sort()).to.deep.equal(['a', 'b', 'Veilig Thuis', 'Vrouwenopvang'].sort());
    const mapped = applyMapping(headers, rows, mapping, targets());
    const abRows = rows.filter((r) => r[2]!.startsWith('a, b')).length;
    expect(mapped.problems).to.have.length(2 * abRows);
    expect(mapped.rows[1]![mapped.headers.indexOf('b_sector.vrouwenopvang')]).to.equal('1');
  });
});
