// The corpus of public SurveyJS definitions (test/fixtures/surveyjs-corpus/README.md names
// their sources): each loads, or is refused by the rules named here, with a message that
// names the element.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { InstrumentFileError, parseInstrument } from '../../../server/instruments/instrument-file';
import { CORPUS_DIR, EXPECTED } from '../../helpers/corpus';

describe('the corpus of public SurveyJS definitions', () => {
  it('holds at least 20 definitions, each with its expected outcome', () => {
    const files = fs.readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.json')).sort();
    expect(files.length).to.be.at.least(20);
    expect(files).to.deep.equal(Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file} ${expected === 'loads' ? 'loads' : `is refused (${expected.join(', ')})`}`, () => {
      const text = fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8');
      let rules: string[] = [];
      try {
        parseInstrument(file, text, { key: file.replace(/\.json$/, '').toLowerCase() });
      } catch (err) {
        if (!(err instanceof InstrumentFileError)) throw err;
        rules = [...new Set(err.details.map((d) => d.rule))].sort();
        for (const detail of err.details) {
          expect(detail.path, detail.message).to.match(new RegExp(`^${file.replace(/\./g, '\\.')}`));
          expect(detail.message.length, detail.path).to.be.above(20);
        }
      }
      expect(rules).to.deep.equal(expected === 'loads' ? [] : [...expected].sort());
    });
  }

  it('survey-library-paneldynamic.json is refused for its table in the dynamic panel alone, naming the table and the panel', () => {
    const file = 'survey-library-paneldynamic.json';
    const text = fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8');
    let details: InstrumentFileError['details'] = [];
    try {
      parseInstrument(file, text, { key: 'paneldynamic' });
    } catch (err) {
      if (!(err instanceof InstrumentFileError)) throw err;
      details = err.details;
    }
    expect(details.map((d) => `${d.path} ${d.rule}`)).to.deep.equal([`${file}: element "relativeillness" nestedTable`]);
    expect(details[0].message).to.match(/^vraagtype "matrixdynamic" kan niet in het dynamische panel "relatives" staan: .*zet "relativeillness" buiten het dynamische panel/);
  });
});
