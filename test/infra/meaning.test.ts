import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import {
  DeleteVectorsCommand,
  PutVectorsCommand,
  QueryVectorsCommand,
  S3VectorsClient,
} from '@aws-sdk/client-s3vectors';
import { mockClient } from 'aws-sdk-client-mock';
import { lookalikesIn } from '../../lambdas/duplicates/steps/near-duplicates';
import type { AwsCall } from '../../lambdas/local/aws-calls';
import { BedrockEmbedder } from '../../lambdas/search/meaning/bedrock-embedder';
import { S3VectorIndex } from '../../lambdas/search/meaning/vector-index';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { checkCalls } from '../support/permissions/check';
import { recorded } from '../support/permissions/mocked-calls';
import { type CfnTemplate, ResolvedTemplate, withoutAction } from '../support/permissions/template';
import { identityPolicies } from './support/iam';
import { environmentOf, logicalIdOf, type Synthesized, synth } from './support/synth';

/**
 * Search by meaning in the template: off, nothing of it; on, one vector bucket and index of the model's dimension,
 * and the processor, `GET /images` and `DELETE /images/{id}` granted exactly the calls their code makes (made here
 * with the SDK clients mocked, as people-permissions.test.ts does for Rekognition), on the model and index alone.
 */
const PLACE = { region: 'us-east-1', account: '123456789012' };
const IMAGE = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';

type Statement = { Action: string | string[] };
const policies = (s: Synthesized) =>
  identityPolicies(s.json)
    .flatMap((policy) => policy.document.Statement as Statement[])
    .flatMap((statement) => [statement.Action].flat());

describe('search by meaning off (the default)', () => {
  const s = synth({});

  it('has no vector bucket, no index, no Bedrock or S3 Vectors grant and no variable of it', () => {
    const types = Object.values(s.json.Resources).map((resource) => resource.Type);
    expect(types.filter((type) => type.startsWith('AWS::S3Vectors::'))).toEqual([]);
    expect(policies(s).filter((action) => /^(bedrock|s3vectors):/.test(action))).toEqual([]);
    expect(environmentOf(s, s.stack.processor.function)).not.toHaveProperty('VECTOR_BUCKET');
    expect(s.stack.meaning).toBeUndefined();
  });
});

describe('search by meaning on', () => {
  let s: Synthesized;
  let calls: AwsCall[];
  beforeAll(async () => {
    s = synth({ searchByMeaning: 'titan', meaningDimension: '384' });
    calls = await derivedCalls(s);
  });

  it('makes one vector bucket and one cosine float32 index of the chosen dimension, named for its space', () => {
    s.template.resourceCountIs('AWS::S3Vectors::VectorBucket', 1);
    s.template.resourceCountIs('AWS::S3Vectors::Index', 1);
    s.template.hasResourceProperties('AWS::S3Vectors::Index', {
      IndexName: 'images-titan-384',
      Dimension: 384,
      DistanceMetric: 'cosine',
      DataType: 'float32',
    });
    s.template.hasResource('AWS::S3Vectors::VectorBucket', { DeletionPolicy: 'Retain' });
  });

  it('gives the three functions the same vector index, model and cut-off', () => {
    const expected = {
      VECTOR_INDEX: 'images-titan-384',
      EMBEDDING_PROVIDER: 'titan',
      EMBEDDING_DIMENSION: '384',
      SEMANTIC_MAX_DISTANCE: '0.8',
    };
    const { handlers } = s.stack.api;
    for (const fn of [s.stack.processor.function, handlers.named('list-images'), handlers.named('delete-image')]) {
      expect(environmentOf(s, fn)).toMatchObject(expected);
    }
    expect(environmentOf(s, handlers.named('get-image'))).not.toHaveProperty('VECTOR_INDEX');
  });

  it('grants what the code calls, and nothing of it to any other function', async () => {
    expect(calls.map((call) => `${call.fn} ${call.service} ${call.operation}`)).toEqual([
      'processor BedrockRuntime InvokeModel',
      'processor S3Vectors PutVectors',
      'processor S3Vectors DeleteVectors',
      'processor S3Vectors QueryVectors',
      'list-images BedrockRuntime InvokeModel',
      'list-images S3Vectors QueryVectors',
      'delete-image S3Vectors DeleteVectors',
    ]);
    const report = await check(s, calls);
    expect(report.unknown).toEqual([]);
    expect(report.strangers).toEqual([]);
    expect(report.denied).toEqual([]);
    // Besides these three, no function may call the model or the index.
    const granted = policies(s).filter((action) => /^(bedrock|s3vectors):/.test(action));
    expect([...new Set(granted)].sort()).toEqual([
      'bedrock:InvokeModel',
      's3vectors:DeleteVectors',
      's3vectors:GetVectors',
      's3vectors:PutVectors',
      's3vectors:QueryVectors',
    ]);
  });

  it("refuses another model, another index and the processor's PutVectors once taken away", async () => {
    const elsewhere = calls.map((call) =>
      call.service === 'S3Vectors'
        ? { ...call, input: { ...call.input, indexName: 'someone-elses' } }
        : { ...call, input: { ...call.input, modelId: 'anthropic.claude-v2' } },
    );
    const report = await check(s, elsewhere);
    expect(new Set(report.denied.map((denial) => denial.action))).toEqual(
      new Set([
        'bedrock:InvokeModel',
        's3vectors:PutVectors',
        's3vectors:DeleteVectors',
        's3vectors:QueryVectors',
        's3vectors:GetVectors',
      ]),
    );
    const taken = await check(s, calls, withoutAction('s3vectors:PutVectors'));
    expect(taken.denied.map((denial) => `${denial.action}`)).toEqual(['s3vectors:PutVectors']);
  });

  it('refuses a dimension the model does not make, naming the setting', () => {
    expect(() => parseDeploymentSettings({ searchByMeaning: 'titan', meaningDimension: '3072' })).toThrow(
      'meaningDimension=3072: titan makes vectors of 1024, 384, 256 dimensions',
    );
    expect(parseDeploymentSettings({ searchByMeaning: 'nova', meaningDimension: '3072' }).meaningDimension).toBe(3072);
  });
});

/** The calls of one image embedded and put, a query, and the delete, made by the code with the clients mocked. */
async function derivedCalls(s: Synthesized): Promise<AwsCall[]> {
  const meaning = s.stack.meaning;
  if (!meaning) throw new Error('no search by meaning in the stack');
  const { vectorBucketName, indexName, dimension } = meaning.wiring;
  const bedrockClient = new BedrockRuntimeClient({ region: PLACE.region });
  const vectorsClient = new S3VectorsClient({ region: PLACE.region });
  const bedrock = mockClient(bedrockClient);
  const vectors = mockClient(vectorsClient);
  const embedding = Array.from({ length: dimension }, (_, i) => (i === 0 ? 1 : 0));
  bedrock.on(InvokeModelCommand).resolves({ body: new TextEncoder().encode(JSON.stringify({ embedding })) } as never);
  vectors.on(PutVectorsCommand).resolves({});
  vectors.on(DeleteVectorsCommand).resolves({});
  vectors.on(QueryVectorsCommand).resolves({ vectors: [] });
  const made: AwsCall[] = [];
  const mocks = [
    { service: 'BedrockRuntime', calls: () => bedrock.calls() },
    { service: 'S3Vectors', calls: () => vectors.calls() },
  ];
  const take = (fn: string) => {
    made.push(...recorded(fn, mocks));
    bedrock.resetHistory();
    vectors.resetHistory();
  };
  try {
    const embedder = new BedrockEmbedder(bedrockClient, 'titan', dimension);
    const index = new S3VectorIndex(vectorsClient, vectorBucketName, indexName);
    const item = {
      imageId: IMAGE,
      owner: 'ada',
      status: 'PROCESSED',
      createdAt: '',
      updatedAt: '',
      bucket: 'b',
      key: 'k',
    };
    const vector = await embedder.embedImage({ bytes: Buffer.from('jpeg'), format: 'jpeg' });
    await index.put(item as never, vector, embedder.space);
    await index.remove(IMAGE);
    // The near-duplicates step's lookalikes: the index asked with the image's own vector.
    await lookalikesIn(index)('ada', { values: vector, space: embedder.space }, 6);
    take('processor');
    const query = await embedder.embedText('dog on a beach');
    await index.query('ada', query, embedder.space, { q: ['dog'] } as never, { topK: 100 });
    take('list-images');
    await index.remove(IMAGE);
    take('delete-image');
    return made;
  } finally {
    bedrock.restore();
    vectors.restore();
  }
}

async function check(s: Synthesized, calls: AwsCall[], edit: (json: CfnTemplate) => CfnTemplate = (json) => json) {
  const template = new ResolvedTemplate(edit(structuredClone(s.json) as CfnTemplate), PLACE, {});
  const { handlers } = s.stack.api;
  return checkCalls(
    template,
    {
      processor: logicalIdOf(s.stack.processor.function),
      'list-images': logicalIdOf(handlers.named('list-images')),
      'delete-image': logicalIdOf(handlers.named('delete-image')),
    },
    calls,
  );
}

describe('search by meaning while a library moves to another model (meaningPrevious)', () => {
  const moving = synth({ searchByMeaning: 'nova', meaningDimension: '1024', meaningPrevious: 'titan:384' });
  const before = synth({ searchByMeaning: 'titan', meaningDimension: '384' });

  it('keeps the previous index as it was (same logical id and name) beside the new one', () => {
    const { meaning } = moving.stack;
    const old = before.stack.meaning;
    if (!meaning?.previousIndex || !old) throw new Error('no previous index');
    expect(logicalIdOf(meaning.previousIndex)).toBe(logicalIdOf(old.index));
    moving.template.resourceCountIs('AWS::S3Vectors::Index', 2);
    moving.template.hasResourceProperties('AWS::S3Vectors::Index', { IndexName: 'images-titan-384', Dimension: 384 });
    moving.template.hasResourceProperties('AWS::S3Vectors::Index', { IndexName: 'images-nova-1024', Dimension: 1024 });
    expect(environmentOf(moving, moving.stack.api.handlers.named('list-images'))).toMatchObject({
      VECTOR_INDEX: 'images-nova-1024',
      PREVIOUS_VECTOR_INDEX: 'images-titan-384',
      PREVIOUS_EMBEDDING_PROVIDER: 'titan',
      PREVIOUS_EMBEDDING_DIMENSION: '384',
    });
  });

  it('lets a query reach both models and indexes, a delete both indexes, and the processor only the new', async () => {
    const meaning = moving.stack.meaning;
    if (!meaning?.wiring.previous) throw new Error('no previous space in the wiring');
    const bucket = meaning.wiring.vectorBucketName;
    const call = (fn: string, service: string, operation: string, input: Record<string, unknown>): AwsCall => ({
      fn,
      service,
      operation,
      input,
    });
    const old = { vectorBucketName: bucket, indexName: 'images-titan-384' };
    const calls = [
      call('list-images', 'BedrockRuntime', 'InvokeModel', { modelId: 'amazon.titan-embed-image-v1' }),
      call('list-images', 'BedrockRuntime', 'InvokeModel', { modelId: 'amazon.nova-2-multimodal-embeddings-v1:0' }),
      call('list-images', 'S3Vectors', 'QueryVectors', old),
      call('delete-image', 'S3Vectors', 'DeleteVectors', old),
    ];
    const report = await check(moving, calls);
    expect([report.unknown, report.strangers, report.denied]).toEqual([[], [], []]);
    const processor = await check(moving, [
      call('processor', 'BedrockRuntime', 'InvokeModel', { modelId: 'amazon.titan-embed-image-v1' }),
      call('processor', 'S3Vectors', 'PutVectors', old),
    ]);
    expect(processor.denied.map((denial) => denial.action)).toEqual(['bedrock:InvokeModel', 's3vectors:PutVectors']);
  });

  it('refuses a previous space that is the current one, or one the model does not make', () => {
    expect(() => parseDeploymentSettings({ searchByMeaning: 'titan', meaningPrevious: 'titan:1024' })).toThrow(
      'meaningPrevious: the same model and dimension as now',
    );
    expect(() => parseDeploymentSettings({ searchByMeaning: 'nova', meaningPrevious: 'titan:3072' })).toThrow(
      'meaningPrevious=titan:3072: titan makes vectors of 1024, 384, 256 dimensions',
    );
    expect(() => parseDeploymentSettings({ meaningPrevious: 'titan:1024' })).toThrow('search by meaning is off');
  });
});

describe("search by meaning's old setting names (semanticSearch and the rest, before issue 59)", () => {
  it('synthesize the same template as the new names, so a deployment that still says them changes nothing', () => {
    const old = synth({ semanticSearch: 'nova', semanticDimension: '1024', semanticSearchPrevious: 'titan:384' });
    const current = synth({ searchByMeaning: 'nova', meaningDimension: '1024', meaningPrevious: 'titan:384' });
    expect(JSON.stringify(old.json)).toBe(JSON.stringify(current.json));
  });
});
