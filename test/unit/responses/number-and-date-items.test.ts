// Issue 15: number items of a multiple text (by inputType or by a numeric validator), dates in
// items and table cells, and computed (expression) cells, as the server validates and stores
// them: a number item holds a number, a date a real day, and a computed cell nothing, as a
// computed question (the export and codebook rely on all three).
import { expect } from 'chai';
import { validateResponse, ValidationOutcome } from '../../../server/responses/validate-response';
import { INSTRUMENT } from '../../helpers/all-types';

const definition = INSTRUMENT.definition as unknown as Record<string, unknown>;
const validate = (data: Record<string, unknown>): ValidationOutcome => validateResponse(definition, data);
const dataOf = (outcome: ValidationOutcome) => {
  expect(outcome.ok, JSON.stringify(outcome)).to.equal(true);
  return (outcome as { data: Record<string, unknown> }).data;
};
const refused = (outcome: ValidationOutcome) => {
  expect(outcome.ok, JSON.stringify(outcome)).to.equal(false);
  return (outcome as { errors: Array<{ question?: string; message: string }> }).errors;
};

describe('number and date items, computed cells (issue 15)', () => {
  it('a numeric validator of a multiple-text item is enforced, not only in the browser', () => {
    expect(refused(validate({ maten: { gewicht: 'zwaar' } }))[0]).to.include({ question: 'maten' });
    expect(refused(validate({ maten: { gewicht: '600' } }))[0]).to.include({ question: 'maten' });
  });

  it('a number item is stored as a number: a Dutch decimal comma as survey-core reads it', () => {
    expect(dataOf(validate({ maten: { gewicht: '51,5', lengte: 160, merk: '7' } })).maten).to.deep.equal({ gewicht: 51.5, lengte: 160, merk: '7' });
    expect(dataOf(validate({ maten: { gewicht: 51.5 } })).maten).to.deep.equal({ gewicht: 51.5 });
  });

  it('a date cell of a table holds a real day', () => {
    expect(refused(validate({ kinderen: [{ leeftijd: 3, geboren: 'gisteren' }] }))[0]).to.include({ question: 'kinderen' });
    expect(refused(validate({ kinderen: [{ leeftijd: 3, geboren: '2023-02-30' }] }))).to.have.length(1);
    expect(dataOf(validate({ kinderen: [{ leeftijd: 3, geboren: '2023-02-28' }] })).kinderen).to.deep.equal([{ leeftijd: 3, geboren: '2023-02-28' }]);
  });

  it('a computed cell is not stored, as a computed question is not', () => {
    const data = dataOf(validate({ jaren: 4, jarenplus: 5, kinderen: [{ leeftijd: 3, dubbel: 6 }, { leeftijd: 5, dubbel: 99 }] }));
    expect(data).to.not.have.property('jarenplus');
    expect(data.kinderen).to.deep.equal([{ leeftijd: 3 }, { leeftijd: 5 }]);
  });
});
