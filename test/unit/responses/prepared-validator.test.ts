import { expect } from 'chai';
import { prepareValidator } from '../../../server/responses/prepared-validator';
import { validateWithSurveyModel } from '../../../server/responses/validate-response';
import { testInstrumentFiles } from '../../helpers/app';
import { fuzzSubmission, instrumentShape } from '../../helpers/submission-fuzzer';
import { quickscanSubmissions, seededRandom } from '../../helpers/quickscan-stream';
import { professionalWithExperience, studentWithoutExperience } from '../../helpers/tno';

// The prepared validator must give exactly the outcome of a fresh survey-core model: same
// verdict, same errors in the same order, same data (keys in the same order), same types.
// survey-core costs ~50 ms a submission, so CI checks a few hundred; for a thorough run:
//   VALIDATOR_FUZZ_CASES=5000 VALIDATOR_FUZZ_SEED=7 npx mocha --no-config --require dist/test/setup.js \
//     dist/test/unit/responses/prepared-validator.test.js --timeout 0
const CASES = Number(process.env.VALIDATOR_FUZZ_CASES ?? 40);
const SEED = Number(process.env.VALIDATOR_FUZZ_SEED ?? 20261123);

const definitionOf = (key: string) => testInstrumentFiles().find((f) => f.key === key)!.definition;

function expectSameOutcome(definition: Record<string, unknown>, submissions: Array<Record<string, unknown>>): void {
  const prepared = prepareValidator(definition);
  expect(prepared, 'the instrument should get a prepared validator').to.not.equal(null);
  for (const submitted of submissions) {
    const reference = validateWithSurveyModel(definition, submitted);
    const fast = prepared!.validate(submitted);
    const context = JSON.stringify(submitted).slice(0, 2000);
    expect(fast, context).to.deep.equal(reference);
    if (fast.ok && reference.ok) expect(JSON.stringify(fast.data), context).to.equal(JSON.stringify(reference.data));
  }
}

describe('the prepared validator gives the outcome of survey-core', function () {
  this.timeout(CASES > 100 ? 0 : 120_000);

  for (const key of ['tno-quickscan', 'weerman-organisatiescan', 'valente-zes-stappen']) {
    it(`on ${CASES} random, mostly flawed submissions to ${key}`, () => {
      const definition = definitionOf(key);
      const random = seededRandom(SEED + key.length);
      const shape = instrumentShape(definition);
      expectSameOutcome(definition, Array.from({ length: CASES }, () => fuzzSubmission(shape, random)));
    });
  }

  it('on Valente\'s owners and due dates: valid days, impossible days, text where a day belongs', () => {
    expectSameOutcome(definitionOf('valente-zes-stappen'), [
      { s1a1_status: 'bezig', s1a1_eigenaar: 'Projectleider', s1a1_streefdatum: '2026-03-01' },
      { s1a1_streefdatum: '2028-02-29', s2a1_eigenaar: '' },
      { s1a1_streefdatum: '2026-02-30' },
      { s1a1_streefdatum: 'morgen' },
      { s1a1_streefdatum: 20260301 },
      { s1a1_eigenaar: 'x'.repeat(201) },
      { s1a1_eigenaar: ['MT'] },
    ]);
  });

  it('on valid quickscan submissions of every route, and the examples of the other tests', () => {
    const valid = quickscanSubmissions(Math.max(20, Math.round(CASES / 3)), SEED).map((s) => s.data);
    expectSameOutcome(definitionOf('tno-quickscan'), [
      ...valid, studentWithoutExperience(), professionalWithExperience(),
      // Hidden by the role, and a hidden matrix row: dropped, not refused.
      { b_role: 'professional', c_ervaring: 'nee', b_instelling: 'han', t9: { t9_1: 2 }, t10: { t10_1: 3, t10_5: 4 } },
      // Exclusive choices combined, a required answer missing, a refused answer.
      { b_role: 'student', c_ervaring: 'ja', d_delen_met: ['none', 'clienten'] },
      { b_role: 'student', e_wenselijk: 2 },
      { b_role: 'professional', c_ervaring: 'refused', c_wanneer: ['vroeger'] },
      // Contact details only behind "ja".
      { b_role: 'student', c_ervaring: 'nee', m_interview: 'ja', m_contact: { naam: 'A', email: 'geen-e-mail' } },
      { b_role: 'student', c_ervaring: 'nee', m_interview: 'nee', m_contact: { naam: 'A' } },
    ]);
  });

  it('leaves an instrument with features it does not know to survey-core', () => {
    const page = (element: Record<string, unknown>) => ({ pages: [{ name: 'p', elements: [element] }] });
    expect(prepareValidator(page({ type: 'radiogroup', name: 'a', choices: ['x'], defaultValue: 'x' }))).to.equal(null);
    expect(prepareValidator(page({ type: 'radiogroup', name: 'a', choices: ['x'], visibleIf: 'age({b}) > 18' }))).to.equal(null);
    expect(prepareValidator(page({ type: 'radiogroup', name: 'a', choices: ['x'], visibleIf: '{onbekend} = 1' }))).to.equal(null);
    expect(prepareValidator(page({ type: 'checkbox', name: 'a', choices: ['x'], maxSelectedChoices: 1 }))).to.equal(null);
    expect(prepareValidator(page({ type: 'text', name: 'a', inputType: 'number' }))).to.equal(null);
    expect(prepareValidator(page({ type: 'text', name: 'a', inputType: 'date', min: '2026-01-01' }))).to.equal(null);
    // A one-line text and a date (Valente's owner and due date per action) are understood.
    expect(prepareValidator(page({ type: 'text', name: 'a' }))).to.not.equal(null);
    expect(prepareValidator(page({ type: 'text', name: 'a', inputType: 'date' }))).to.not.equal(null);
    expect(prepareValidator({ ...page({ type: 'comment', name: 'a' }), triggers: [] })).to.equal(null);
    expect(prepareValidator(page({ type: 'comment', name: 'a' }))).to.not.equal(null);
  });
});
