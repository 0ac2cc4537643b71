import { z } from 'zod';
import { EMBEDDING_MODELS } from '../../settings/meaning';

/*
 * How a function finds search by meaning: the variables the stack and the runner set when it is on (none when it is
 * off). The processor, `GET /images` and `DELETE /images/{id}` read them; open.ts opens what they name.
 */

/** Who makes the vectors: a Bedrock model, or (the local runner only) an ONNX image-text pair from a folder. */
export const EmbeddingProviderSchema = z.enum(['titan', 'nova', 'onnx']);
export type EmbeddingProvider = z.infer<typeof EmbeddingProviderSchema>;

export const MeaningEnvShape = {
  /** With search by meaning on: the S3 Vectors bucket and index of the images' vectors. */
  VECTOR_BUCKET: z.string().min(1).optional(),
  VECTOR_INDEX: z.string().min(1).optional(),
  EMBEDDING_PROVIDER: EmbeddingProviderSchema.optional(),
  EMBEDDING_DIMENSION: z.coerce.number().int().positive().optional(),
  /** With the `onnx` provider: the folder of its model pair (onnx-embedder.ts). */
  EMBEDDINGS_FOLDER: z.string().min(1).optional(),
  /** While a library moves to a new model: the previous model's index, searched beside the current one. */
  PREVIOUS_VECTOR_INDEX: z.string().min(1).optional(),
  PREVIOUS_EMBEDDING_PROVIDER: z.enum(['titan', 'nova']).optional(),
  PREVIOUS_EMBEDDING_DIMENSION: z.coerce.number().int().positive().optional(),
  /** The relevance cut-off (`meaningMaxDistance`; the variable keeps the setting's old name, which deployed functions read). */
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
  /** The previous model's index while a library moves (`meaningPrevious`). */
  readonly previous?: { readonly indexName: string; readonly provider: 'titan' | 'nova'; readonly dimension: number };
}

/** The variables, from the wiring (none: search by meaning is off). */
export function meaningEnvironment(meaning: MeaningWiring | undefined): Record<string, string> {
  if (!meaning) return {};
  return {
    VECTOR_BUCKET: meaning.vectorBucketName,
    VECTOR_INDEX: meaning.indexName,
    EMBEDDING_PROVIDER: meaning.provider,
    EMBEDDING_DIMENSION: String(meaning.dimension),
    SEMANTIC_MAX_DISTANCE: String(meaning.maxDistance),
    ...(meaning.folder && { EMBEDDINGS_FOLDER: meaning.folder }),
    ...(meaning.previous && {
      PREVIOUS_VECTOR_INDEX: meaning.previous.indexName,
      PREVIOUS_EMBEDDING_PROVIDER: meaning.previous.provider,
      PREVIOUS_EMBEDDING_DIMENSION: String(meaning.previous.dimension),
    }),
  };
}

/** The Bedrock model a deployment's setting names, for its grants. */
export function modelIdOf(provider: keyof typeof EMBEDDING_MODELS): string {
  return EMBEDDING_MODELS[provider].modelId;
}
