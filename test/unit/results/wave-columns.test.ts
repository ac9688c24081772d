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

  it('keeps an item with more values than a byte holds in 32-bit codes, one per response', () => {
    const copy = new WaveColumns();
    for (let i = 0; i < 300; i++) copy.addResponse([answer('code', `v${i}`), answer('role', i < 100 ? 'a' : 'b')]);
    expect(copy.canGroupBy({ question: 'code', row: '' })).to.equal(false);
    expect(copy.select([{ question: 'code', row: '', value: 'v299' }]).length).to.equal(1);
    expect(copy.select([{ question: 'code', row: '', value: 'v3' }, { question: 'role', row: '', value: 'a' }]).length).to.equal(1);
    expect(copy.distribution(copy.select([])).filter((t) => t.question === 'code' && t.value !== '')).to.have.length(300);
  });

  it('holds a number of many distinct values in 4 bytes a response (not an array per value), counted per group as before', () => {
    const copy = new WaveColumns();
    // 3,000 respondents, 1,500 distinct amounts (each given twice), in two groups.
    for (let i = 0; i < 3000; i++) copy.addResponse([answer('bedrag', String(i % 1500)), answer('role', i % 2 ? 'a' : 'b')]);
    // Per response: 4 bytes of codes, 1 of role, 2 of answered; one array per value would be 1,500 bytes.
    expect(copy.bytes()).to.be.below(4096 * 8);
    const cells = copy.crosstab(copy.select([]), { question: 'role', row: '' }).cells.filter((c) => c.question === 'bedrag' && c.value !== '');
    // Value v is given by i = v and i = v + 1500: both odd or both even, so both in one group.
    expect(cells).to.have.length(1500);
    expect(cells.every((c) => c.respondents === 2)).to.equal(true);
    expect(cells.find((c) => c.value === '7')!.group).to.equal('a');
    expect(copy.groupSizes(copy.select([{ question: 'role', row: '', value: 'b' }]), { question: 'bedrag', row: '' }).get('8')).to.equal(2);
    expect(copy.select([{ question: 'bedrag', row: '', value: '1499' }]).length).to.equal(2);
    // A second value for one respondent still makes it one array per value (a checkbox).
    copy.addResponse([answer('bedrag', '1'), answer('bedrag', '2')]);
    expect(copy.distribution(copy.select([])).filter((t) => t.question === 'bedrag' && (t.value === '1' || t.value === '2')).map((t) => t.respondents)).to.deep.equal([3, 3]);
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

  it('brings remembered counts up to date with the responses added since, as counting them all again would', () => {
    // Seeded: new values, new items, a checkbox becoming several values per respondent, a new
    // group, a value past 255 (32-bit codes), between the reads; a fresh copy counts them all.
    let seed = 17;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const responses: Array<Array<{ question: string; row: string; value: string | null }>> = [];
    const copy = new WaveColumns();
    const selections = [[], [{ question: 'g', row: '', value: 'a' }], [{ question: 'm', row: 'r1', value: '2' }, { question: 'g', row: '', value: 'b' }]];
    const bys = [null, { question: 'g', row: '' }, { question: 'm', row: 'r1' }];
    let groups = ['a', 'b'];
    for (let round = 0; round < 12; round++) {
      for (let k = 0; k < 40; k++) {
        const answers: Array<{ question: string; row: string; value: string | null }> = [{ question: 'g', row: '', value: pick(groups) }, { question: 'm', row: 'r1', value: pick(['1', '2', '3', ...(round > 3 ? ['4'] : [])]) }];
        if (random() < 0.5) answers.push({ question: 'c', row: '', value: pick(['x', 'y']) });
        if (round > 5 && random() < 0.3) answers.push({ question: 'c', row: '', value: 'z' }); // a second tick: several values each
        if (round > 2) answers.push({ question: 'late', row: '', value: pick(['p', 'q']) });
        if (round >= 5) answers.push({ question: 'num', row: '', value: String(k + 40 * round) }); // past 255 values in round 11
        if (random() < 0.2) answers.push({ question: 'text', row: '', value: null });
        responses.push(answers);
        copy.addResponse(answers);
      }
      if (round === 6) groups = [...groups, 'c'];
      const fresh = new WaveColumns();
      for (const answers of responses) fresh.addResponse(answers);
      for (const filters of selections) {
        expect([...copy.select(filters)], `round ${round}`).to.deep.equal([...fresh.select(filters)]);
        for (const by of bys) {
          const key = WaveColumns.filterKey(filters);
          expect(copy.crosstab(copy.select(filters), by, undefined, key), `round ${round}, ${key} by ${by?.question}`)
            .to.deep.equal(fresh.crosstab(fresh.select(filters), by));
          expect(copy.distribution(copy.select(filters), ['c', 'text'], key)).to.deep.equal(fresh.distribution(fresh.select(filters), ['c', 'text']));
        }
      }
    }
  });

  it('remembers group sizes of a selection until a response is added, handing out copies', () => {
    const copy = new WaveColumns();
    for (const g of ['a', 'a', 'b']) copy.addResponse([answer('g', g)]);
    const key = WaveColumns.filterKey([]);
    const first = copy.groupSizes(copy.select([]), { question: 'g', row: '' }, key);
    expect([...first]).to.deep.equal([['a', 2], ['b', 1]]);
    first.set('a', 99); // a caller's change is its own
    expect(copy.groupSizes(copy.select([]), { question: 'g', row: '' }, key).get('a')).to.equal(2);
    copy.addResponse([answer('g', 'b')]);
    expect([...copy.groupSizes(copy.select([]), { question: 'g', row: '' }, key)]).to.deep.equal([['a', 2], ['b', 2]]);
  });
});
