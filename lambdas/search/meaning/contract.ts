import { z } from 'zod';
import { SEMANTIC_MODELS } from '../../settings/meaning';

/*
 * How a function finds search by meaning: the variables the stack and the runner set when it is on (none when it is
 * off). The processor, `GET /images` and `DELETE /images/{id}` read them; open.ts opens what they name.
 */

/** Who makes the vectors: a Bedrock model, or (the local runner only) an ONNX image-text pair from a folder. */
export const EmbeddingProviderSchema = z.enum(['titan', 'nova', 'onnx']);
export type EmbeddingProvider = z.infer<typeof EmbeddingProviderSchema>;

export const MeaningEnvShape = {
  /** With semantic search on: the S3 Vectors bucket and index of the images' vectors. */
  VECTOR_BUCKET: z.string().min(1).optional(),
  VECTOR_INDEX: z.string().min(1).optional(),
  EMBEDDING_PROVIDER: EmbeddingProviderSchema.optional(),
  EMBEDDING_DIMENSION: z.coerce.number().int().positive().optional(),
  /** With the `onnx` provider: the folder of its model pair (onnx-embedder.ts). */
  EMBEDDINGS_FOLDER: z.string().min(1).optional(),
  /** The relevance cut-off (`semanticMaxDistance`). */
  SEMANTIC_MAX_DISTANCE: z.coerce.number().min(0).max(2).optional(),
};
export type MeaningEnv = z.output<z.ZodObject<typeof MeaningEnvShape>>;

/** Where the vectors are and who makes them, as the stack or the runner made them. */
export interface MeaningWiring {
  readonly vectorBucketName: string;
  readonly indexName: string;
  readonly provider: EmbeddingProvider;
  readonly dimension: number;
  readonly maxDistance: number;
  readonly folder?: string;
}

/** The variables, from the wiring (none: semantic search is off). */
export function meaningEnvironment(meaning: MeaningWiring | undefined): Record<string, string> {
  if (!meaning) return {};
  return {
    VECTOR_BUCKET: meaning.vectorBucketName,
    VECTOR_INDEX: meaning.indexName,
    EMBEDDING_PROVIDER: meaning.provider,
    EMBEDDING_DIMENSION: String(meaning.dimension),
    SEMANTIC_MAX_DISTANCE: String(meaning.maxDistance),
    ...(meaning.folder && { EMBEDDINGS_FOLDER: meaning.folder }),
  };
}

/** The Bedrock model a deployment's setting names, for its grants. */
export function modelIdOf(provider: keyof typeof SEMANTIC_MODELS): string {
  return SEMANTIC_MODELS[provider].modelId;
}
