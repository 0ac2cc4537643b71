import type { z } from 'zod';
import { PeopleEnvSchema } from '../../lambdas/api/people';
import { CorrectLabelsEnvSchema } from '../../lambdas/functions/correct-labels/route';
import { CreateRenditionEnvSchema } from '../../lambdas/functions/create-rendition/route';
import { CreateUploadEnvSchema } from '../../lambdas/functions/create-upload/route';
import { DeleteImageEnvSchema } from '../../lambdas/functions/delete-image/route';
import { GetBackfillEnvSchema } from '../../lambdas/functions/get-backfill/route';
import { GetImageEnvSchema } from '../../lambdas/functions/get-image/route';
import { ListBackfillsEnvSchema } from '../../lambdas/functions/list-backfills/route';
import { ListImagesEnvSchema } from '../../lambdas/functions/list-images/route';
import { ProcessorEnvSchema } from '../../lambdas/functions/processor/contract';
import { RenderImageEnvSchema } from '../../lambdas/functions/render-image/contract';
import { RotateRenditionKeyEnvSchema } from '../../lambdas/functions/rotate-rendition-key/contract';
import { SimilarImagesEnvSchema } from '../../lambdas/functions/similar-images/route';
import { StartBackfillEnvSchema } from '../../lambdas/functions/start-backfill/route';
import { VisionEnvSchema } from '../../lambdas/functions/vision/contract';
import { NodeFunction } from '../../lib/constructs/node-function';
import { INFERENCE_MODES, logicalIdOf, synth } from './support/synth';

/** Each deployed function's own environment schema, by its Powertools service name. */
const SCHEMAS: Record<string, z.ZodType> = {
  'image-intel-create-upload': CreateUploadEnvSchema,
  'image-intel-list-images': ListImagesEnvSchema,
  'image-intel-get-image': GetImageEnvSchema,
  'image-intel-delete-image': DeleteImageEnvSchema,
  'image-intel-similar-images': SimilarImagesEnvSchema,
  'image-intel-correct-labels': CorrectLabelsEnvSchema,
  'image-intel-create-rendition': CreateRenditionEnvSchema,
  'image-intel-start-backfill': StartBackfillEnvSchema,
  'image-intel-list-backfills': ListBackfillsEnvSchema,
  'image-intel-get-backfill': GetBackfillEnvSchema,
  'image-intel-processor': ProcessorEnvSchema,
  'image-intel-vision': VisionEnvSchema,
  'image-intel-render-image': RenderImageEnvSchema,
  'image-intel-rotate-rendition-key': RotateRenditionKeyEnvSchema,
};

/** The people routes' functions, with `faceGrouping` only: one schema for the four. */
const PEOPLE_SCHEMAS: Record<string, z.ZodType> = Object.fromEntries(
  ['list-people', 'get-person', 'rename-person', 'merge-people'].map((name) => [
    `image-intel-${name}`,
    PeopleEnvSchema,
  ]),
);

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
  const schemas = context.faceGrouping === 'true' ? { ...SCHEMAS, ...PEOPLE_SCHEMAS } : SCHEMAS;
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
