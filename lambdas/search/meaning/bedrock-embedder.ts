import { type BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { z } from 'zod';
import {
  EMBEDDING_MODELS,
  type Embedder,
  EmbeddingError,
  type EmbeddingImage,
  type EmbeddingModel,
  type EmbeddingSpace,
  unitLength,
} from './embedding-port';

/*
 * The embedding port over Bedrock's InvokeModel, for the two multimodal models a deployment may choose. Each model's
 * request and response bodies are its documented ones (Titan Multimodal Embeddings G1: the Bedrock user guide's
 * "Amazon Titan Multimodal Embeddings G1" parameters; Nova: the Nova user guide's "Complete embeddings request and
 * response schema"); the responses are parsed, so a change of shape is an EmbeddingError, not a vector of NaN.
 */

/** Titan G1: `{embedding, inputTextTokenCount?}`. */
const TitanResponseSchema = z.object({ embedding: z.array(z.number()).min(1) });
/** Nova: `{embeddings: [{embeddingType, embedding}]}`, one for a SINGLE_EMBEDDING request. */
const NovaResponseSchema = z.object({
  embeddings: z.array(z.object({ embeddingType: z.string().optional(), embedding: z.array(z.number()).min(1) })).min(1),
});

/** The longest query Titan is sent: its text input is at most 128 tokens (about 500 characters of English). */
export const MAX_QUERY_CHARACTERS = 500;

/** The request body a model takes for an image or for a query's text. */
export function requestBody(
  model: EmbeddingModel,
  dimension: number,
  input: { image: EmbeddingImage } | { text: string },
): Record<string, unknown> {
  if (model === 'titan') {
    return {
      ...('image' in input ? { inputImage: input.image.bytes.toString('base64') } : { inputText: input.text }),
      embeddingConfig: { outputEmbeddingLength: dimension },
    };
  }
  return {
    schemaVersion: 'nova-multimodal-embed-v1',
    taskType: 'SINGLE_EMBEDDING',
    singleEmbeddingParams: {
      // The index is made of images; a query's text looks for images.
      embeddingPurpose: 'image' in input ? 'GENERIC_INDEX' : 'IMAGE_RETRIEVAL',
      embeddingDimension: dimension,
      ...('image' in input
        ? {
            image: {
              detailLevel: 'STANDARD_IMAGE',
              format: input.image.format,
              source: { bytes: input.image.bytes.toString('base64') },
            },
          }
        : { text: { truncationMode: 'END', value: input.text } }),
    },
  };
}

/** The vector of a model's response body. */
export function vectorOf(model: EmbeddingModel, body: unknown): number[] {
  const parsed = model === 'titan' ? TitanResponseSchema.safeParse(body) : NovaResponseSchema.safeParse(body);
  if (!parsed.success) throw new EmbeddingError(`${model}: the response is not an embedding`);
  return 'embedding' in parsed.data ? parsed.data.embedding : (parsed.data.embeddings[0]?.embedding ?? []);
}

export class BedrockEmbedder implements Embedder {
  readonly space: EmbeddingSpace;

  constructor(
    private readonly client: BedrockRuntimeClient,
    private readonly model: EmbeddingModel,
    dimension: number,
  ) {
    const { modelId, dimensions } = EMBEDDING_MODELS[model];
    if (!(dimensions as readonly number[]).includes(dimension)) {
      throw new EmbeddingError(`${model} makes vectors of ${dimensions.join(', ')} dimensions, not ${dimension}`);
    }
    this.space = { model: modelId, dimension };
  }

  embedImage(image: EmbeddingImage): Promise<number[]> {
    return this.invoke({ image });
  }

  embedText(text: string): Promise<number[]> {
    return this.invoke({ text: [...text].slice(0, MAX_QUERY_CHARACTERS).join('') });
  }

  private async invoke(input: { image: EmbeddingImage } | { text: string }): Promise<number[]> {
    const response = await this.client.send(
      new InvokeModelCommand({
        modelId: this.space.model,
        contentType: 'application/json',
        accept: 'application/json',
        body: JSON.stringify(requestBody(this.model, this.space.dimension, input)),
      }),
    );
    const vector = vectorOf(this.model, JSON.parse(new TextDecoder().decode(response.body)));
    if (vector.length !== this.space.dimension) {
      throw new EmbeddingError(`${this.model}: ${vector.length} dimensions, not the ${this.space.dimension} asked for`);
    }
    return unitLength(vector);
  }
}
