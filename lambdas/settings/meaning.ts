import { z } from 'zod';
import { int } from './values';

/**
 * Search by meaning (docs/search.md): off unless a deployment chooses a Bedrock model. The models' ids and sizes live
 * here, where the stack, the functions and the runner all read them; what calls the models is lambdas/search/meaning.
 */
export const SEMANTIC_MODELS = {
  titan: { modelId: 'amazon.titan-embed-image-v1', dimensions: [1024, 384, 256], maxImageSide: 2048 },
  nova: { modelId: 'amazon.nova-2-multimodal-embeddings-v1:0', dimensions: [3072, 1024, 384, 256], maxImageSide: 8000 },
} as const;
export type SemanticModel = keyof typeof SEMANTIC_MODELS;

export const SemanticSearchSchema = z.enum(['off', 'titan', 'nova']);

export const MeaningSettingsSchema = z.object({
  /**
   * Search by meaning: `titan` (Bedrock's Titan Multimodal Embeddings G1), `nova` (Nova Multimodal Embeddings,
   * multilingual) or `off`. On, the processor embeds each image into an S3 Vectors index and `q=` fuses the images
   * nearest its meaning with those its words find. Default `off`: no vector bucket, no Bedrock calls.
   */
  semanticSearch: SemanticSearchSchema.default('off'),
  /** The vectors' dimensions, one the model makes (titan 1024, 384, 256; nova also 3072). Default 1024. */
  semanticDimension: int().default(1024),
  /**
   * The relevance cut-off: an image farther than this cosine distance (0 the same direction, 2 the opposite) from
   * the query's meaning is not found by meaning. Default 0.8 (not tuned against Bedrock here: docs/search.md).
   */
  semanticMaxDistance: z.coerce.number().min(0).max(2).default(0.8),
});
export type MeaningSettings = z.output<typeof MeaningSettingsSchema>;

/** Settings that parse but cannot work together, one sentence each. */
export function meaningProblems(settings: MeaningSettings): string[] {
  if (settings.semanticSearch === 'off') return [];
  const { dimensions } = SEMANTIC_MODELS[settings.semanticSearch];
  return (dimensions as readonly number[]).includes(settings.semanticDimension)
    ? []
    : [
        `semanticDimension=${settings.semanticDimension}: ${settings.semanticSearch} makes vectors of ` +
          `${dimensions.join(', ')} dimensions`,
      ];
}
