import { expect } from 'chai';
import { NO_DIFFERENCE, NO_SINGLE_ANSWER, describeDifference, testTable } from '../../../server/stats';

const likert = ['Helemaal mee oneens', 'Oneens', 'Neutraal', 'Mee eens', 'Helemaal mee eens'];

describe('stats/describe-difference', () => {
  it('says which group chose which answer more often, for two groups', () => {
    const sentence = describeDifference({
      groups: ['studenten', 'professionals'],
      categories: ['Oneens', 'Neutraal', 'Mee eens'],
      residuals: [
        [-0.5, -2.3, 2.5],
        [0.5, 2.3, -2.5],
      ],
      pAdjusted: 0.01,
    });
    expect(sentence).to.equal('Studenten kozen vaker ‘Mee eens’ dan professionals; professionals kozen vaker ‘Neutraal’.');
  });

  it('reads the residuals of a real test (R stdres of the 2×5 table)', () => {
    // R: chisq.test(rbind(c(10,15,20,25,12), c(18,20,14,10,7)), correct=FALSE)$stdres
    //    row 1: -2.19 -1.55 0.60 2.32 0.83
    const test = testTable([[10, 15, 20, 25, 12], [18, 20, 14, 10, 7]]).test!;
    const sentence = describeDifference({
      groups: ['studenten', 'professionals'],
      categories: likert,
      residuals: test.residuals,
      pAdjusted: test.p,
    });
    expect(sentence).to.equal(
      'Studenten kozen vaker ‘Mee eens’ dan professionals; professionals kozen vaker ‘Helemaal mee oneens’.',
    );
  });

  it('lists several answers with commas and "en"', () => {
    const sentence = describeDifference({
      groups: ['professionals met ervaring', 'professionals zonder ervaring'],
      categories: likert,
      residuals: [
        [-2.1, -2.0, -2.2, 2.4, 2.5],
        [2.1, 2.0, 2.2, -2.4, -2.5],
      ],
      pAdjusted: 0.001,
    });
    expect(sentence).to.equal(
      'Professionals met ervaring kozen vaker ‘Mee eens’ en ‘Helemaal mee eens’ dan professionals zonder ervaring; ' +
        'professionals zonder ervaring kozen vaker ‘Helemaal mee oneens’, ‘Oneens’ en ‘Neutraal’.',
    );
  });

  it('compares with "de andere groepen" when there are more than two groups', () => {
    const sentence = describeDifference({
      groups: ['2023', '2024', '2025'],
      categories: ['Ja', 'Nee'],
      residuals: [
        [2.5, -2.5],
        [-0.3, 0.3],
        [-2.2, 2.2],
      ],
      pAdjusted: 0.02,
    });
    expect(sentence).to.equal('2023 kozen vaker ‘Ja’ dan de andere groepen; 2025 kozen vaker ‘Nee’.');
  });

  it('says there is no significant difference when the Holm-adjusted p is 0.05 or more', () => {
    const input = { groups: ['a', 'b'], categories: ['x', 'y'], residuals: [[3, -3], [-3, 3]] };
    expect(describeDifference({ ...input, pAdjusted: 0.2 })).to.equal(NO_DIFFERENCE);
    expect(describeDifference({ ...input, pAdjusted: 0.05 })).to.equal(NO_DIFFERENCE);
    expect(describeDifference({ ...input, pAdjusted: null })).to.equal(NO_DIFFERENCE);
    expect(NO_DIFFERENCE).to.equal('Geen significant verschil tussen de groepen.');
  });

  it('honours another significance level', () => {
    const input = { groups: ['a', 'b'], categories: ['x', 'y'], residuals: [[3, -3], [-3, 3]] };
    expect(describeDifference({ ...input, pAdjusted: 0.03, alpha: 0.01 })).to.equal(NO_DIFFERENCE);
  });

  it('says so when the difference is significant but no single answer stands out', () => {
    const sentence = describeDifference({
      groups: ['a', 'b', 'c'],
      categories: ['x', 'y', 'z'],
      residuals: [[1.9, -1, 0], [-1.9, 1.5, 0], [0, -0.5, 0.5]],
      pAdjusted: 0.04,
    });
    expect(sentence).to.equal(NO_SINGLE_ANSWER);
  });

  it('refuses residuals that do not match the groups and categories', () => {
    expect(() =>
      describeDifference({ groups: ['a', 'b'], categories: ['x'], residuals: [[1, 2], [3, 4]], pAdjusted: 0.01 }),
    ).to.throw(RangeError);
  });
});
