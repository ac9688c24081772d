import { expect } from 'chai';
import { rString, spssNames } from '../../../server/csv/scripts';
import { missingCodesOf } from '../../../server/survey/model';
import { optionValues } from '../../../server/csv/columns';
import type { CsvColumn } from '../../../server/csv/columns';

describe('names and strings of the SPSS syntax and the R script', () => {
  it('makes names SPSS allows: a letter first, no hyphen, no final dot, no reserved word, unique without regard to case', () => {
    expect(spssNames(['e_toelichting-Comment', 'b_sector.mee', '1e_vraag', 'TO', 'to', 'q.', 'Q_']))
      .to.deep.equal(['e_toelichting_Comment', 'b_sector.mee', 'v_1e_vraag', 'TO_', 'to__2', 'q', 'Q_']);
    expect(spssNames(['x'.repeat(100)])[0]).to.have.length(60);
  });

  it('writes R strings in ASCII, escaping quotes, backslashes, line breaks and every other character', () => {
    expect(rString('Cliënten "en" \\ zo\nverder')).to.equal('"Cli\\u00ebnten \\"en\\" \\\\ zo\\nverder"');
    expect(rString('😀')).to.equal('"\\U{1f600}"');
  });
});

describe('missing-value codes', () => {
  const column = (values: Array<string | number>): CsvColumn => ({
    name: 'q', kind: 'choice', question: 'q', title: 'q', questionTitle: 'q', options: values.map((value) => ({ value, label: String(value) })),
  });

  it('gives dontknow -1, refused -2, further missing values -3 and on, and the suppressed mark -9', () => {
    const codes = missingCodesOf({ missingValues: ['refused', 'dontknow', 'nvt'] }, optionValues([column([0, 1, 2, 'refused'])]));
    expect(codes.codes).to.deep.equal([{ value: 'refused', code: -2 }, { value: 'dontknow', code: -1 }, { value: 'nvt', code: -3 }]);
    expect([codes.suppressed, codes.highest, codes.codeOf('nvt'), codes.codeOf(2)]).to.deep.equal([-9, -1, -3, undefined]);
  });

  it('moves every code below the lowest numeric choice of the instrument, so none is also an answer', () => {
    const codes = missingCodesOf({ missingValues: ['dontknow', 'refused'] }, optionValues([column([-2, -1, 0, 1, 2])]));
    expect(codes.codes.map((c) => c.code)).to.deep.equal([-3, -4]);
    expect(codes.highest).to.equal(-3);
    expect(codes.suppressed).to.equal(-11);
  });
});
