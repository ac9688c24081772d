import { expect } from 'chai';
import { tallyKeys } from '../../../server/results/tallies/keys';
import { groupingQuestions } from '../../../server/results/tallies/grouping';

describe('results/tallies', () => {
  const answers = [
    { question: 'b_role', row: '', value: 'student' },
    { question: 'b_sector', row: '', value: 'mee' },
    { question: 'b_sector', row: '', value: 'anders' },
    { question: 't5', row: 't5_1', value: '4' },
    { question: 't5_toelichting', row: '', value: null },
  ];
  const keys = (grouping: string[]) => tallyKeys(answers, new Set(grouping))
    .map((k) => [k.byQuestion, k.byValue, k.question, k.row, k.value].join('|')).sort();

  it('counts each answer once, and each question answered at all once, for all respondents', () => {
    expect(keys([])).to.deep.equal([
      '||b_role||', '||b_role||student', '||b_sector||', '||b_sector||anders', '||b_sector||mee',
      '||t5_toelichting||', '||t5|t5_1|4', '||t5||',
    ]);
  });

  it('counts the same again within the respondent\'s group of each grouping question, leaving out that question itself', () => {
    const grouped = keys(['b_role']).filter((k) => k.startsWith('b_role|'));
    expect(grouped).to.deep.equal([
      'b_role|student|b_sector||', 'b_role|student|b_sector||anders', 'b_role|student|b_sector||mee',
      'b_role|student|t5_toelichting||', 'b_role|student|t5|t5_1|4', 'b_role|student|t5||',
    ]);
  });

  it('counts within each pair of grouping questions too, leaving out both', () => {
    const withExperience = [...answers, { question: 'c_ervaring', row: '', value: 'ja' }];
    const compound = tallyKeys(withExperience, new Set(['c_ervaring', 'b_role']))
      .filter((k) => k.byQuestion.includes('&')).map((k) => [k.byQuestion, k.byValue, k.question, k.row, k.value].join('|')).sort();
    expect(compound).to.deep.equal([
      'b_role&c_ervaring|student&ja|b_sector||', 'b_role&c_ervaring|student&ja|b_sector||anders', 'b_role&c_ervaring|student&ja|b_sector||mee',
      'b_role&c_ervaring|student&ja|t5_toelichting||', 'b_role&c_ervaring|student&ja|t5|t5_1|4', 'b_role&c_ervaring|student&ja|t5||',
    ]);
  });

  it('takes the grouping questions from the instrument\'s views, single-choice questions only', () => {
    const definition = { pages: [{ elements: [
      { type: 'radiogroup', name: 'b_role' }, { type: 'checkbox', name: 'b_sector' },
      { type: 'panel', name: 'p', elements: [{ type: 'dropdown', name: 'rol' }] },
    ] }] };
    const meta = { views: { x: { roleQuestion: 'rol', comparisons: [{ by: 'b_role' }, { by: 'b_sector' }], tables: [{ by: 'nope' }] } } };
    expect(groupingQuestions(meta, definition)).to.deep.equal(['b_role', 'rol']);
    expect(groupingQuestions({}, definition)).to.deep.equal([]);
  });
});
