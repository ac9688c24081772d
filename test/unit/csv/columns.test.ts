import { expect } from 'chai';
import { computedColumns, csvColumns, DAY_COLUMN, SEQUENCE_COLUMN } from '../../../server/csv/columns';
import { routingOf } from '../../../server/csv/variables';
import { testInstrumentFiles } from '../../helpers/app';

const instrument = (key: string) => testInstrumentFiles().find((f) => f.key === key)!;

describe('the CSV columns of an instrument', () => {
  // Each import and export asks for them; working them out builds a SurveyModel, tens of ms
  // of the event loop on the 2-core machine while live submissions wait (bench/submissions.ts).
  it('are worked out once per instrument version, as is its routing, and the same for another copy of its definition', () => {
    const quickscan = instrument('tno-quickscan');
    const first = csvColumns(quickscan);
    expect(csvColumns(quickscan)).to.deep.equal(first);
    expect(csvColumns(quickscan).every((c, i) => c === first[i]), 'the same column objects').to.equal(true);
    expect(computedColumns(quickscan)).to.deep.equal(computedColumns(quickscan));
    expect(routingOf(quickscan.definition)).to.equal(routingOf(quickscan.definition));
    const copy = { ...quickscan, definition: structuredClone(quickscan.definition), meta: structuredClone(quickscan.meta) };
    expect(csvColumns(copy)).to.deep.equal(first);
    expect([...routingOf(copy.definition)]).to.deep.equal([...routingOf(quickscan.definition)]);
  });

  it('start with the running number and the day, then follow the questions in the order of the survey', () => {
    const names = csvColumns(instrument('tno-quickscan')).map((c) => c.name);
    expect(names.slice(0, 3)).to.deep.equal([SEQUENCE_COLUMN, DAY_COLUMN, 'b_role']);
    expect(names.indexOf('b_role')).to.be.below(names.indexOf('c_ervaring'));
    expect(names.indexOf('c_ervaring')).to.be.below(names.indexOf('t5.t5_1'));
    expect(names.indexOf('t5.t5_9')).to.be.below(names.indexOf('t10.t10_1'));
  });

  it('give a matrix one column per row (q.row) and a multi-select question one per choice (q.choice), including none and refused', () => {
    const names = csvColumns(instrument('tno-quickscan')).map((c) => c.name);
    expect(names.filter((n) => n.startsWith('t5.'))).to.have.length(9);
    expect(names.filter((n) => n.startsWith('d_delen_met.'))).to.deep.equal([
      'd_delen_met.collegas', 'd_delen_met.leidinggevenden', 'd_delen_met.studiegenoten', 'd_delen_met.stagebegeleider',
      'd_delen_met.clienten', 'd_delen_met.anders', 'd_delen_met.none', 'd_delen_met.refused',
    ]);
  });

  it('never include a contact question, nor the question that routes to it', () => {
    const names = csvColumns(instrument('tno-quickscan')).map((c) => c.name);
    expect(names.filter((n) => n.startsWith('m_'))).to.deep.equal([]);
  });

  it('keep the "weet ik niet" choice of the Weerman scale as a possible answer', () => {
    const column = csvColumns(instrument('weerman-organisatiescan')).find((c) => c.name === 'w01_is')!;
    expect(column.options.map((o) => o.value)).to.deep.equal([0, 1, 2, 3, 4, 'dontknow']);
    expect(column.options.at(-1)!.label).to.equal('Weet ik niet');
  });

  it('give every column of every instrument a unique name', () => {
    for (const file of testInstrumentFiles()) {
      const names = csvColumns(file).map((c) => c.name);
      expect(new Set(names).size, file.key).to.equal(names.length);
    }
  });

  it('print a matrix row as the question text and the row, without doubling a colon', () => {
    const column = csvColumns(instrument('tno-quickscan')).find((c) => c.name === 't5.t5_1')!;
    expect(column.title).to.match(/zijn beter in staat om: Zorgen over een onveilige thuissituatie/);
  });
});
