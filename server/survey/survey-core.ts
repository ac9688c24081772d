// survey-core on the server: the same model the respondent's browser runs, with the Dutch
// dictionary loaded so that validation messages come out in Dutch.
import * as Survey from 'survey-core';
import 'survey-core/i18n/dutch';
import { t } from '../i18n/messages';

// A few strings of the shipped Dutch dictionary read awkwardly (some are machine
// translations); ours come from the catalogue. The browser gets the same overrides.
export const dutchOverrides: Record<string, string> = {
  requiredError: t('errors.required'),
};
const dutch = Survey.surveyLocalization.locales['nl'] as Record<string, string> | undefined;
if (dutch) Object.assign(dutch, dutchOverrides);

export { Survey };
export type SurveyJson = Record<string, unknown>;
