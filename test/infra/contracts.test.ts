import type { z } from 'zod';
import { ALL_PIPELINE_FUNCTIONS } from '../../lambdas/manifest/manifest';
import { apiFunctionsFor } from '../../lambdas/manifest/routes';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import { NodeFunction } from '../../lib/constructs/node-function';
import { INFERENCE_MODES, logicalIdOf, synth } from './support/synth';

/**
 * Each deployed function's own environment schema, from the manifest (the people routes with `faceGrouping` only), by
 * its Powertools service name.
 */
function schemasFor(faceGrouping: boolean): Record<string, z.ZodType> {
  const api = apiFunctionsFor({ faceGrouping, webhooks: true }).map(({ route, envSchema }) => [
    `image-intel-${route(DEFAULT_SETTINGS).operationId}`,
    envSchema,
  ]);
  const pipeline = Object.entries(ALL_PIPELINE_FUNCTIONS).map(([name, { envSchema }]) => [
    `image-intel-${name}`,
    envSchema,
  ]);
  return Object.fromEntries([...api, ...pipeline]);
}

/** Read by the runtime, not by our handlers: Node's flags and glibc's allocator. */
const RUNTIME_VARIABLES = new Set(['NODE_OPTIONS', 'MALLOC_ARENA_MAX']);

/** What the schemas declare, unwrapping the refinements (zod 4 keeps the object's shape on `.shape`). */
function declaredKeys(schema: z.ZodType): Set<string> {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  if (!shape) throw new Error('a function environment schema must be an object schema');
  return new Set(Object.keys(shape));
}

/**
 * CloudFormation fills references in at deploy time; a schema sees a plausible string in their place. A value
 * built around references (`Fn::Join`) keeps its literal parts, so the schema
 * still reads its structure.
 */
function resolved(variables: Record<string, unknown>): Record<string, string> {
  const value = (node: unknown, name: string): string => {
    if (typeof node === 'string') return node;
    const join = (node as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map((part, i) => value(part, `${name}-${i}`)).join(join[0]);
    return `resolved-${name.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`;
  };
  return Object.fromEntries(Object.entries(variables).map(([key, node]) => [key, value(node, key)]));
}

/** Every inference, and face grouping (which adds the people table's and the collection's variables) with two. */
const CONTEXTS = [
  ...INFERENCE_MODES.map((inference) => ({ inference, faceGrouping: 'false' })),
  { inference: 'rekognition', faceGrouping: 'true' },
  { inference: 'offline', faceGrouping: 'true' },
] as const;

describe.each(CONTEXTS)('function environments with inference=$inference faceGrouping=$faceGrouping', (context) => {
  const { inference } = context;
  const schemas = schemasFor(context.faceGrouping === 'true');
  const functions = () => {
    const { json, stack } = synth({ ...context, auth: 'apikey' });
    // What the stack compiled into each function's code (COMPILED_VARIABLES) is read as its environment is.
    const compiled = new Map(
      stack.node
        .findAll()
        .filter((construct): construct is NodeFunction => construct instanceof NodeFunction)
        .map((fn) => [logicalIdOf(fn), fn.compiledEnvironment]),
    );
    return Object.entries(json.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
      .map(([id, resource]) => {
        const variables = {
          ...((resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
            {}),
          ...compiled.get(id),
        } as Record<string, unknown>;
        return { id, service: variables.POWERTOOLS_SERVICE_NAME as string | undefined, variables };
      })
      .filter((fn) => fn.service !== undefined);
  };

  it('has a contract for every function of ours in the template', () => {
    const services = functions().map((fn) => fn.service);
    const expected = Object.keys(schemas).filter((name) => inference === 'offline' || name !== 'image-intel-vision');
    expect(services.sort()).toEqual(expected.sort());
  });

  it('wires each function with an environment its own schema parses', () => {
    for (const fn of functions()) {
      const schema = schemas[fn.service as string] as z.ZodType;
      const parsed = schema.safeParse(resolved(fn.variables));
      expect({ function: fn.service, issues: parsed.error?.issues ?? [] }).toEqual({
        function: fn.service,
        issues: [],
      });
    }
  });

  it('sets no variable that the function does not read', () => {
    for (const fn of functions()) {
      const declared = declaredKeys(schemas[fn.service as string] as z.ZodType);
      const unread = Object.keys(fn.variables).filter((key) => !declared.has(key) && !RUNTIME_VARIABLES.has(key));
      expect({ function: fn.service, unread }).toEqual({ function: fn.service, unread: [] });
    }
  });
});
