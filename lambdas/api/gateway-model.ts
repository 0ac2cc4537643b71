import { z } from 'zod';

/** A JSON Schema (draft 4) as API Gateway's request models take it. */
export type GatewayModelSchema = Record<string, unknown>;

/**
 * The request model API Gateway checks a route's body against before any function runs, made from the schema the
 * handler parses it with. API Gateway speaks JSON Schema draft 4 only, so what a field's `override` says for the
 * OpenAPI document (route.ts) is applied and then said in draft 4's words: `propertyNames` becomes
 * `patternProperties`. It is looser than the handler where draft 4 cannot say a rule (a refinement, a transform):
 * the handler checks again and names what is wrong.
 */
export function gatewayModel(body: z.ZodType): GatewayModelSchema {
  const { $schema: _version, ...schema } = z.toJSONSchema(body, {
    target: 'draft-04',
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const override = (z.globalRegistry.get(zodSchema) as { override?: object } | undefined)?.override;
      if (override !== undefined) Object.assign(jsonSchema, override);
      delete (jsonSchema as { override?: unknown }).override;
    },
  });
  return inDraft4(schema);
}

/** Draft 6's `propertyNames` with `additionalProperties` as draft 4's `patternProperties`, all the way down. */
function inDraft4(schema: GatewayModelSchema): GatewayModelSchema {
  const out: GatewayModelSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = Array.isArray(value)
      ? value
      : typeof value === 'object' && value !== null
        ? inDraft4(value as GatewayModelSchema)
        : value;
  }
  const names = out.propertyNames as { pattern?: string } | undefined;
  if (names?.pattern !== undefined) {
    delete out.propertyNames;
    out.patternProperties = { [names.pattern]: out.additionalProperties ?? {} };
    out.additionalProperties = false;
  }
  return out;
}
