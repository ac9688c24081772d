// The corpus of public SurveyJS definitions (test/fixtures/surveyjs-corpus/README.md names
// their sources) and the outcome each must have: shared by the unit, HTTP and browser tests.
import path from 'node:path';

export const CORPUS_DIR = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'surveyjs-corpus');

/** 'loads', or the rules (errors[].rule) that refuse the file: all of them, no others. */
export const EXPECTED: Record<string, 'loads' | string[]> = {
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
  // Its `relativeillness` is a dynamic matrix in a dynamic panel: a panel's cell holds a value or a list, not rows.
  'survey-library-paneldynamic.json': ['nestedTable'],
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
