import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { DeleteVectorsCommand, QueryVectorsCommand, S3VectorsClient } from '@aws-sdk/client-s3vectors';
import { mockClient } from 'aws-sdk-client-mock';
import type { SearchFilters } from '../../../../lambdas/search/filters';
import { meaningIf } from '../../../../lambdas/search/meaning/open';

const SEARCH_FILTERS_NONE: SearchFilters = { label: [], object: [], text: [], q: [], tag: [], place: [] };
const bedrock = mockClient(BedrockRuntimeClient);
const vectors = mockClient(S3VectorsClient);

const ENV = {
  VECTOR_BUCKET: 'vectors',
  VECTOR_INDEX: 'images-nova-1024',
  EMBEDDING_PROVIDER: 'nova' as const,
  EMBEDDING_DIMENSION: 1024,
  SEMANTIC_MAX_DISTANCE: 0.5,
};
const PREVIOUS = {
  PREVIOUS_VECTOR_INDEX: 'images-titan-384',
  PREVIOUS_EMBEDDING_PROVIDER: 'titan' as const,
  PREVIOUS_EMBEDDING_DIMENSION: 384,
};
const unit = (length: number) => Array.from({ length }, (_, i) => (i === 0 ? 1 : 0));

beforeEach(() => {
  bedrock.reset();
  vectors.reset();
  bedrock.on(InvokeModelCommand).callsFake((input: { modelId: string }) => {
    const body = input.modelId.startsWith('amazon.titan')
      ? { embedding: unit(384) }
      : { embeddings: [{ embeddingType: 'TEXT', embedding: unit(1024) }] };
    return { body: new TextEncoder().encode(JSON.stringify(body)) };
  });
  vectors.on(QueryVectorsCommand).callsFake((input: { indexName: string }) => ({
    vectors: [{ key: input.indexName === 'images-titan-384' ? 'OLD' : 'NEW', distance: 0.1 }],
  }));
  vectors.on(DeleteVectorsCommand).resolves({});
});

describe('meaningIf', () => {
  it('is off without its variables', () => {
    expect(meaningIf({})).toBeUndefined();
    expect(meaningIf({ ...ENV, VECTOR_INDEX: undefined })).toBeUndefined();
  });

  it("searches the current model's index, and embeds the same query once per instance", async () => {
    const meaning = meaningIf(ENV);
    const query = { owner: 'ada', text: 'dog on a beach', filters: SEARCH_FILTERS_NONE };
    expect(await meaning?.nearest(query)).toEqual([[{ imageId: 'NEW', distance: 0.1 }]]);
    await meaning?.nearest(query);
    expect(bedrock.commandCalls(InvokeModelCommand)).toHaveLength(1);
    expect(vectors.commandCalls(QueryVectorsCommand)).toHaveLength(2);
    expect(meaning?.maxDistance).toBe(0.5);
  });

  it('while a library moves: searches both spaces, each with its own model, and forgets a vector in both', async () => {
    const meaning = meaningIf({ ...ENV, ...PREVIOUS });
    const lists = await meaning?.nearest({ owner: 'ada', text: 'receipts', filters: SEARCH_FILTERS_NONE });
    expect(lists).toEqual([[{ imageId: 'NEW', distance: 0.1 }], [{ imageId: 'OLD', distance: 0.1 }]]);
    const models = bedrock.commandCalls(InvokeModelCommand).map((call) => call.args[0].input.modelId);
    expect(models.sort()).toEqual(['amazon.nova-2-multimodal-embeddings-v1:0', 'amazon.titan-embed-image-v1']);
    await meaning?.remove('01JD3W7Q1ZK7Y6G5S4R3P2N1M0');
    const removed = vectors.commandCalls(DeleteVectorsCommand).map((call) => call.args[0].input.indexName);
    expect(removed.sort()).toEqual(['images-nova-1024', 'images-titan-384']);
  });
});
