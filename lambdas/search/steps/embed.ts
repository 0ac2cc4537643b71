import sharp from 'sharp';
import type { z } from 'zod';
import type { EnrichmentStep, RecordStep } from '../../kit/processor-step';
import { errorDetails, isTransient } from '../../kit/step-helpers';
import type { MeaningEnvShape } from '../meaning/contract';
import type { EmbeddingSpace } from '../meaning/embedding-port';
import { type Meaning, meaningIf } from '../meaning/open';
import { withTerms } from '../postings';

declare module '../../kit/processor-step' {
  interface Analysis {
    /** With search by meaning on: the image's vector, for the `vector` step; never stored. */
    readonly vector?: ImageVector;
  }
}

/** An image's vector and the space it is in, from `embed` to `vector`: never stored on the record. */
export interface ImageVector {
  values: number[];
  space: EmbeddingSpace;
}

/** The embed and vector steps' own: with search by meaning on, the model that embeds and the index of vectors. */
export interface MeaningDeps {
  meaning?: Pick<Meaning, 'embedder' | 'index'>;
}

/** JPEG quality of the derivative the model is sent: what it sees, not its file size. */
const DERIVATIVE_QUALITY = 90;
/**
 * The smallest thumbnail side the model is sent: image-text models look at 224 to 384 px (CLIP, SigLIP; Titan and
 * Nova scale what they get), so a larger derivative only costs its encoding (bench/meaning: the 1,024 px one added
 * 44 % to the core analysis, the 512 px one a quarter of that).
 */
export const EMBED_MIN_SIDE = 384;

/**
 * With search by meaning on, the image's vector (`embed`), from its smallest thumbnail of at least EMBED_MIN_SIDE
 * (else its largest) sent as a JPEG (every model takes one; the thumbnails are within each model's largest side). Like vision, an addition to the analysis: a
 * refusal, or a transient failure on the last attempt, is recorded as `embeddingError` and the image is still
 * PROCESSED. An image without an owner is in no one's search, so it is not embedded.
 */
export const embedStep: EnrichmentStep<MeaningDeps> = {
  name: 'embed',
  when: 'decoded',
  async run({ deps, attempt }, { item, decoded }) {
    if (!deps.meaning || item.owner === undefined) return {};
    const source = derivativeOf(decoded.thumbnails);
    try {
      const model = await deps.meaning.embedder();
      const bytes = await sharp(source.data).jpeg({ quality: DERIVATIVE_QUALITY }).toBuffer();
      const values = await model.embedImage({ bytes, format: 'jpeg' });
      return { vector: { values, space: model.space }, item: { embedding: model.space } };
    } catch (error) {
      if (isTransient(error) && !attempt.last) throw error;
      const embeddingError = errorDetails(error);
      deps.onNote?.('embedding failed; recorded on the item', { ...embeddingError });
      return { item: { embeddingError } };
    }
  },
  open: (config: z.output<z.ZodObject<typeof MeaningEnvShape>>) => ({ meaning: meaningIf(config) }),
  // A processed, owned image with no vector of the current model is re-analysed: that is how a library is embedded.
  async stale(existing, deps) {
    if (!deps.meaning || existing.status !== 'PROCESSED' || existing.owner === undefined) return false;
    const { space } = await deps.meaning.embedder();
    return existing.embedding?.model !== space.model || existing.embedding?.dimension !== space.dimension;
  },
};

/**
 * The image's vector into the index (`vector`), before the record that says it is there is stored: a failure here
 * is retried with the whole run, and a record never names a vector the index lacks. Its filter metadata is the
 * record's terms as `store` will write them. A version with no vector (refused, not embedded, re-owned to no one)
 * takes the earlier version's out, so a search by meaning never finds what the record no longer says.
 */
export const vectorStep: RecordStep<MeaningDeps> = {
  name: 'vector',
  async run({ deps, previous, existing }, { item, vector }) {
    if (!deps.meaning) return {};
    const { owner } = item;
    if (vector && owner !== undefined) {
      await deps.meaning.index.put({ ...withTerms(item, previous), owner }, vector.values, vector.space);
    } else if (existing?.embedding) {
      await deps.meaning.index.remove(item.imageId);
    }
    return {};
  },
  async undo({ deps }, { item, vector }) {
    if (deps.meaning && vector) await deps.meaning.index.remove(item.imageId);
  },
};

/** The thumbnail the model is sent: the smallest of at least EMBED_MIN_SIDE, else the largest there is. */
export function derivativeOf<T extends { size: number }>(thumbnails: readonly T[]): T {
  const bySize = [...thumbnails].sort((a, b) => a.size - b.size);
  return (bySize.find((one) => one.size >= EMBED_MIN_SIDE) ?? bySize.at(-1)) as T;
}
