import { expect } from 'chai';
import { csvColumns } from '../../../server/csv/columns';
import { exportRow } from '../../../server/csv/export-rows';
import { codebookRows, CODEBOOK_HEADER } from '../../../server/csv/codebook';
import { testInstrumentFiles } from '../../helpers/app';
import { professionalWithExperience } from '../../helpers/tno';

const tno = () => csvColumns(testInstrumentFiles().find((f) => f.key === 'tno-quickscan')!);

describe('one response as an export row', () => {
  const cells = (labels: boolean) => {
    const columns = tno();
    const row = exportRow(columns, { sequence: 7, day: '2026-03-01', data: professionalWithExperience() }, labels);
    return Object.fromEntries(columns.map((c, i) => [c.name, row[i]]));
  };

  it('writes choice values, 1/0 for ticked choices, and the matrix rows answered', () => {
    const row = cells(false);
    expect(row).to.include({ volgnummer: 7, datum: '2026-03-01', b_role: 'professional', 'b_sector.vrouwenopvang': 1, 'b_sector.mee': 0, e_wenselijk: 2, 't5.t5_1': 4, 't5.t5_2': '' });
  });

  it('leaves the choices of an unasked multi-select question empty rather than 0', () => {
    expect(cells(false)['c_soort.partnergeweld']).to.equal('');
  });

  it('writes the choice texts instead when asked for labels, keeping 1/0 for ticks', () => {
    expect(cells(true)).to.include({ b_role: 'Professional', e_wenselijk: 'Soms', 't5.t5_1': 'Mee eens', 'b_sector.vrouwenopvang': 1 });
  });
});

describe('the codebook', () => {
  it('describes exactly the columns of the export, in the same order', () => {
    for (const file of testInstrumentFiles()) {
      const columns = csvColumns(file);
      const variables = [...new Set(codebookRows(columns).slice(1).map((r) => r[0]))];
      expect(variables, file.key).to.deep.equal(columns.map((c) => c.name));
    }
  });

  it('gives every value its label and every free-text column one row without values', () => {
    const rows = codebookRows(tno());
    expect(rows[0]).to.deep.equal(CODEBOOK_HEADER);
    expect(rows.filter((r) => r[0] === 'e_wenselijk').map((r) => [r[2], r[3]])).to.deep.equal([[4, 'Altijd'], [3, 'Vaak'], [2, 'Soms'], [1, 'Nooit']]);
    // Without the variables' descriptions (variables.ts) no level, missing or routing columns.
    expect(rows.filter((r) => r[0] === 'e_toelichting')).to.deep.equal([['e_toelichting', 'Wil je je antwoord toelichten?', '', '', '']]);
    expect(rows.filter((r) => r[0] === 'b_sector.mee').map((r) => r[3])).to.deep.equal(['aangevinkt', 'niet aangevinkt']);
  });
});
