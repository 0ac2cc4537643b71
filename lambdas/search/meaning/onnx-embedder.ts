import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { z } from 'zod';
import { describeIssues } from '../../settings/values';
import { type Embedder, EmbeddingError, type EmbeddingImage, type EmbeddingSpace, unitLength } from './embedding-port';

/*
 * The embedding port offline: an image encoder and a text encoder exported to ONNX from one image-text model (an
 * OpenCLIP or MobileCLIP export), run with ONNX Runtime in the process. No request leaves the machine, and the
 * model is whatever folder the user gives; its name is recorded with every vector, as Bedrock's model id is.
 */

const Rgb = z.tuple([z.number(), z.number(), z.number()]);

/**
 * `embedding.json`, the manifest of a model folder:
 * - `name`: the model's name; vectors are recorded as of the space `onnx:<name>`, so a new model is a new name.
 * - `dimension`: the length of both encoders' vectors.
 * - `image`: the image encoder's `file`, its `input` (float32 NCHW, RGB, `size` x `size`, each pixel
 *   (x / 255 - mean) / std, as CLIP's preprocessing) and the `output` that is the vector.
 * - `text`: the text encoder's `file`, its `input` (int64 token ids, [1, contextLength]) and `output`. An input
 *   named `attention_mask` is given 1 for each token and 0 for padding.
 * - `tokenizer`: the Hugging Face `tokenizer.json` (default that name); a `tokenizer_config.json` beside it, as the
 *   Hub has it, is read too.
 */
export const EmbeddingManifestSchema = z.object({
  name: z.string().min(1),
  dimension: z.int().positive(),
  image: z.object({
    file: z.string().min(1),
    input: z.string().min(1),
    output: z.string().min(1),
    size: z.int().positive(),
    mean: Rgb,
    std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
  }),
  text: z.object({
    file: z.string().min(1),
    input: z.string().min(1),
    output: z.string().min(1),
    contextLength: z.int().positive(),
  }),
  tokenizer: z.string().min(1).default('tokenizer.json'),
});
export type EmbeddingManifest = z.infer<typeof EmbeddingManifestSchema>;

/** The model folder is missing a file or describes itself wrongly: a set-up error, not a refused input. */
export class EmbeddingModelError extends Error {
  override readonly name = 'EmbeddingModelError';
}

/** The parts of tokenizer.json read here; the tokenizer itself takes the whole file. */
const TokenizerFileSchema = z.object({
  model: z.object({ type: z.enum(['BPE', 'WordPiece', 'Unigram']) }),
  padding: z.object({ pad_id: z.int().nonnegative() }).nullish(),
});
const TokenizerConfigSchema = z.object({ pad_token: z.string().nullish() });

const ATTENTION_MASK = 'attention_mask';

/**
 * Token ids cut or padded to the text model's context length, and the attention mask (1 for a token, 0 for padding).
 * When a text is cut and `keepLast`, its last id stays last: CLIP's end-of-text token, whose position the model reads
 * the text's vector from.
 */
export function fitToContext(
  ids: readonly number[],
  contextLength: number,
  padId: number,
  keepLast = false,
): { ids: number[]; mask: number[] } {
  const kept = ids.slice(0, contextLength);
  if (keepLast && ids.length > contextLength) kept[contextLength - 1] = ids[ids.length - 1] as number;
  const padding = contextLength - kept.length;
  return {
    ids: [...kept, ...new Array<number>(padding).fill(padId)],
    mask: [...new Array<number>(kept.length).fill(1), ...new Array<number>(padding).fill(0)],
  };
}

/**
 * The embedder of the model folder `dir` (OpenCLIP or MobileCLIP exported to ONNX):
 * ```
 * embedding.json   the manifest (EmbeddingManifestSchema)
 * image.onnx       the image encoder, as the manifest's image.file names it
 * text.onnx        the text encoder, as text.file names it
 * tokenizer.json   the text encoder's Hugging Face tokenizer (and tokenizer_config.json, if it has one)
 * ```
 * Both sessions are loaded here, once: keep the embedder for the life of the process.
 */
export async function loadOnnxEmbedder(dir: string): Promise<Embedder> {
  const manifest = parseManifest(dir, await readJson(dir, 'embedding.json'));
  const tokenizerJson = await readJson(dir, manifest.tokenizer);
  const tokenizerFile = TokenizerFileSchema.safeParse(tokenizerJson);
  if (!tokenizerFile.success) {
    throw new EmbeddingModelError(
      `${join(dir, manifest.tokenizer)} is not a tokenizer @huggingface/tokenizers reads (BPE, WordPiece or ` +
        `Unigram): ${describeIssues(tokenizerFile.error)}`,
    );
  }
  const configFile = join(dirname(manifest.tokenizer), 'tokenizer_config.json');
  const configJson = (await fileExists(join(dir, configFile))) ? await readJson(dir, configFile) : {};
  const padToken = TokenizerConfigSchema.safeParse(configJson).data?.pad_token;
  const tokenizer = makeTokenizer(join(dir, manifest.tokenizer), tokenizerJson, configJson);

  const [imageSession, textSession] = await Promise.all([
    openSession(dir, manifest.image.file, [manifest.image.input], manifest.image.output),
    openSession(dir, manifest.text.file, [manifest.text.input, ATTENTION_MASK], manifest.text.output),
  ]);
  return new OnnxEmbedder(manifest, imageSession, textSession, {
    tokenizer,
    padId: tokenizerFile.data.padding?.pad_id ?? (padToken ? tokenizer.token_to_id(padToken) : undefined) ?? 0,
    specialIds: new Set([...tokenizer.get_added_tokens_decoder()].filter(([, t]) => t.special).map(([id]) => id)),
  });
}

class OnnxEmbedder implements Embedder {
  readonly space: EmbeddingSpace;

  constructor(
    private readonly manifest: EmbeddingManifest,
    private readonly imageSession: ort.InferenceSession,
    private readonly textSession: ort.InferenceSession,
    private readonly text: { tokenizer: Tokenizer; padId: number; specialIds: Set<number> },
  ) {
    this.space = { model: `onnx:${manifest.name}`, dimension: manifest.dimension };
  }

  async embedImage(image: EmbeddingImage): Promise<number[]> {
    const { size, mean, std, input, output } = this.manifest.image;
    // Cover then centre crop: CLIP's resize of the short side and centre crop, in one step.
    const pixels = await sharp(image.bytes)
      .resize(size, size, { fit: 'cover', position: 'centre' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer()
      .catch((error: Error) => {
        throw new EmbeddingError(`${this.space.model}: the ${image.format} image could not be read: ${error.message}`);
      });
    const plane = size * size;
    const data = new Float32Array(3 * plane);
    for (let i = 0; i < plane; i++) {
      for (let c = 0; c < 3; c++) {
        data[c * plane + i] = ((pixels[i * 3 + c] as number) / 255 - (mean[c] as number)) / (std[c] as number);
      }
    }
    return this.run(this.imageSession, { [input]: new ort.Tensor('float32', data, [1, 3, size, size]) }, output);
  }

  async embedText(text: string): Promise<number[]> {
    const { input, output, contextLength } = this.manifest.text;
    const { ids } = this.text.tokenizer.encode(text);
    // A tokenizer without an unknown token leaves a word it does not know without an id.
    if (ids.some((id) => !Number.isInteger(id))) {
      throw new EmbeddingError(`${this.space.model}: the tokenizer has no id for a word of "${text}"`);
    }
    const last = ids[ids.length - 1];
    const fitted = fitToContext(
      ids,
      contextLength,
      this.text.padId,
      last !== undefined && this.text.specialIds.has(last),
    );
    const int64 = (values: number[]) => new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, contextLength]);
    const feeds: Record<string, ort.Tensor> = { [input]: int64(fitted.ids) };
    if (this.textSession.inputNames.includes(ATTENTION_MASK)) feeds[ATTENTION_MASK] = int64(fitted.mask);
    return this.run(this.textSession, feeds, output);
  }

  private async run(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, output: string) {
    const result = (await session.run(feeds))[output];
    if (result?.type !== 'float32') {
      throw new EmbeddingError(`${this.space.model}: ${output} is ${result?.type ?? 'missing'}, not float32`);
    }
    if (result.data.length !== this.space.dimension) {
      throw new EmbeddingError(
        `${this.space.model}: ${output} has ${result.data.length} dimensions, not the manifest's ${this.space.dimension}`,
      );
    }
    return unitLength(Array.from(result.data as Float32Array));
  }
}

function parseManifest(dir: string, json: unknown): EmbeddingManifest {
  const parsed = EmbeddingManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new EmbeddingModelError(`${join(dir, 'embedding.json')}: ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

function makeTokenizer(path: string, json: unknown, config: unknown): Tokenizer {
  try {
    return new Tokenizer(json as object, config as object);
  } catch (error) {
    throw new EmbeddingModelError(
      `${path} is not a tokenizer @huggingface/tokenizers reads: ${(error as Error).message}`,
    );
  }
}

async function readJson(dir: string, file: string): Promise<unknown> {
  const path = join(dir, file);
  if (!(await fileExists(path))) throw new EmbeddingModelError(`${dir} has no ${file}`);
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new EmbeddingModelError(`${path} is not JSON: ${(error as Error).message}`);
  }
}

/** The session of one encoder, with its inputs and output checked against the manifest. */
async function openSession(dir: string, file: string, inputs: string[], output: string): Promise<ort.InferenceSession> {
  const path = join(dir, file);
  if (!(await fileExists(path))) throw new EmbeddingModelError(`${dir} has no ${file}, which embedding.json names`);
  const session = await ort.InferenceSession.create(path, {
    // As lambdas/vision/onnx.ts (which this floor may not import): few threads, not spinning, beside libvips.
    intraOpNumThreads: 2,
    interOpNumThreads: 1,
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  }).catch((error: Error) => {
    throw new EmbeddingModelError(`${path} is not an ONNX model ONNX Runtime can load: ${error.message}`);
  });
  const [input] = inputs;
  const unfed = session.inputNames.filter((name) => !inputs.includes(name));
  if (!session.inputNames.includes(input as string) || unfed.length > 0) {
    throw new EmbeddingModelError(
      `${path} takes ${session.inputNames.join(', ')}; embedding.json gives it ${inputs.join(' and at most ')}`,
    );
  }
  if (!session.outputNames.includes(output)) {
    throw new EmbeddingModelError(`${path} has no output ${output} (it has ${session.outputNames.join(', ')})`);
  }
  return session;
}

async function fileExists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
