// Definitions brought from elsewhere (SurveyJS Creator, SurveyJS's examples): what is
// harmless loads, what breaks a submission or anonymity is refused with file, element, rule
// and the allowed values; the question types load and are validated on the server.
import { expect } from 'chai';
import { InstrumentFileError, parseInstrument } from '../../../server/instruments/instrument-file';
import { validateResponse } from '../../../server/responses/validate-response';
import { toAnswerRows } from '../../../server/responses/long-format';

type Json = Record<string, unknown>;

function load(definition: Json) {
  return parseInstrument('upload.json', JSON.stringify(definition), { key: 'upload' });
}

function problems(definition: Json) {
  try {
    load(definition);
  } catch (err) {
    expect(err).to.be.instanceOf(InstrumentFileError);
    return (err as InstrumentFileError).details;
  }
  throw new Error('the definition was accepted');
}

const page = (...elements: Json[]) => ({ title: 'Proef', pages: [{ name: 'p1', elements }] });

describe('a SurveyJS definition brought from elsewhere', () => {
  it('loads with harmless settings: progress bar on top, boolean question numbers, numeric logo width, rows on a comment, several languages', () => {
    const file = load({
      ...page(
        { type: 'comment', name: 'opmerking', rows: 4 },
        { type: 'radiogroup', name: 'kleur', title: { default: 'Colour', nl: 'Kleur' }, choices: [{ value: 'rood', text: { default: 'Red', nl: 'Rood' } }, 'Blauw'] },
      ),
      showProgressBar: 'top', showQuestionNumbers: false, logoWidth: 60,
    });
    expect(file.key).to.equal('upload');
    expect(file.title).to.equal('Proef');
  });

  // Each harmless setting on its own, so that a refusal of any one of them fails its own test.
  const harmless: Array<[string, Json]> = [
    ['showProgressBar: "top"', { ...page({ type: 'text', name: 'a' }), showProgressBar: 'top' }],
    ['boolean showQuestionNumbers', { ...page({ type: 'text', name: 'a' }), showQuestionNumbers: true }],
    ['numeric logoWidth', { ...page({ type: 'text', name: 'a' }), logoWidth: 120 }],
    ['rows: N on a comment (a textarea height)', page({ type: 'comment', name: 'opmerking', rows: 3 })],
    ['{default, nl, en} texts for a title', page({ type: 'text', name: 'a', title: { default: 'Name', nl: 'Naam', en: 'Name' } })],
    ['{default, nl, en} texts for choices', page({ type: 'checkbox', name: 'a', choices: [{ value: 'x', text: { default: 'Yes', nl: 'Ja', en: 'Yes' } }] })],
    ['the panel\'s own answer in a title inside a dynamic panel ({panel.x})', page({ type: 'paneldynamic', name: 'p', templateElements: [
      { type: 'text', name: 'wie' }, { type: 'panel', name: 'meer', title: 'Over {panel.wie}', elements: [{ type: 'text', name: 'x' }] }] })],
  ];
  for (const [what, definition] of harmless) {
    it(`accepts ${what}`, () => {
      expect(load(definition).key).to.equal('upload');
    });
  }

  it('takes questions at the top without pages, and names its key after the title when none is given', () => {
    const file = parseInstrument('x.json', JSON.stringify({ title: 'Tevredenheid cliënten 2026', elements: [{ type: 'rating', name: 'score' }] }));
    expect(file.key).to.equal('tevredenheid-clienten-2026');
    expect((file.definition.pages as Json[])[0].elements).to.have.length(1);
  });

  it('loads every supported question type', () => {
    load(page(
      { type: 'rating', name: 'rating' }, { type: 'tagbox', name: 'tags', choices: ['a', 'b'] }, { type: 'boolean', name: 'yesno' },
      { type: 'ranking', name: 'order', choices: ['a', 'b', 'c'] },
      { type: 'matrixdropdown', name: 'grid', rows: ['r1'], columns: [{ name: 'c1' }], choices: [1, 2] },
      { type: 'matrixdynamic', name: 'dyn', columns: [{ name: 'c1', cellType: 'text' }] },
      { type: 'paneldynamic', name: 'panels', templateElements: [{ type: 'text', name: 'child' }] },
      { type: 'multipletext', name: 'multi', items: [{ name: 'i1' }] },
      { type: 'expression', name: 'total', expression: '{rating} * 2' },
      { type: 'image', name: 'logo', imageLink: 'data:image/png;base64,AAAA' },
      { type: 'imagepicker', name: 'pick', choices: [{ value: 'x', imageLink: 'data:image/png;base64,AAAA' }] },
      { type: 'text', name: 'day', inputType: 'date' }, { type: 'text', name: 'count', inputType: 'number' },
      { type: 'text', name: 'slider', inputType: 'range', min: 0, max: 10 },
    ));
  });

  const refusals: Array<[string, Json, string, RegExp]> = [
    ['a file upload', page({ type: 'file', name: 'foto' }), 'type', /vraagtype "file" wordt niet aanvaard: een bestand kan een gezicht of een naam bevatten/],
    ['a signature', page({ type: 'signaturepad', name: 'sig' }), 'type', /handtekening/],
    ['cookieName', { ...page({ type: 'text', name: 'a' }), cookieName: 'done' }, 'cookieName', /cookie van twee jaar/],
    ['navigateToUrl', { ...page({ type: 'text', name: 'a' }), navigateToUrl: 'https://example.org' }, 'navigateToUrl', /pagina gaat weg/],
    ['navigateToUrlOnCondition', { ...page({ type: 'text', name: 'a' }), navigateToUrlOnCondition: [{ expression: '{a} = 1', url: 'https://example.org' }] }, 'navigateToUrlOnCondition', /pagina gaat weg/],
    ['calculatedValues with includeIntoResult', { ...page({ type: 'text', name: 'a' }), calculatedValues: [{ name: 'x', expression: '1', includeIntoResult: true }] }, 'includeIntoResult', /includeIntoResult/],
    ['storeOthersAsComment: false', { ...page({ type: 'text', name: 'a' }), storeOthersAsComment: false }, 'storeOthersAsComment', /Anders/],
    ['choicesByUrl', page({ type: 'dropdown', name: 'land', choicesByUrl: { url: 'https://example.org/landen' } }), 'choicesByUrl', /choicesByUrl/],
    ['a choice value twice', page({ type: 'radiogroup', name: 'a', choices: [{ value: 1, text: 'een' }, { value: 1, text: 'ook een' }] }), 'duplicateValue', /de waarde "1" twee keer/],
    ['piping in completedHtmlOnCondition', { ...page({ type: 'text', name: 'a' }), completedHtmlOnCondition: [{ expression: '{a} = 1', html: 'Dank, {a}' }] }, 'piping', /pipe answers/],
    ['a script in completedHtmlOnCondition', { ...page({ type: 'text', name: 'a' }), completedHtmlOnCondition: [{ expression: '{a} = 1', html: '<script>x()</script>' }] }, 'markup', /<script>/],
    ['piping in a validator text', page({ type: 'text', name: 'a', validators: [{ type: 'numeric', text: 'Niet {a}' }] }), 'piping', /pipe answers/],
    ['markup in a validator text', page({ type: 'text', name: 'a', validators: [{ type: 'numeric', text: '<b>Fout</b>' }] }), 'markup', /markup/],
    ['an image from another website', page({ type: 'image', name: 'i', imageLink: 'https://example.org/x.png' }), 'imageLink', /andere website/],
    ['a name with spaces', page({ type: 'text', name: 'Uw naam' }), 'name', /kan geen kolom/],
    ['an unknown input type', page({ type: 'text', name: 'kleur', inputType: 'color' }), 'inputType', /toegestaan: text, number, range, date/],
    // A dynamic panel's template is checked as a page is (it was not visited at all before).
    ['a table in a dynamic panel', page({ type: 'paneldynamic', name: 'p', templateElements: [{ type: 'matrix', name: 'm', rows: ['r'], columns: [1] }] }), 'nestedTable', /vraagtype "matrix" kan niet in het dynamische panel "p" staan/],
    ['a file in a panel of a dynamic panel', page({ type: 'paneldynamic', name: 'p', templateElements: [{ type: 'panel', name: 'b', elements: [{ type: 'file', name: 'f' }] }] }), 'type', /vraagtype "file" wordt niet aanvaard/],
    ['another answer piped into a dynamic panel', page({ type: 'paneldynamic', name: 'p', templateElements: [{ type: 'text', name: 'x', title: 'Na {a}' }] }), 'piping', /other than \{panel/],
    ['markup in a dynamic panel', page({ type: 'paneldynamic', name: 'p', templateElements: [{ type: 'text', name: 'x', title: '<b>x</b>' }] }), 'markup', /markup/],
    ['a name with spaces in a dynamic panel', page({ type: 'paneldynamic', name: 'p', templateElements: [{ type: 'text', name: 'Uw naam' }] }), 'name', /kan geen kolom/],
  ];
  for (const [what, definition, rule, message] of refusals) {
    it(`refuses ${what}, naming the element and the rule`, () => {
      const found = problems(definition);
      const match = found.find((p) => p.rule === rule && message.test(p.message));
      expect(match, JSON.stringify(found)).not.to.equal(undefined);
      expect(match!.path).to.match(/^upload\.json/);
    });
  }

  it('lists every problem at once', () => {
    const found = problems({ ...page({ type: 'file', name: 'f' }, { type: 'text', name: 'Uw naam' }), cookieName: 'x' });
    expect(found.map((p) => p.rule)).to.include.members(['type', 'name', 'cookieName']);
  });
});

describe('the server validation of the brought question types', () => {
  const definition = load(page(
    { type: 'text', name: 'day', inputType: 'date' },
    { type: 'text', name: 'slider', inputType: 'range', min: 0, max: 10 },
    { type: 'text', name: 'count', inputType: 'number' },
    { type: 'ranking', name: 'order', choices: ['a', 'b', 'c'] },
    { type: 'tagbox', name: 'tags', choices: ['x', 'y'] },
    { type: 'rating', name: 'score', rateMin: 1, rateMax: 5 },
    { type: 'boolean', name: 'open' },
    { type: 'matrix', name: 'grid', enableIf: '{open} = true', columns: [1, 2], rows: ['r1', 'r2'] },
    { type: 'expression', name: 'double', expression: '{score} * 2' },
    { type: 'matrixdropdown', name: 'table', rows: ['r1'], columns: [{ name: 'c1' }], choices: [1, 2] },
    { type: 'paneldynamic', name: 'kids', templateElements: [{ type: 'text', name: 'age', inputType: 'number' }] },
  )).definition;

  const errorsOf = (data: Json) => {
    const outcome = validateResponse(definition, data);
    return outcome.ok ? [] : outcome.errors.map((e) => `${e.question}: ${e.message}`);
  };

  it('accepts a well-formed answer to every type and stores no expression', () => {
    const data = { day: '2026-02-28', slider: 7, count: 3, order: ['c', 'a', 'b'], tags: ['x'], score: 4, open: true,
      grid: { r1: 1 }, double: 8, table: { r1: { c1: 2 } }, kids: [{ age: 4 }, { age: 7 }] };
    const outcome = validateResponse(definition, data);
    expect(outcome.ok, JSON.stringify(outcome)).to.equal(true);
    if (!outcome.ok) return;
    expect(outcome.data).not.to.have.property('double');
    const rows = toAnswerRows(outcome.data, outcome.types);
    expect(rows.filter((r) => r.question === 'order')).to.deep.equal([
      { question: 'order', row: 'c', value: '1', text: null }, { question: 'order', row: 'a', value: '2', text: null },
      { question: 'order', row: 'b', value: '3', text: null }]);
    expect(rows.find((r) => r.question === 'count')).to.deep.equal({ question: 'count', row: '', value: '3', text: null });
    expect(rows.find((r) => r.question === 'day')).to.deep.equal({ question: 'day', row: '', value: null, text: '2026-02-28' });
    expect(rows.filter((r) => r.question === 'kids').map((r) => r.row)).to.deep.equal(['1.age', '2.age']);
  });

  it('refuses a date that is no date', () => {
    expect(errorsOf({ day: '2026-02-30' })).to.deep.equal(['day: Hier wordt een datum verwacht, zoals 2026-03-01.']);
    expect(errorsOf({ day: 'morgen' })).to.have.length(1);
  });

  it('refuses a range value outside its bounds, and a number that is text', () => {
    expect(errorsOf({ slider: 11 })).to.deep.equal(['slider: Deze waarde valt buiten het bereik van de vraag.']);
    expect(errorsOf({ count: '3' })).to.deep.equal(['count: Hier wordt een getal verwacht.']);
  });

  it('refuses a ranking that repeats or leaves out a choice, or ranks an unknown one', () => {
    expect(errorsOf({ order: ['a', 'a', 'b'] })).to.have.length(1);
    expect(errorsOf({ order: ['a', 'b'] })).to.have.length(1);
    expect(errorsOf({ order: ['a', 'b', 'z'] })).to.have.length(1);
  });

  it('refuses a rating outside its scale and a tag that is not a choice', () => {
    expect(errorsOf({ score: 6 })).to.have.length(1);
    expect(errorsOf({ tags: ['z'] })).to.have.length(1);
  });

  it('enforces enableIf: the rows of a disabled matrix are refused', () => {
    expect(errorsOf({ open: false, grid: { r1: 1 } })).to.deep.equal(['grid: Deze vraag kan nu niet worden beantwoord.']);
    expect(errorsOf({ open: true, grid: { r1: 1 } })).to.deep.equal([]);
  });

  it('refuses an unknown column in a matrix dropdown and too many dynamic panels', () => {
    expect(errorsOf({ table: { r1: { c9: 1 } } })).to.have.length(1);
    expect(errorsOf({ kids: Array.from({ length: 101 }, () => ({ age: 1 })) })).to.have.length(1);
  });
});

describe('the files in surveys/', () => {
  it('skips a bad file with its problems and keeps the others, a bare SurveyJS file named by its file', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { readInstrumentFiles } = await import('../../../server/instruments/instrument-file');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surveys-'));
    try {
      fs.writeFileSync(path.join(dir, 'goed.json'), JSON.stringify(page({ type: 'rating', name: 'score' })));
      fs.writeFileSync(path.join(dir, 'kapot.json'), JSON.stringify(page({ type: 'signaturepad', name: 'sig' })));
      fs.writeFileSync(path.join(dir, 'geen-json.json'), '{ nee');
      const { files, problems } = readInstrumentFiles(dir);
      expect(files.map((f) => f.key)).to.deep.equal(['goed']);
      expect(problems.map((p) => p.path)).to.deep.equal(['surveys/geen-json.json', 'surveys/kapot.json: element "sig"']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the export columns of the brought question types', () => {
  it('give an image picker one column (one choice) or a column per choice (several)', async () => {
    const { csvColumns } = await import('../../../server/csv/columns');
    const image = 'data:image/png;base64,AAAA';
    const file = load(page(
      { type: 'imagepicker', name: 'dier', choices: [{ value: 'leeuw', imageLink: image }, { value: 'panda', imageLink: image }] },
      { type: 'imagepicker', name: 'dieren', multiSelect: true, choices: [{ value: 'leeuw', imageLink: image }, { value: 'panda', imageLink: image }] },
    ));
    const columns = csvColumns(file).map((c) => `${c.name}:${c.kind}`);
    expect(columns).to.include.members(['dier:choice', 'dieren.leeuw:flag', 'dieren.panda:flag']);
  });
});
