import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateIndexCommand, CreateVectorBucketCommand, S3VectorsClient } from '@aws-sdk/client-s3vectors';
import type { DeploymentSettings } from '../../settings';
import type { RunnerPlugin } from '../../settings/runner-plugins';
import type { MeaningWiring } from './contract';
import { EmbeddingManifestSchema, loadOnnxEmbedder } from './onnx-embedder';
import { provideOfflineEmbeddings } from './open';

/*
 * Search by meaning on the runner: the vector bucket and index in the emulator (moto keeps them; the launcher adds
 * QueryVectors), and the model: `--meaning <folder>`, an ONNX image-text pair in the process, or `--meaning bedrock`,
 * the deployment's Bedrock model called for real with the user's own credentials while everything else stays local.
 * `--embeddings` is the flag's old name.
 */

/** `bedrock`, or the folder of an ONNX model pair (onnx-embedder.ts). */
export type LocalModel = 'bedrock' | { folder: string };

/** Search by meaning on the runner: `npm start -- --meaning <bedrock|folder>`. */
export const MEANING_RUNNER_PLUGIN: RunnerPlugin = {
  name: 'meaning',
  option: {
    flags: '--meaning <bedrock|folder>',
    deprecatedFlags: '--embeddings <bedrock|folder>',
    description:
      'search by meaning (docs/search.md): bedrock, the -c searchByMeaning model called for real with your ' +
      'credentials, or the folder of an ONNX image-text model',
  },
  start: async ({ settings, option, prefix, region, userCredentials }) => {
    const model = option === undefined ? undefined : option === 'bedrock' ? 'bedrock' : { folder: option };
    const meaning = await provisionMeaning(model, settings, { prefix, region, userCredentials });
    if (!meaning) return undefined;
    const named = meaning.provider === 'onnx' ? meaning.folder : `${meaning.provider} on Bedrock (real calls)`;
    return {
      wiring: { meaning },
      banner: [`  meaning       vectors ${meaning.vectorBucketName}/${meaning.indexName}, model ${named}`],
      ready: { meaning },
    };
  },
};

/** The user asked for something that cannot run: said before anything starts. */
export class MeaningOptionError extends Error {
  override readonly name = 'MeaningOptionError';
}

/**
 * What the functions are told, once the index exists; undefined without `--meaning` and with searchByMeaning off.
 * `userCredentials`: whether AWS credentials were in the environment before the runner set its emulator's.
 */
export async function provisionMeaning(
  model: LocalModel | undefined,
  settings: DeploymentSettings,
  options: { prefix: string; region: string; userCredentials: boolean },
): Promise<MeaningWiring | undefined> {
  if (model === undefined) {
    if (settings.searchByMeaning === 'off') return undefined;
    throw new MeaningOptionError(
      `searchByMeaning=${settings.searchByMeaning} on the runner needs --meaning: bedrock (the real model, with your ` +
        'credentials) or the folder of an ONNX image-text model (docs/search.md)',
    );
  }
  const space = model === 'bedrock' ? await bedrockSpace(settings, options) : await onnxSpace(model.folder);
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
  return { vectorBucketName, indexName, maxDistance: settings.meaningMaxDistance, ...space };
}

async function onnxSpace(folder: string) {
  const absolute = path.resolve(folder);
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(path.join(absolute, 'embedding.json'), 'utf8'));
  } catch (error) {
    throw new MeaningOptionError(`--meaning ${folder}: no readable embedding.json (${(error as Error).message})`);
  }
  const parsed = EmbeddingManifestSchema.safeParse(manifest);
  if (!parsed.success) throw new MeaningOptionError(`--meaning ${folder}: embedding.json: ${parsed.error.message}`);
  // Loaded once, by the first function that embeds; a deployed bundle never carries onnxruntime for it.
  provideOfflineEmbeddings(loadOnnxEmbedder);
  return { provider: 'onnx' as const, dimension: parsed.data.dimension, folder: absolute };
}

async function bedrockSpace(settings: DeploymentSettings, options: { region: string; userCredentials: boolean }) {
  const model = settings.searchByMeaning === 'off' ? 'titan' : settings.searchByMeaning;
  if (!options.userCredentials) {
    throw new MeaningOptionError(
      '--meaning bedrock calls the real Bedrock with your credentials: put them in the environment first ' +
        '(for example: eval "$(aws configure export-credentials --format env)")',
    );
  }
  // Every other client stays on the emulator; only the model is called in the Region.
  process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = `https://bedrock-runtime.${options.region}.amazonaws.com`;
  return { provider: model, dimension: settings.meaningDimension };
}

async function ignoreConflict(sent: Promise<unknown>): Promise<void> {
  try {
    await sent;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConflictException') throw error;
  }
}
