import { expect } from 'chai';
import { toAnswerRows } from '../../../server/responses/long-format';

describe('turning a response into long-format answer rows', () => {
  const types = new Map([['role', 'radiogroup'], ['sectors', 'checkbox'], ['t5', 'matrix'], ['note', 'comment'], ['contact', 'multipletext']]);

  it('makes one row per answered question, matrix row and ticked choice', () => {
    const rows = toAnswerRows({ role: 'student', sectors: ['a', 'b'], t5: { r1: 3, r2: 5 }, note: 'Tekst' }, types);
    expect(rows).to.deep.equal([
      { question: 'role', row: '', value: 'student', text: null },
      { question: 'sectors', row: '', value: 'a', text: null },
      { question: 'sectors', row: '', value: 'b', text: null },
      { question: 't5', row: 'r1', value: '3', text: null },
      { question: 't5', row: 'r2', value: '5', text: null },
      { question: 'note', row: '', value: null, text: 'Tekst' },
    ]);
  });

  it('keeps free text apart from choice values and skips empty text', () => {
    const rows = toAnswerRows({ note: '   ', 'sectors-Comment': 'iets anders' }, types);
    expect(rows).to.deep.equal([{ question: 'sectors-Comment', row: '', value: null, text: 'iets anders' }]);
  });

  it('stores a multiple text\'s number item (validated into a number) as a value, its text items as texts', () => {
    const rows = toAnswerRows({ contact: { lengte: 51.5, merk: 'Fiets', leeg: ' ' } }, types);
    expect(rows).to.deep.equal([
      { question: 'contact', row: 'lengte', value: '51.5', text: null },
      { question: 'contact', row: 'merk', value: null, text: 'Fiets' },
    ]);
  });
});
