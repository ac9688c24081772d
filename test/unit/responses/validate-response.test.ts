import { expect } from 'chai';
import { validateResponse, ValidationOutcome } from '../../../server/responses/validate-response';
import { testInstrumentFiles } from '../../helpers/app';
import { professionalWithExperience, studentWithoutExperience } from '../../helpers/tno';

const tno = () => testInstrumentFiles().find((f) => f.key === 'tno-quickscan')!.definition;
const valente = () => testInstrumentFiles().find((f) => f.key === 'valente-zes-stappen')!.definition;

function errorsOf(outcome: ValidationOutcome): Array<{ question?: string; message: string }> {
  expect(outcome.ok, 'expected the response to be refused').to.equal(false);
  return (outcome as { errors: Array<{ question?: string; message: string }> }).errors;
}

describe('validating a response on the server with survey-core', () => {
  it('accepts a student without own experience', () => {
    const outcome = validateResponse(tno(), studentWithoutExperience());
    expect(outcome.ok).to.equal(true);
  });

  it('accepts a professional with own experience', () => {
    const outcome = validateResponse(tno(), professionalWithExperience());
    expect(outcome.ok, JSON.stringify(outcome)).to.equal(true);
  });

  it('refuses an unknown question', () => {
    const errors = errorsOf(validateResponse(tno(), { ...studentWithoutExperience(), favourite_colour: 'blauw' }));
    expect(errors).to.deep.equal([{ question: 'favourite_colour', message: 'Deze vraag bestaat niet in de vragenlijst.' }]);
  });

  it('refuses a value that is not among the choices', () => {
    const errors = errorsOf(validateResponse(tno(), { ...studentWithoutExperience(), c_ervaring: 'misschien' }));
    expect(errors.map((e) => e.question)).to.deep.equal(['c_ervaring']);
  });

  it('refuses a Likert value out of range in a matrix', () => {
    const errors = errorsOf(validateResponse(tno(), { ...studentWithoutExperience(), t5: { t5_1: 9 } }));
    expect(errors.map((e) => e.question)).to.deep.equal(['t5']);
  });

  it('refuses an unknown matrix row', () => {
    const errors = errorsOf(validateResponse(tno(), { ...studentWithoutExperience(), t5: { t5_99: 3 } }));
    expect(errors[0].message).to.contain('t5_99');
  });

  it('refuses a missing required answer, in Dutch', () => {
    const data = studentWithoutExperience();
    delete data.c_ervaring;
    const errors = errorsOf(validateResponse(tno(), data));
    expect(errors).to.deep.equal([{ question: 'c_ervaring', message: 'Beantwoord deze vraag.' }]);
  });

  it('drops answers to questions that were not visible', () => {
    const outcome = validateResponse(tno(), { ...studentWithoutExperience(), b_sector: ['vrouwenopvang'], t8_scholing: 2 });
    expect(outcome.ok).to.equal(true);
    if (outcome.ok) {
      expect(outcome.data).not.to.have.property('b_sector');
      expect(outcome.data).not.to.have.property('t8_scholing');
    }
  });

  it('drops a matrix row that was not visible (the stageplek row for professionals)', () => {
    const outcome = validateResponse(tno(), { ...professionalWithExperience(), t10: { t10_1: 4, t10_5: 5 } });
    expect(outcome.ok).to.equal(true);
    if (outcome.ok) expect(outcome.data.t10).to.deep.equal({ t10_1: 4 });
  });

  it('refuses a choice that is shown only to the other group', () => {
    const errors = errorsOf(validateResponse(tno(), { ...professionalWithExperience(), d_delen_met: ['studiegenoten'] }));
    expect(errors.map((e) => e.question)).to.deep.equal(['d_delen_met']);
  });

  it('lets a sensitive item be passed with "zeg ik liever niet", but not together with other choices', () => {
    expect(validateResponse(tno(), { ...professionalWithExperience(), c_wanneer: ['refused'] }).ok).to.equal(true);
    const errors = errorsOf(validateResponse(tno(), { ...professionalWithExperience(), c_wanneer: ['refused', 'vroeger'] }));
    expect(errors.map((e) => e.question)).to.deep.equal(['c_wanneer']);
  });

  it('refuses values of the wrong type: a list where one choice is expected, numbers for text', () => {
    const errors = errorsOf(validateResponse(tno(), { ...studentWithoutExperience(), b_role: ['student'], e_toelichting: 12 }));
    expect(errors.map((e) => e.question).sort()).to.deep.equal(['b_role', 'e_toelichting']);
  });

  it('refuses free text over the length limit', () => {
    const errors = errorsOf(validateResponse(tno(), { ...studentWithoutExperience(), e_toelichting: 'x'.repeat(5001) }));
    expect(errors.map((e) => e.question)).to.deep.equal(['e_toelichting']);
  });

  it('requires a reason when a Valente action is marked not applicable', () => {
    const errors = errorsOf(validateResponse(valente(), { s1a1_status: 'nvt' }));
    expect(errors.map((e) => e.question)).to.deep.equal(['s1a1_reden']);
    expect(validateResponse(valente(), { s1a1_status: 'nvt', s1a1_reden: 'Wij zijn een kleine organisatie.' }).ok).to.equal(true);
  });
});
