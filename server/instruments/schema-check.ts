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
  if (validate(definition)) return [];
  return (validate.errors ?? []).slice(0, 10).map(describe);
}

function describe(error: ErrorObject): string {
  return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`;
}
