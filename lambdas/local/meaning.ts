import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateIndexCommand, CreateVectorBucketCommand, S3VectorsClient } from '@aws-sdk/client-s3vectors';
import type { MeaningWiring } from '../search/meaning/contract';
import { EmbeddingManifestSchema, loadOnnxEmbedder } from '../search/meaning/onnx-embedder';
import { provideOfflineEmbeddings } from '../search/meaning/open';
import type { DeploymentSettings } from '../settings';

/*
 * Search by meaning on the runner: the vector bucket and index in the emulator (moto keeps them; the launcher adds
 * QueryVectors), and the model: `--embeddings <folder>`, an ONNX image-text pair in the process, or
 * `--embeddings bedrock`, the deployment's Bedrock model called for real with the user's own credentials while
 * everything else stays local.
 */

/** `bedrock`, or the folder of an ONNX model pair (search/meaning/onnx-embedder.ts). */
export type LocalEmbeddings = 'bedrock' | { folder: string };

/** The user asked for something that cannot run: said before anything starts. */
export class EmbeddingsOptionError extends Error {
  override readonly name = 'EmbeddingsOptionError';
}

/**
 * What the functions are told, once the index exists; undefined without `--embeddings` and with semanticSearch off.
 * `userCredentials`: whether AWS credentials were in the environment before the runner set its emulator's.
 */
export async function provisionMeaning(
  embeddings: LocalEmbeddings | undefined,
  settings: DeploymentSettings,
  options: { prefix: string; region: string; userCredentials: boolean },
): Promise<MeaningWiring | undefined> {
  if (embeddings === undefined) {
    if (settings.semanticSearch === 'off') return undefined;
    throw new EmbeddingsOptionError(
      `semanticSearch=${settings.semanticSearch} on the runner needs --embeddings: bedrock (the real model, with your ` +
        'credentials) or the folder of an ONNX image-text model (docs/search.md)',
    );
  }
  const space = embeddings === 'bedrock' ? await bedrockSpace(settings, options) : await onnxSpace(embeddings.folder);
  const vectorBucketName = `${options.prefix}-vectors`.toLowerCase();
  const indexName = `images-${space.provider === 'onnx' ? 'onnx' : space.provider}-${space.dimension}`;
  const client = new S3VectorsClient({});
  await ignoreConflict(client.send(new CreateVectorBucketCommand({ vectorBucketName })));
  await ignoreConflict(
    client.send(
      new CreateIndexCommand({
        vectorBucketName,
        indexName,
        dataType: 'float32',
        dimension: space.dimension,
        distanceMetric: 'cosine',
      }),
    ),
  );
  return { vectorBucketName, indexName, maxDistance: settings.semanticMaxDistance, ...space };
}

async function onnxSpace(folder: string) {
  const absolute = path.resolve(folder);
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(path.join(absolute, 'embedding.json'), 'utf8'));
  } catch (error) {
    throw new EmbeddingsOptionError(`--embeddings ${folder}: no readable embedding.json (${(error as Error).message})`);
  }
  const parsed = EmbeddingManifestSchema.safeParse(manifest);
  if (!parsed.success)
    throw new EmbeddingsOptionError(`--embeddings ${folder}: embedding.json: ${parsed.error.message}`);
  // Loaded once, by the first function that embeds; a deployed bundle never carries onnxruntime for it.
  provideOfflineEmbeddings(loadOnnxEmbedder);
  return { provider: 'onnx' as const, dimension: parsed.data.dimension, folder: absolute };
}

async function bedrockSpace(settings: DeploymentSettings, options: { region: string; userCredentials: boolean }) {
  const model = settings.semanticSearch === 'off' ? 'titan' : settings.semanticSearch;
  if (!options.userCredentials) {
    throw new EmbeddingsOptionError(
      '--embeddings bedrock calls the real Bedrock with your credentials: put them in the environment first ' +
        '(for example: eval "$(aws configure export-credentials --format env)")',
    );
  }
  // Every other client stays on the emulator; only the model is called in the Region.
  process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = `https://bedrock-runtime.${options.region}.amazonaws.com`;
  return { provider: model, dimension: settings.semanticDimension };
}

async function ignoreConflict(sent: Promise<unknown>): Promise<void> {
  try {
    await sent;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConflictException') throw error;
  }
}
