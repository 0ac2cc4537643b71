/*
 * The embedding port: what the processor and the list route ask of a model that puts images and text in one vector
 * space, so a query's words land near the images they describe. Bedrock's Titan Multimodal Embeddings G1 is the
 * first provider (bedrock-embedder.ts), Nova Multimodal Embeddings the second; the model and dimension are recorded
 * with every vector, so a change of either is seen and re-embedded rather than compared across spaces.
 */

/** The models a deployment may choose (`-c searchByMeaning=titan|nova`). */
export { EMBEDDING_MODELS, type EmbeddingModel } from '../../settings/meaning';

/** An image as the embedder takes it: a derivative within the model's limits (a JPEG, PNG or WebP thumbnail). */
export interface EmbeddingImage {
  bytes: Buffer;
  format: 'jpeg' | 'png' | 'webp';
}

/** Where a vector came from: a different model or dimension is a different space, never compared with this one. */
export interface EmbeddingSpace {
  model: string;
  dimension: number;
}

export interface Embedder {
  readonly space: EmbeddingSpace;
  /** The image's vector, unit length. */
  embedImage(image: EmbeddingImage): Promise<number[]>;
  /** A search's text as a vector of the same space, unit length. */
  embedText(text: string): Promise<number[]>;
}

/** The model refused the input or answered something that is not a vector of its space. */
export class EmbeddingError extends Error {
  override readonly name = 'EmbeddingError';
}

/** The vector scaled to unit length (cosine similarity is then a dot product); all zeros is the model's error. */
export function unitLength(vector: readonly number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  if (!Number.isFinite(norm) || norm === 0) throw new EmbeddingError('the model answered a zero or non-finite vector');
  return vector.map((x) => x / norm);
}
