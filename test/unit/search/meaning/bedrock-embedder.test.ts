import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { z } from 'zod';
import { BedrockEmbedder, MAX_QUERY_CHARACTERS } from '../../../../lambdas/search/meaning/bedrock-embedder';

const bedrock = mockClient(BedrockRuntimeClient);
const client = new BedrockRuntimeClient({ region: 'us-east-1' });
const image = { bytes: Buffer.from('jpeg bytes'), format: 'jpeg' as const };

/*
 * The request bodies as the model documentation writes them, strict: a field the model does not take is an error.
 * Titan Multimodal Embeddings G1 (Bedrock user guide, model parameters): inputText and/or inputImage (base64), and
 * embeddingConfig.outputEmbeddingLength of 256, 384 or 1024. Nova Multimodal Embeddings (Nova user guide, complete
 * embeddings request and response schema): a SINGLE_EMBEDDING task with its purpose, dimension and one input.
 */
const TitanRequest = z.strictObject({
  inputText: z.string().max(MAX_QUERY_CHARACTERS).optional(),
  inputImage: z.base64().optional(),
  embeddingConfig: z.strictObject({
    outputEmbeddingLength: z.union([z.literal(256), z.literal(384), z.literal(1024)]),
  }),
});
const NovaRequest = z.strictObject({
  schemaVersion: z.literal('nova-multimodal-embed-v1').optional(),
  taskType: z.literal('SINGLE_EMBEDDING'),
  singleEmbeddingParams: z.strictObject({
    embeddingPurpose: z.enum(['GENERIC_INDEX', 'GENERIC_RETRIEVAL', 'TEXT_RETRIEVAL', 'IMAGE_RETRIEVAL']),
    embeddingDimension: z.union([z.literal(256), z.literal(384), z.literal(1024), z.literal(3072)]),
    text: z.strictObject({ truncationMode: z.enum(['START', 'END', 'NONE']), value: z.string() }).optional(),
    image: z
      .strictObject({
        detailLevel: z.enum(['STANDARD_IMAGE', 'DOCUMENT_IMAGE']).optional(),
        format: z.enum(['png', 'jpeg', 'gif', 'webp']),
        source: z.strictObject({ bytes: z.base64() }),
      })
      .optional(),
  }),
});

const answer = (body: unknown) => ({ body: new TextEncoder().encode(JSON.stringify(body)) }) as never;
const sent = () =>
  bedrock.commandCalls(InvokeModelCommand).map((call) => ({
    modelId: call.args[0].input.modelId,
    body: JSON.parse(String(call.args[0].input.body)),
  }));

describe('BedrockEmbedder', () => {
  beforeEach(() => bedrock.reset());

  it('asks Titan G1 for an image and a query in its documented bodies, and answers unit vectors', async () => {
    bedrock
      .on(InvokeModelCommand)
      .resolves(answer({ embedding: [3, 4, ...Array(254).fill(0)], inputTextTokenCount: 2 }));
    const titan = new BedrockEmbedder(client, 'titan', 256);
    const vector = await titan.embedImage(image);
    expect(vector.slice(0, 2)).toEqual([0.6, 0.8]);
    await titan.embedText('dog on a beach');
    const [first, second] = sent();
    expect(first?.modelId).toBe('amazon.titan-embed-image-v1');
    expect(TitanRequest.parse(first?.body)).toEqual({
      inputImage: image.bytes.toString('base64'),
      embeddingConfig: { outputEmbeddingLength: 256 },
    });
    expect(TitanRequest.parse(second?.body)).toEqual({
      inputText: 'dog on a beach',
      embeddingConfig: { outputEmbeddingLength: 256 },
    });
    expect(titan.space).toEqual({ model: 'amazon.titan-embed-image-v1', dimension: 256 });
  });

  it('asks Nova to index an image and to retrieve images for a query, in its documented bodies', async () => {
    bedrock
      .on(InvokeModelCommand)
      .resolves(answer({ embeddings: [{ embeddingType: 'TEXT', embedding: Array(384).fill(1) }] }));
    const nova = new BedrockEmbedder(client, 'nova', 384);
    await nova.embedImage(image);
    const query = await nova.embedText('receipts');
    expect(query[0]).toBeCloseTo(1 / Math.sqrt(384));
    const [first, second] = sent();
    expect(first?.modelId).toBe('amazon.nova-2-multimodal-embeddings-v1:0');
    expect(NovaRequest.parse(first?.body).singleEmbeddingParams).toMatchObject({
      embeddingPurpose: 'GENERIC_INDEX',
      embeddingDimension: 384,
      image: { format: 'jpeg' },
    });
    expect(NovaRequest.parse(second?.body).singleEmbeddingParams).toEqual({
      embeddingPurpose: 'IMAGE_RETRIEVAL',
      embeddingDimension: 384,
      text: { truncationMode: 'END', value: 'receipts' },
    });
  });

  it('cuts a long query to what Titan takes', async () => {
    bedrock.on(InvokeModelCommand).resolves(answer({ embedding: Array(256).fill(1) }));
    await new BedrockEmbedder(client, 'titan', 256).embedText('word '.repeat(400));
    expect(TitanRequest.parse(sent()[0]?.body).inputText).toHaveLength(MAX_QUERY_CHARACTERS);
  });

  it.each([
    ['a body that is no embedding', { message: 'throttled' }, /not an embedding/],
    ['another dimension', { embedding: Array(1024).fill(1) }, /1024 dimensions, not the 256/],
    ['a zero vector', { embedding: Array(256).fill(0) }, /zero or non-finite/],
  ])('refuses %s with an EmbeddingError', async (_, body, message) => {
    bedrock.on(InvokeModelCommand).resolves(answer(body));
    await expect(new BedrockEmbedder(client, 'titan', 256).embedImage(image)).rejects.toMatchObject({
      name: 'EmbeddingError',
      message: expect.stringMatching(message),
    });
  });

  it('refuses a dimension the model does not make', () => {
    expect(() => new BedrockEmbedder(client, 'titan', 3072)).toThrow(
      'titan makes vectors of 1024, 384, 256 dimensions',
    );
  });
});
