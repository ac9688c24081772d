// Load and submission may never disagree: every question type the loader accepts, in every
// container it accepts it in (a page, a panel, a dynamic panel's template, a panel in that
// template, a dynamic panel in a panel), is filled in as a respondent would, and the server's
// submission check must accept the answer, keep it, and the export must have a column for
// every value of it. What cannot be stored there is refused at load, naming the element and
// the rule. Before, a table inside a dynamic panel loaded and every answer to it was a 422.
import { expect } from 'chai';
import { InstrumentFileError, parseInstrument } from '../../../server/instruments/instrument-file';
import { validateResponse } from '../../../server/responses/validate-response';
import { csvColumns } from '../../../server/csv/columns';
import { REFUSED_TYPES, supportedTypes } from '../../../server/survey/model';
import { expectedCells } from '../../helpers/expected-cells';

type Json = Record<string, unknown>;
const IMAGE = 'data:image/png;base64,AAAA';

/**
 * Per supported type (and the variants stored differently), an element named `q`, an answer
 * a respondent could give to it (undefined: nothing is answered) and, where it offers
 * choices, one no respondent could give (a value it does not offer). Every type of
 * supportedTypes() must have one: a type added there without one fails below.
 */
const SAMPLES: Array<{ type: string; element: Json; answer: unknown; wrong?: unknown }> = [
  { type: 'radiogroup', element: { type: 'radiogroup', choices: ['a', 'b'] }, answer: 'a', wrong: 'zzz' },
  { type: 'dropdown', element: { type: 'dropdown', choices: ['a', 'b'] }, answer: 'b', wrong: 'zzz' },
  { type: 'boolean', element: { type: 'boolean' }, answer: true, wrong: 'zzz' },
  { type: 'rating', element: { type: 'rating', rateMin: 1, rateMax: 5 }, answer: 3, wrong: 9 },
  { type: 'imagepicker', element: { type: 'imagepicker', choices: [{ value: 'a', imageLink: IMAGE }, { value: 'b', imageLink: IMAGE }] }, answer: 'a', wrong: 'zzz' },
  { type: 'imagepicker', element: { type: 'imagepicker', multiSelect: true, choices: [{ value: 'a', imageLink: IMAGE }, { value: 'b', imageLink: IMAGE }] }, answer: ['b'], wrong: ['zzz'] },
  { type: 'checkbox', element: { type: 'checkbox', choices: ['a', 'b'] }, answer: ['a', 'b'], wrong: ['a', 'zzz'] },
  { type: 'tagbox', element: { type: 'tagbox', choices: ['a', 'b'] }, answer: ['b'], wrong: ['zzz'] },
  { type: 'ranking', element: { type: 'ranking', choices: ['a', 'b'] }, answer: ['b', 'a'], wrong: ['zzz', 'a'] },
  { type: 'matrix', element: { type: 'matrix', rows: ['r1', 'r2'], columns: ['a', 'b'] }, answer: { r1: 'a', r2: 'b' }, wrong: { r1: 'zzz' } },
  { type: 'matrixdropdown', element: { type: 'matrixdropdown', rows: ['r1'], columns: [{ name: 'c1', cellType: 'dropdown', choices: ['a', 'b'] }] }, answer: { r1: { c1: 'a' } }, wrong: { r1: { c1: 'zzz' } } },
  { type: 'matrixdynamic', element: { type: 'matrixdynamic', rowCount: 0, columns: [{ name: 'c1', cellType: 'dropdown', choices: ['a', 'b'] }] }, answer: [{ c1: 'b' }], wrong: [{ c1: 'zzz' }] },
  { type: 'paneldynamic', element: { type: 'paneldynamic', templateElements: [{ type: 'dropdown', name: 't', choices: ['a', 'b'] }] }, answer: [{ t: 'a' }], wrong: [{ t: 'zzz' }] },
  { type: 'comment', element: { type: 'comment' }, answer: 'Een opmerking' },
  { type: 'text', element: { type: 'text' }, answer: 'Een tekst' },
  { type: 'text', element: { type: 'text', inputType: 'number' }, answer: 4 },
  { type: 'text', element: { type: 'text', inputType: 'range', min: 0, max: 10 }, answer: 7 },
  { type: 'text', element: { type: 'text', inputType: 'date' }, answer: '2026-03-15' },
  { type: 'text', element: { type: 'text', inputType: 'email' }, answer: 'iemand@example.org' },
  { type: 'multipletext', element: { type: 'multipletext', items: [{ name: 'i1' }, { name: 'i2' }] }, answer: { i1: 'een', i2: 'twee' } },
  { type: 'expression', element: { type: 'expression', expression: '1 + 1' }, answer: undefined },
  { type: 'html', element: { type: 'html', html: '<p>Uitleg</p>' }, answer: undefined },
  { type: 'image', element: { type: 'image', imageLink: IMAGE }, answer: undefined },
  { type: 'panel', element: { type: 'panel', elements: [] }, answer: undefined },
];

interface Container {
  name: string;
  /** Within a dynamic panel's template: the answer is one cell of a panel. */
  inDynamicPanel: boolean;
  wrap(element: Json): Json[];
  data(answer: unknown): Json;
}

const CONTAINERS: Container[] = [
  { name: 'a page', inDynamicPanel: false, wrap: (e) => [e], data: (a) => ({ q: a }) },
  { name: 'a panel', inDynamicPanel: false, wrap: (e) => [{ type: 'panel', name: 'blok', elements: [e] }], data: (a) => ({ q: a }) },
  {
    name: 'a dynamic panel', inDynamicPanel: true,
    wrap: (e) => [{ type: 'paneldynamic', name: 'delen', templateElements: [e] }], data: (a) => ({ delen: [{ q: a }] }),
  },
  {
    name: 'a panel in a dynamic panel', inDynamicPanel: true,
    wrap: (e) => [{ type: 'paneldynamic', name: 'delen', templateElements: [{ type: 'panel', name: 'blok', elements: [e] }] }],
    data: (a) => ({ delen: [{ q: a }] }),
  },
  {
    name: 'a dynamic panel in a panel', inDynamicPanel: true,
    wrap: (e) => [{ type: 'panel', name: 'blok', elements: [{ type: 'paneldynamic', name: 'delen', templateElements: [e] }] }],
    data: (a) => ({ delen: [{ q: a }] }),
  },
];

function load(elements: Json[]): { definition: Json } | { problems: InstrumentFileError['details'] } {
  try {
    return { definition: parseInstrument('upload.json', JSON.stringify({ title: 'Proef', pages: [{ name: 'p1', elements }] }), { key: 'upload' }).definition };
  } catch (err) {
    if (!(err instanceof InstrumentFileError)) throw err;
    return { problems: err.details };
  }
}

describe('every question type in every container: what loads can be submitted and exported', () => {
  it('has a sample of every supported type', () => {
    expect([...new Set(SAMPLES.map((s) => s.type))].sort()).to.deep.equal([...supportedTypes()].sort());
  });

  for (const container of CONTAINERS) {
    for (const sample of SAMPLES) {
      const label = `${sample.type}${sample.element.inputType ? ` (${String(sample.element.inputType)})` : ''}${sample.element.multiSelect ? ' (multiSelect)' : ''}`;
      it(`${label} in ${container.name}`, () => {
        const loaded = load(container.wrap({ ...sample.element, name: 'q', title: 'Vraag' }));
        if ('problems' in loaded) {
          // Refused: only inside a dynamic panel, only by the rule for what a cell cannot hold, naming the element.
          expect(container.inDynamicPanel, `refused in ${container.name}: ${JSON.stringify(loaded.problems)}`).to.equal(true);
          expect(loaded.problems.map((p) => p.rule)).to.deep.equal(['nestedTable']);
          expect(loaded.problems[0].path).to.equal('upload.json: element "q"');
          expect(loaded.problems[0].message).to.include(`"${sample.type}"`).and.to.include('"delen"');
          return;
        }
        if (sample.answer === undefined) return;
        const data = container.data(sample.answer);
        const outcome = validateResponse(loaded.definition, data);
        expect(outcome.ok, `loaded, but the answer ${JSON.stringify(data)} is refused: ${JSON.stringify(outcome)}`).to.equal(true);
        if (!outcome.ok) return;
        expect(outcome.data, 'the answer is kept as it was sent').to.deep.equal(data);
        const columns = new Map(csvColumns({ definition: loaded.definition, meta: {} }).map((c) => [c.name, c]));
        const cells = expectedCells(outcome.data, (column) => columns.get(column)?.kind);
        expect(cells.size).to.be.greaterThan(0);
        expect([...cells.keys()].filter((column) => !columns.has(column)), `values of ${JSON.stringify(data)} without an export column`).to.deep.equal([]);
        if (sample.wrong === undefined) return;
        // survey-core drops a cell's value that is no choice, without a word: the server refuses it.
        const wrong = validateResponse(loaded.definition, container.data(sample.wrong));
        expect(wrong.ok, `${JSON.stringify(container.data(sample.wrong))} is accepted: ${JSON.stringify(wrong)}`).to.equal(false);
      });
    }

    for (const type of REFUSED_TYPES.keys()) {
      it(`${type} in ${container.name} is refused`, () => {
        const loaded = load(container.wrap({ type, name: 'q' }));
        expect('problems' in loaded && loaded.problems.map((p) => `${p.path} ${p.rule}`)).to.deep.equal(['upload.json: element "q" type']);
      });
    }
  }
});
