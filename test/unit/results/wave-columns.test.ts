import { expect } from 'chai';
import { WaveColumns } from '../../../server/results/columns/wave-columns';

describe('a wave\'s columnar copy', () => {
  const answer = (question: string, value: string | null, row = '') => ({ question, row, value });

  it('keeps a checkbox with several ticks per respondent, and grows past its first room', () => {
    const copy = new WaveColumns();
    for (let i = 0; i < 3000; i++) {
      copy.addResponse([answer('role', i % 3 === 0 ? 'student' : 'staff'), answer('sector', 'zorg'), ...(i % 2 ? [answer('sector', 'onderwijs')] : []),
        ...(i % 5 === 0 ? [answer('note', null)] : [])]);
    }
    copy.addResponse([]);
    expect(copy.n).to.equal(3001);
    expect(copy.canGroupBy({ question: 'role', row: '' })).to.equal(true);
    expect(copy.canGroupBy({ question: 'sector', row: '' })).to.equal(false);
    const all = copy.select([]);
    expect(all.length).to.equal(3001);
    expect(copy.select([{ question: 'sector', row: '', value: 'onderwijs' }]).length).to.equal(1500);
    expect(copy.select([{ question: 'sector', row: '', value: 'nergens' }]).length).to.equal(0);
    const students = copy.select([{ question: 'role', row: '', value: 'student' }, { question: 'sector', row: '', value: 'onderwijs' }]);
    expect(students.length).to.equal(500); // i divisible by 3 and odd
    const sizes = copy.groupSizes(copy.select([{ question: 'sector', row: '', value: 'onderwijs' }]), { question: 'role', row: '' });
    expect(Object.fromEntries(sizes)).to.deep.equal({ student: 500, staff: 1000 });
    const tallies = copy.distribution(all, ['note', 'sector']);
    const find = (question: string, value: string) => tallies.find((t) => t.question === question && t.value === value)?.respondents;
    expect(find('sector', 'zorg')).to.equal(3000);
    expect(find('sector', 'onderwijs')).to.equal(1500);
    expect(find('sector', '')).to.equal(3000); // answered
    expect(find('note', '')).to.equal(600); // a text: answered, no value
    expect(find('role', '')).to.equal(undefined); // answered counts only of the questions asked for
  });

  it('keeps an item with more values than a byte holds as one array per value', () => {
    const copy = new WaveColumns();
    for (let i = 0; i < 300; i++) copy.addResponse([answer('code', `v${i}`), answer('role', i < 100 ? 'a' : 'b')]);
    expect(copy.canGroupBy({ question: 'code', row: '' })).to.equal(false);
    expect(copy.select([{ question: 'code', row: '', value: 'v299' }]).length).to.equal(1);
    expect(copy.select([{ question: 'code', row: '', value: 'v3' }, { question: 'role', row: '', value: 'a' }]).length).to.equal(1);
    expect(copy.distribution(copy.select([])).filter((t) => t.question === 'code' && t.value !== '')).to.have.length(300);
  });

  it('crosstabs two items under a filter in one pass, and counts joint answers with the unanswered', () => {
    const copy = new WaveColumns();
    const rows: Array<[string, string | null, string]> = [['a', 'x', '1'], ['a', 'y', '2'], ['b', 'x', '2'], ['b', null, '2'], ['a', 'x', '3']];
    for (const [g, v, f] of rows) copy.addResponse([answer('g', g), ...(v ? [answer('m', v, 'r1')] : []), answer('f', f)]);
    const { groups, cells } = copy.crosstab(copy.select([{ question: 'f', row: '', value: '2' }]), { question: 'g', row: '' });
    expect(groups).to.deep.equal([{ value: 'a', respondents: 1 }, { value: 'b', respondents: 2 }]);
    const cell = (group: string, question: string, row: string, value: string) =>
      cells.find((c) => c.group === group && c.question === question && c.row === row && c.value === value)?.respondents ?? 0;
    expect([cell('a', 'm', 'r1', 'y'), cell('b', 'm', 'r1', 'x'), cell('b', 'm', '', ''), cell('b', 'f', '', '2')]).to.deep.equal([1, 1, 1, 2]);
    const joint = copy.jointCounts(copy.select([]), 'g', 'f');
    expect(joint).to.deep.include.members([{ first: 'a', second: '1', respondents: 1 }, { first: 'b', second: '2', respondents: 2 }]);
    expect(copy.differences(copy.select([]), [{ first: 'f', second: 'f' }], ['1', '2', '3'])).to.deep.equal([{ first: 'f', difference: 0, respondents: 5 }]);
  });
});
