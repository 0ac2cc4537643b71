import { z } from 'zod';
import { int } from './values';

/**
 * Search by meaning (docs/search.md): off unless a deployment chooses a Bedrock model. The models' ids and sizes live
 * here, where the stack, the functions and the runner all read them; what calls the models is lambdas/search/meaning.
 */
export const EMBEDDING_MODELS = {
  titan: { modelId: 'amazon.titan-embed-image-v1', dimensions: [1024, 384, 256], maxImageSide: 2048 },
  nova: { modelId: 'amazon.nova-2-multimodal-embeddings-v1:0', dimensions: [3072, 1024, 384, 256], maxImageSide: 8000 },
} as const;
export type EmbeddingModel = keyof typeof EMBEDDING_MODELS;

export const SearchByMeaningSchema = z.enum(['off', 'titan', 'nova']);

export const MeaningSettingsSchema = z.object({
  /**
   * Search by meaning: `titan` (Bedrock's Titan Multimodal Embeddings G1), `nova` (Nova Multimodal Embeddings,
   * multilingual) or `off`. On, the processor embeds each image into an S3 Vectors index and `q=` fuses the images
   * nearest its meaning with those its words find. Default `off`: no vector bucket, no Bedrock calls.
   */
  searchByMeaning: SearchByMeaningSchema.default('off'),
  /** The vectors' dimensions, one the model makes (titan 1024, 384, 256; nova also 3072). Default 1024. */
  meaningDimension: int().default(1024),
  /**
   * The relevance cut-off: an image farther than this cosine distance (0 the same direction, 2 the opposite) from
   * the query's meaning is not found by meaning. Default 0.8 (not tuned against Bedrock here: docs/search.md).
   */
  meaningMaxDistance: z.coerce.number().min(0).max(2).default(0.8),
  /**
   * While a library moves to a new model or dimension: the one it had, `model:dimension` (`titan:1024`). Its index is
   * kept and searched beside the new one until `backfill --reembed` is done, then this is removed (and the index with
   * it). Default none.
   */
  meaningPrevious: z
    .string()
    .regex(/^(titan|nova):[0-9]+$/, 'must be model:dimension, such as titan:1024')
    .optional(),
});
export type MeaningSettings = z.output<typeof MeaningSettingsSchema>;

/**
 * The names these settings had before the feature was given one name (issue 59): deployments still use them, so each
 * is read as its new name, with a deprecation note (settings/index.ts).
 */
export const RENAMED_MEANING_SETTINGS = {
  semanticSearch: 'searchByMeaning',
  semanticDimension: 'meaningDimension',
  semanticMaxDistance: 'meaningMaxDistance',
  semanticSearchPrevious: 'meaningPrevious',
} as const satisfies Record<string, keyof MeaningSettings>;

/** Settings that parse but cannot work together, one sentence each. */
export function meaningProblems(settings: MeaningSettings): string[] {
  const problems: string[] = [];
  const previous = previousSpace(settings);
  if (settings.searchByMeaning === 'off') {
    return previous ? ['meaningPrevious: search by meaning is off (searchByMeaning=off)'] : [];
  }
  const dimensionProblem = (model: EmbeddingModel, dimension: number, name: string) => {
    const { dimensions } = EMBEDDING_MODELS[model];
    if (!(dimensions as readonly number[]).includes(dimension)) {
      problems.push(`${name}: ${model} makes vectors of ${dimensions.join(', ')} dimensions`);
    }
  };
  dimensionProblem(
    settings.searchByMeaning,
    settings.meaningDimension,
    `meaningDimension=${settings.meaningDimension}`,
  );
  if (previous) {
    dimensionProblem(previous.model, previous.dimension, `meaningPrevious=${settings.meaningPrevious}`);
    if (previous.model === settings.searchByMeaning && previous.dimension === settings.meaningDimension) {
      problems.push('meaningPrevious: the same model and dimension as now (leave it out)');
    }
  }
  return problems;
}

/** The model and dimension a library is moving from (`meaningPrevious`), if any. */
export function previousSpace(settings: MeaningSettings): { model: EmbeddingModel; dimension: number } | undefined {
  const [model, dimension] = settings.meaningPrevious?.split(':') ?? [];
  return model ? { model: model as EmbeddingModel, dimension: Number(dimension) } : undefined;
}
