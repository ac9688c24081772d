import { expect } from 'chai';
import { compareChart } from '../../../server/pages/charts';

describe('the comparison chart', () => {
  const percents = [[10, 20, 30, 20, 20], [20, 20, 20, 20, 20]];
  const item = (type: string) => ({
    title: 'x', type, groupLabels: ['Studenten', 'Professionals'], categoryLabels: ['1', '2', '3', '4', '5'], rowPercents: percents,
  });

  it('draws a scale (a matrix row or a rating) as diverging bars, agreeing against disagreeing', () => {
    expect(compareChart(item('matrix'))!.kind).to.equal('diverging');
    expect(compareChart(item('rating'))!.kind).to.equal('diverging');
  });

  it('draws the choices of any other question as plain stacked bars, however many there are', () => {
    expect(compareChart(item('radiogroup'))!.kind).to.equal('bars');
    expect(compareChart(item('checkbox'))!.kind).to.equal('bars');
  });
});
