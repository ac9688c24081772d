import { expect } from 'chai';
import { csvColumns, CsvColumn } from '../../../server/csv/columns';
import { matchHeaders, readRow, sameText } from '../../../server/csv/read-rows';
import { dayFromCell } from '../../../server/csv/day-cell';
import { testInstrumentFiles } from '../../helpers/app';

const columns = () => csvColumns(testInstrumentFiles().find((f) => f.key === 'tno-quickscan')!);
const read = (headers: string[], cells: string[]) => {
  const { matched, unknown } = matchHeaders(headers, columns());
  expect(unknown).to.deep.equal([]);
  return readRow(matched as CsvColumn[], cells);
};

describe('reading an imported row back into answers', () => {
  it('takes choice values or choice texts, ignoring case and surrounding spaces, and restores the value\'s type', () => {
    const row = read(['B_Role ', 'e_wenselijk', 't5.t5_1', 'c_ervaring'], [' STUDENT ', 'vaak', 'Mee Eens', 'nee']);
    expect(row.data).to.deep.equal({ b_role: 'student', e_wenselijk: 3, t5: { t5_1: 4 }, c_ervaring: 'nee' });
    expect(row.problems).to.deep.equal([]);
  });

  it('turns 1/0 columns of a multi-select question into the list of ticked choices', () => {
    const row = read(['b_sector.vrouwenopvang', 'b_sector.veilig_thuis', 'b_sector.mee'], ['1', '0', 'ja']);
    expect(row.data).to.deep.equal({ b_sector: ['vrouwenopvang', 'mee'] });
  });

  it('treats a multi-select question with nothing ticked, or all cells empty, as unanswered', () => {
    expect(read(['b_sector.vrouwenopvang', 'b_sector.mee'], ['0', '0']).data).to.deep.equal({});
    expect(read(['b_sector.vrouwenopvang', 'b_sector.mee'], ['', '']).data).to.deep.equal({});
  });

  it('reports a flag that is neither 1 nor 0', () => {
    const row = read(['b_sector.vrouwenopvang'], ['misschien']);
    expect(row.problems).to.deep.equal([{ column: 'b_sector.vrouwenopvang', message: '‘misschien’ kan hier niet: gebruik 1 (aangevinkt) of 0 (niet aangevinkt).' }]);
  });

  it('passes an unknown answer on unchanged, for the submission\'s validation to refuse, and remembers its column', () => {
    const row = read(['c_ervaring'], ['misschien']);
    expect(row.data).to.deep.equal({ c_ervaring: 'misschien' });
    expect(row.unmatched.get('c_ervaring')).to.equal('c_ervaring');
  });

  it('gives back free text as typed, undoing the export\'s neutralising quote', () => {
    const row = read(['e_toelichting'], ["'=1+1\nen meer"]);
    expect(row.data).to.deep.equal({ e_toelichting: '=1+1\nen meer' });
  });

  it('compares texts as a person would: curly quotes, case and spaces do not matter', () => {
    expect(sameText('Collega’s', " collega's ")).to.equal(true);
    expect(sameText('Mee  eens', 'mee eens')).to.equal(true);
    expect(sameText('Oneens', 'Mee eens')).to.equal(false);
  });
});

describe('reading a date cell as a day', () => {
  it('accepts ISO, Google Forms and Dutch dates, dropping any time', () => {
    expect(dayFromCell('2024-03-01')).to.equal('2024-03-01');
    expect(dayFromCell('2024-03-01T14:22:11Z')).to.equal('2024-03-01');
    expect(dayFromCell('2023/05/04 10:11:12 CET')).to.equal('2023-05-04');
    expect(dayFromCell('1-3-2024 14:22:11')).to.equal('2024-03-01');
    expect(dayFromCell('01/03/2024')).to.equal('2024-03-01');
  });

  it('refuses what is not a date or not a real day', () => {
    expect(dayFromCell('gisteren')).to.equal(null);
    expect(dayFromCell('31-2-2024')).to.equal(null);
  });
});
