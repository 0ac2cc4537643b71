import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';

/*
 * A TEST image-text model the embedder's tests can reason about, in the folder layout an OpenCLIP or MobileCLIP
 * export is given (lambdas/search/meaning/onnx-embedder.ts). It knows three colours and nothing else: never point a
 * deployment at it.
 *
 * Image: the mean of each channel (pixels 0..1) becomes [r, g, b, BIAS], so red, green and blue images point three
 * different ways and a black image is still a vector. Text: the mean of its words' rows in TABLE. 'invoice' is
 * [1, 1, 1, -1 / BIAS]: orthogonal to the pure red, green and blue images, so a distance cut-off drops it.
 */
export const TINY_MODEL_NAME = 'tiny-test-colours';
export const TINY_IMAGE_SIZE = 8;
export const TINY_CONTEXT_LENGTH = 8;
const DIMENSION = 4;
const BIAS = 0.25;
const FAR = [1, 1, 1, -1 / BIAS];

/*
 * [PAD] is 1, not 0: padding with 0 ([UNK], a FAR row) would pull every short text away from the colours, so a test
 * sees an embedder that ignores the tokenizer's pad id.
 */
const TABLE: Record<string, readonly number[]> = {
  '[UNK]': FAR.map((x) => x / 2),
  '[PAD]': [0, 0, 0, 0],
  red: [1, 0, 0, 0],
  green: [0, 1, 0, 0],
  blue: [0, 0, 1, 0],
  crimson: [0.9, 0.05, 0.2, 0],
  grass: [0.2, 0.9, 0.1, 0],
  sky: [0.1, 0.2, 0.9, 0],
  ocean: [0, 0.4, 0.9, 0],
  invoice: FAR,
};

export interface TinyModelOptions {
  /**
   * The text encoder also takes `attention_mask` and averages only the rows it marks. Its [PAD] row is then FAR, so
   * an embedder that fills the mask wrongly (or counts padding) moves every short text away from its colour.
   * @default false
   */
  attentionMask?: boolean;
}

const { FLOAT, INT64 } = onnx.TensorProto.DataType;
const { INT, INTS } = onnx.AttributeProto.AttributeType;
const valueInfo = (name: string, elemType: number, dims: number[]) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } },
});
const reduceMean = (input: string, output: string, axes: number[]) => ({
  opType: 'ReduceMean',
  input: [input],
  output: [output],
  attribute: [
    { name: 'axes', type: INTS, ints: axes },
    { name: 'keepdims', type: INT, i: 0 },
  ],
});
const model = (graph: onnx.IGraphProto) =>
  onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      producerName: 'image-intel tests',
      graph,
    }),
  ).finish();

/** pixel_values [1, 3, S, S] -> image_embeds [1, 4]: channel means times the identity, plus [0, 0, 0, BIAS]. */
function imageEncoder(): Uint8Array {
  const size = TINY_IMAGE_SIZE;
  return model({
    name: `${TINY_MODEL_NAME}-image`,
    input: [valueInfo('pixel_values', FLOAT, [1, 3, size, size])],
    output: [valueInfo('image_embeds', FLOAT, [1, DIMENSION])],
    initializer: [
      { name: 'project', dims: [3, DIMENSION], dataType: FLOAT, floatData: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0] },
      { name: 'bias', dims: [DIMENSION], dataType: FLOAT, floatData: [0, 0, 0, BIAS] },
    ],
    node: [
      reduceMean('pixel_values', 'means', [2, 3]),
      { opType: 'MatMul', input: ['means', 'project'], output: ['mixed'] },
      { opType: 'Add', input: ['mixed', 'bias'], output: ['image_embeds'] },
    ],
  });
}

/** input_ids [1, L] (and attention_mask [1, L]) -> text_embeds [1, 4]: the mean of the words' rows. */
function textEncoder(vocab: string[], attentionMask: boolean): Uint8Array {
  const length = TINY_CONTEXT_LENGTH;
  const rows = vocab.flatMap((word) => (attentionMask && word === '[PAD]' ? FAR : (TABLE[word] as number[])));
  const masked = [
    { opType: 'Cast', input: ['attention_mask'], output: ['mask'], attribute: [{ name: 'to', type: INT, i: FLOAT }] },
    // Opset 13 takes Unsqueeze's axes as an input: [1, L] -> [1, L, 1], to scale each row.
    { opType: 'Unsqueeze', input: ['mask', 'row_axis'], output: ['mask_rows'] },
    { opType: 'Mul', input: ['rows', 'mask_rows'], output: ['kept'] },
  ];
  return model({
    name: `${TINY_MODEL_NAME}-text`,
    input: [
      valueInfo('input_ids', INT64, [1, length]),
      ...(attentionMask ? [valueInfo('attention_mask', INT64, [1, length])] : []),
    ],
    output: [valueInfo('text_embeds', FLOAT, [1, DIMENSION])],
    initializer: [
      { name: 'table', dims: [vocab.length, DIMENSION], dataType: FLOAT, floatData: rows },
      ...(attentionMask ? [{ name: 'row_axis', dims: [1], dataType: INT64, int64Data: [2] }] : []),
    ],
    node: [
      {
        opType: 'Gather',
        input: ['table', 'input_ids'],
        output: ['rows'],
        attribute: [{ name: 'axis', type: INT, i: 0 }],
      },
      ...(attentionMask ? masked : []),
      // Without a mask the [PAD] row is zero, so the mean's direction is that of the words alone.
      reduceMean(attentionMask ? 'kept' : 'rows', 'text_embeds', [1]),
    ],
  });
}

/**
 * A Hugging Face tokenizer.json: lowercase, split on whitespace and punctuation, one id a known word. WordPiece with
 * whole words only, because @huggingface/tokenizers 0.2 has no WordLevel model (it leaves unknown words without an id).
 */
function tokenizer(vocab: string[]): unknown {
  const special = (content: string) => ({
    id: vocab.indexOf(content),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: { strategy: 'BatchLongest', direction: 'Right', pad_id: vocab.indexOf('[PAD]'), pad_token: '[PAD]' },
    added_tokens: [special('[UNK]'), special('[PAD]')],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((word, id) => [word, id])),
    },
  };
}

/** Writes the tiny test model's folder (manifest, both encoders, tokenizer) into `dir` and returns `dir`. */
export async function writeTinyImageTextModel(dir: string, options: TinyModelOptions = {}): Promise<string> {
  const vocab = Object.keys(TABLE);
  const manifest = {
    name: TINY_MODEL_NAME,
    dimension: DIMENSION,
    image: {
      file: 'image.onnx',
      input: 'pixel_values',
      output: 'image_embeds',
      size: TINY_IMAGE_SIZE,
      mean: [0, 0, 0],
      std: [1, 1, 1],
    },
    text: { file: 'text.onnx', input: 'input_ids', output: 'text_embeds', contextLength: TINY_CONTEXT_LENGTH },
    tokenizer: 'tokenizer.json',
  };
  await Promise.all([
    writeFile(join(dir, 'embedding.json'), JSON.stringify(manifest, null, 2)),
    writeFile(join(dir, 'image.onnx'), imageEncoder()),
    writeFile(join(dir, 'text.onnx'), textEncoder(vocab, options.attentionMask ?? false)),
    writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer(vocab), null, 2)),
  ]);
  return dir;
}
