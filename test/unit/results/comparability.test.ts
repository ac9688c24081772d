import { expect } from 'chai';
import { comparableItems } from '../../../server/results/comparability';
import { instrumentModel, simpleCondition } from '../../../server/results/instrument-model';
import type { InstrumentVersion } from '../../../server/instruments/repository';

function version(id: string, elements: unknown[]): InstrumentVersion {
  return { id, key: 'x', version: 1, title: 'X', hash: id, meta: { missingValues: ['refused'] }, definition: { pages: [{ name: 'p', elements }] } };
}

const role = { type: 'radiogroup', name: 'rol', title: 'Rol?', choices: [{ value: 'a', text: 'A' }, { value: 'b', text: 'B' }], showRefuseItem: true };
const matrix = (rowText: string) => ({
  type: 'matrix', name: 'm', title: 'Stellingen', columns: [{ value: 1, text: 'Oneens' }, { value: 2, text: 'Eens' }],
  rows: [{ value: 'r1', text: rowText }, { value: 'r2', text: 'Twee' }],
});

describe('results/comparability', () => {
  it('compares only items whose text and choices are the same in every version, and lists the others with a reason', () => {
    const v1 = instrumentModel(version('cmp-v1', [role, matrix('Een'), { type: 'checkbox', name: 'c', title: 'C', choices: [{ value: 'x', text: 'X' }] }]));
    const v2 = instrumentModel(version('cmp-v2', [
      { ...role, choices: [{ value: 'a', text: 'A' }, { value: 'b', text: 'Bee' }] }, matrix('Een, anders gezegd'),
      { type: 'radiogroup', name: 'nieuw', title: 'Nieuw', choices: [{ value: 1, text: 'Ja' }] },
    ]));
    const { specs, notComparable } = comparableItems([v1, v2], () => false);
    expect(specs.map((s) => `${s.question.name}.${s.row?.key ?? ''}`)).to.deep.equal(['m.r2']);
    expect(notComparable.map((n) => [n.name, n.row ?? null, n.choice ?? null, n.reason])).to.deep.equal([
      ['rol', null, null, 'choices-changed'], ['m', 'r1', null, 'text-changed'], ['c', null, 'x', 'not-in-every-version'],
      ['nieuw', null, null, 'not-in-every-version'],
    ]);
  });

  it('reads the special items with their Dutch texts and marks the missing values', () => {
    const model = instrumentModel(version('cmp-v3', [role]));
    expect(model.byName.get('rol')!.choices.map((c) => [c.key, c.label, c.missing])).to.deep.equal([
      ['a', 'A', false], ['b', 'B', false], ['refused', 'Weiger te antwoorden', true]]);
  });

  it('recognises a routing condition that is one equality, and nothing more complex', () => {
    expect(simpleCondition("{b_role} = 'student'")).to.deep.equal({ question: 'b_role', value: 'student' });
    expect(simpleCondition('{e} = 3')).to.deep.equal({ question: 'e', value: '3' });
    expect(simpleCondition("{a} = 'x' and {b} = 'y'")).to.equal(null);
    expect(simpleCondition(null)).to.equal(null);
  });
});
