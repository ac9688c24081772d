// The pure parts of the Weerman session: which minimum the agenda texts wait for, how the
// agenda is de-duplicated, the one gap ranking, and how a long chart label is wrapped.
import { expect } from 'chai';
import { agendaMinimum } from '../../../server/results/summary';
import { agendaOf, sameQuestionKey } from '../../../server/results/weerman-session';
import { gapRanking, WeermanItemSummary, WeermanView } from '../../../server/results/weerman';
import { wrapLabel } from '../../../server/pages/charts';
import { itemContext } from '../../../server/results/instrument-model';

const view = (agendaForGroup?: boolean): WeermanView => ({ scale: [0, 1, 2, 3, 4], dontKnow: 'dontknow', items: [], sources: [], ...(agendaForGroup === undefined ? {} : { agendaForGroup }) });

describe('the Weerman session (pure)', () => {
  it('shows agenda texts from the wave\'s minimum only where the instrument wrote them for the group; other free texts wait for the text minimum', () => {
    expect(agendaMinimum({ mode: 'anonymous', minGroupSize: 3 }, view(true), 10)).to.equal(3);
    expect(agendaMinimum({ mode: 'anonymous', minGroupSize: 3 }, view(), 10)).to.equal(10);
    expect(agendaMinimum({ mode: 'anonymous', minGroupSize: 12 }, view(), 10)).to.equal(12);
    expect(agendaMinimum({ mode: 'identified', minGroupSize: 3 }, view(), 10)).to.equal(3);
  });

  it('puts the same question on the agenda once, with every item it was asked at', () => {
    const agenda = agendaOf([
      { id: 'w01', number: 1, title: 'Een', questions: ['Wie is eigenaar?', '  wie IS   eigenaar ', 'Wat kost het'] },
      { id: 'w02', number: 2, title: 'Twee', questions: ['Wie is eigenaar.', '', '???'] },
      { id: 'w03', number: 3, title: 'Drie', questions: null },
    ]);
    expect(agenda).to.deep.equal([
      { text: 'Wie is eigenaar?', count: 3, items: [{ id: 'w01', number: 1, title: 'Een' }, { id: 'w02', number: 2, title: 'Twee' }] },
      { text: 'Wat kost het', count: 1, items: [{ id: 'w01', number: 1, title: 'Een' }] },
    ]);
    expect(sameQuestionKey('Wie\n\tis  eigenaar ?!')).to.equal('wie is eigenaar');
  });

  it('ranks by the mean paired gap, ties in the instrument\'s order, and leaves suppressed gaps out', () => {
    const item = (id: string, mean: number | null) => ({ id, number: Number(id), title: id, gap: mean === null ? { n: null, suppressed: true } : { n: 4, mean, suppressed: false }, flags: { priority: (mean ?? 0) >= 2, disagreement: false, blindSpot: false, negativeGap: (mean ?? 0) < 0 } }) as unknown as WeermanItemSummary;
    expect(gapRanking([item('1', 0.5), item('2', 2), item('3', null), item('4', 0.5), item('5', -0.25)]).map((r) => [r.id, r.priority, r.negative]))
      .to.deep.equal([['2', true, false], ['1', false, false], ['4', false, false], ['5', false, true]]);
  });

  it('wraps a long chart label into lines so that its number stays at the start', () => {
    const label = wrapLabel('12. Zijn er rollen, functies of taken voor vrijwilligers met ervaringskennis zonder opleiding?');
    expect(label).to.be.an('array');
    expect((label as string[])[0]).to.match(/^12\. /);
    for (const line of label as string[]) expect(line.length).to.be.at.most(38);
    expect((label as string[]).join(' ')).to.equal('12. Zijn er rollen, functies of taken voor vrijwilligers met ervaringskennis zonder opleiding?');
    expect(wrapLabel('Kort')).to.equal('Kort');
  });

  it('names the item of a sub-question: the panel, or for a matrix row or choice its question', () => {
    expect(itemContext('1. Is er een visie?', null)).to.equal('1. Is er een visie?');
    expect(itemContext(null, { title: 'In hoeverre eens?' })).to.equal('In hoeverre eens?');
    expect(itemContext('Blok', { title: 'Vraag' })).to.equal('Blok — Vraag');
    expect(itemContext(null, null)).to.equal(null);
  });
});
