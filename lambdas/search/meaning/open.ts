import { createHash } from 'node:crypto';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { S3VectorsClient } from '@aws-sdk/client-s3vectors';
import type { SearchFilters } from '../filters';
import { BedrockEmbedder } from './bedrock-embedder';
import type { EmbeddingProvider, MeaningEnv } from './contract';
import type { Embedder } from './embedding-port';
import { MAX_TOP_K, S3VectorIndex, type VectorHit } from './vector-index';

/*
 * The one place a function opens search by meaning, from the variables of contract.ts.
 */

/** Search by meaning as a function uses it: the model (made on first use) and the index. */
export interface Meaning {
  readonly maxDistance: number;
  /** The current model's index: where the processor puts vectors. */
  readonly index: S3VectorIndex;
  embedder(): Promise<Embedder>;
  /**
   * The owner's images nearest the text's meaning that pass the filters, nearest first, at most MAX_TOP_K: one list
   * per space, the current model's first, then (while a library moves) the previous one's.
   */
  nearest(query: {
    owner: string;
    text: string;
    filters: SearchFilters;
    personIds?: readonly string[];
  }): Promise<VectorHit[][]>;
  /** Forget an image's vector in every index searched. */
  remove(imageId: string): Promise<void>;
}

/** Queries kept per function instance: a vector of 1,024 floats is 8 KB, so 500 are 4 MB. */
const QUERY_CACHE_SIZE = 500;

/** One embedding space: its model (made on first use), its index, and the query vectors it made, by their hash. */
function space(provider: EmbeddingProvider, dimension: number, index: S3VectorIndex, folder?: string) {
  let made: Promise<Embedder> | undefined;
  const embedder = () => {
    made ??= makeEmbedder(provider, dimension, folder);
    // A model that failed to load is tried again on the next call, not remembered as failed.
    made.catch(() => {
      made = undefined;
    });
    return made;
  };
  const queries = new Map<string, number[]>();
  const embedQuery = async (model: Embedder, text: string) => {
    const key = createHash('sha256').update(`${model.space.model}\n${model.space.dimension}\n${text}`).digest('hex');
    const cached = queries.get(key);
    if (cached) {
      // Most recently used last: the first key is the one to forget.
      queries.delete(key);
      queries.set(key, cached);
      return cached;
    }
    const vector = await model.embedText(text);
    queries.set(key, vector);
    if (queries.size > QUERY_CACHE_SIZE) queries.delete(queries.keys().next().value as string);
    return vector;
  };
  return {
    index,
    embedder,
    async nearest({ owner, text, filters, personIds }: Parameters<Meaning['nearest']>[0]): Promise<VectorHit[]> {
      const model = await embedder();
      const vector = await embedQuery(model, text);
      return index.query(owner, vector, model.space, filters, { topK: MAX_TOP_K, ...(personIds && { personIds }) });
    },
  };
}

/** Search by meaning on what the environment names, or undefined when it is off. */
export function meaningIf(env: MeaningEnv): Meaning | undefined {
  const { VECTOR_BUCKET, VECTOR_INDEX, EMBEDDING_PROVIDER, EMBEDDING_DIMENSION } = env;
  if (!VECTOR_BUCKET || !VECTOR_INDEX || !EMBEDDING_PROVIDER || !EMBEDDING_DIMENSION) return undefined;
  const client = new S3VectorsClient({});
  const index = (name: string) => new S3VectorIndex(client, VECTOR_BUCKET, name);
  const current = space(EMBEDDING_PROVIDER, EMBEDDING_DIMENSION, index(VECTOR_INDEX), env.EMBEDDINGS_FOLDER);
  const { PREVIOUS_VECTOR_INDEX, PREVIOUS_EMBEDDING_PROVIDER, PREVIOUS_EMBEDDING_DIMENSION } = env;
  const previous =
    PREVIOUS_VECTOR_INDEX && PREVIOUS_EMBEDDING_PROVIDER && PREVIOUS_EMBEDDING_DIMENSION
      ? space(PREVIOUS_EMBEDDING_PROVIDER, PREVIOUS_EMBEDDING_DIMENSION, index(PREVIOUS_VECTOR_INDEX))
      : undefined;
  const spaces = previous ? [current, previous] : [current];
  return {
    maxDistance: env.SEMANTIC_MAX_DISTANCE ?? 0.8,
    index: current.index,
    embedder: current.embedder,
    nearest: (query) => Promise.all(spaces.map((one) => one.nearest(query))),
    remove: async (imageId) => {
      await Promise.all(spaces.map((one) => one.index.remove(imageId)));
    },
  };
}

/**
 * The offline provider, registered by the local runner before it loads a handler: a deployed function's bundle never
 * carries onnxruntime for it, and one that is told `onnx` without it says so. Kept on the global object: the runner
 * may load this module once for itself and once more for the handlers (CommonJS and ESM).
 */
const OFFLINE = Symbol.for('image-intel.offline-embeddings');
type OfflineLoader = (folder: string) => Promise<Embedder>;
const registry = globalThis as { [OFFLINE]?: OfflineLoader };
export function provideOfflineEmbeddings(load: OfflineLoader): void {
  registry[OFFLINE] = load;
}

async function makeEmbedder(provider: EmbeddingProvider, dimension: number, folder?: string): Promise<Embedder> {
  if (provider !== 'onnx') return new BedrockEmbedder(new BedrockRuntimeClient({}), provider, dimension);
  if (!folder) throw new Error('EMBEDDINGS_FOLDER is required with EMBEDDING_PROVIDER=onnx');
  const offline = registry[OFFLINE];
  if (!offline) throw new Error("EMBEDDING_PROVIDER=onnx is the local runner's (npm start -- --meaning <folder>)");
  const model = await offline(folder);
  if (model.space.dimension !== dimension) {
    throw new Error(
      `${folder} makes vectors of ${model.space.dimension} dimensions, not EMBEDDING_DIMENSION=${dimension}`,
    );
  }
  return model;
}
