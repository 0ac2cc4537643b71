import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { schemaFileName } from '../../lambdas/events/json-schemas';

const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
const DIR = path.join(__dirname, '../../lambdas/events/schemas');

/** Validate an event detail against the committed JSON Schema file (not the zod schema it came from). */
export function schemaErrors(detailType: string, detail: unknown): string[] {
  const schema = JSON.parse(readFileSync(path.join(DIR, schemaFileName(detailType)), 'utf8'));
  const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
  return validate(detail) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
