import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { detailJsonSchema, schemaFileName } from '../../../lambdas/events/json-schemas';
import { DETAIL_SCHEMAS, EVENT_TYPES } from '../../../lambdas/manifest/events';

const DIR = path.join(__dirname, '../../../lambdas/events/schemas');

/**
 * The committed schema files are what subscribers read; they must say exactly what the zod schemas enforce.
 * After changing an event on purpose, regenerate them: `UPDATE_SCHEMAS=1 npx jest event-schemas`.
 */
describe('committed event JSON Schemas', () => {
  it.each(EVENT_TYPES)('%s matches the schema the publisher enforces', (detailType) => {
    const file = path.join(DIR, schemaFileName(detailType));
    const generated = detailJsonSchema(detailType, DETAIL_SCHEMAS[detailType]);
    if (process.env.UPDATE_SCHEMAS === '1') writeFileSync(file, `${JSON.stringify(generated, null, 2)}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(generated);
  });

  it.each(EVENT_TYPES)('%s compiles as JSON Schema 2020-12', (detailType) => {
    const ajv = addFormats(new Ajv2020({ strict: false }));
    const schema = JSON.parse(readFileSync(path.join(DIR, schemaFileName(detailType)), 'utf8'));
    expect(() => ajv.compile(schema)).not.toThrow();
  });
});
