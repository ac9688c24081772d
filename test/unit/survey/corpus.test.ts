// The corpus of public SurveyJS definitions (test/fixtures/surveyjs-corpus/README.md names
// their sources): each loads, or is refused by the rules named here, with a message that
// names the element.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { InstrumentFileError, parseInstrument } from '../../../server/instruments/instrument-file';

export const CORPUS_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'surveyjs-corpus');

/** 'loads', or the rules (errors[].rule) that refuse the file: all of them, no others. */
const EXPECTED: Record<string, 'loads' | string[]> = {
  'python-surveyjs-all-types.json': ['imageLink', 'inputType', 'type'],
  'survey-library-boolean.json': 'loads',
  'survey-library-checkboxes.json': 'loads',
  'survey-library-completetrigger.json': 'loads',
  'survey-library-cookie.json': ['cookieName'],
  'survey-library-dropdown-20.json': 'loads',
  'survey-library-file.json': ['type'],
  'survey-library-html.json': ['markup', 'piping'],
  'survey-library-image.json': ['imageLink'],
  'survey-library-imagepicker.json': ['imageLink'],
  'survey-library-localization-25.json': 'loads',
  'survey-library-matrix.json': 'loads',
  'survey-library-matrixdropdown.json': 'loads',
  'survey-library-matrixdynamic.json': 'loads',
  'survey-library-matrixrubric.json': 'loads',
  'survey-library-multipletext.json': 'loads',
  'survey-library-panel.json': 'loads',
  'survey-library-paneldynamic.json': 'loads',
  'survey-library-preprocesstitlesandhtml.json': ['markup', 'piping'],
  'survey-library-questions-comment.json': ['type'],
  'survey-library-ranking.json': 'loads',
  'survey-library-rating.json': 'loads',
  'survey-library-requiredif.json': 'loads',
  'survey-library-standardvalidators.json': 'loads',
  'survey-library-tagbox-420.json': 'loads',
  'survey-library-text.json': ['inputType'],
  'survey-library-visibleif.json': 'loads',
  'surveyjs-nodejs-income.json': ['storeOthersAsComment'],
  'surveyjs-nodejs-product-feedback.json': ['name'],
  'surveyjs-parser-calculatedvalues.json': ['includeIntoResult', 'pages'],
  'surveyjs-parser-dropdown.json': 'loads',
  'surveyjs-parser-text.json': 'loads',
};

export function loadingCorpusFiles(): string[] {
  return Object.keys(EXPECTED).filter((file) => EXPECTED[file] === 'loads');
}

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
});
