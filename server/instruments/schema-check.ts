// Validates a SurveyJS definition against the JSON schema that survey-core ships.
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

let validator: ValidateFunction | null = null;

function surveySchemaValidator(): ValidateFunction {
  if (validator) return validator;
  // The file is not in the package's "exports", so it is read from disk.
  const packageDir = path.dirname(require.resolve('survey-core'));
  const schema = JSON.parse(fs.readFileSync(path.join(packageDir, 'surveyjs_definition.json'), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  validator = ajv.compile(schema);
  return validator;
}

export function schemaErrors(definition: unknown): string[] {
  const validate = surveySchemaValidator();
  if (validate(forSchema(definition))) return [];
  return (validate.errors ?? []).slice(0, 50).map(describe);
}

/**
 * Values survey-core accepts and renders well that the shipped schema, older than the
 * library, does not list: showProgressBar "top" (and the other positions), a boolean
 * showQuestionNumbers, a numeric logoWidth and progressBarLocation "top". They are checked as
 * what they mean.
 */
function forSchema(definition: unknown): unknown {
  if (!definition || typeof definition !== 'object' || Array.isArray(definition)) return definition;
  const copy: Record<string, unknown> = { ...(definition as Record<string, unknown>) };
  if (typeof copy.showProgressBar === 'string') copy.showProgressBar = copy.showProgressBar !== 'off';
  if (typeof copy.showQuestionNumbers === 'boolean') copy.showQuestionNumbers = copy.showQuestionNumbers ? 'on' : 'off';
  // survey-core still reads the older names of the progress bar's places.
  const legacyLocations: Record<string, string> = { top: 'aboveheader', both: 'topbottom', topBottom: 'topbottom' };
  if (typeof copy.progressBarLocation === 'string' && Object.hasOwn(legacyLocations, copy.progressBarLocation)) {
    copy.progressBarLocation = legacyLocations[copy.progressBarLocation];
  }
  if (typeof copy.logoWidth === 'number') copy.logoWidth = `${copy.logoWidth}px`;
  if (typeof copy.logoHeight === 'number') copy.logoHeight = `${copy.logoHeight}px`;
  return copy;
}

function describe(error: ErrorObject): string {
  return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`;
}
