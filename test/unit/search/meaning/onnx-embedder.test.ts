import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { type Embedder, EmbeddingError } from '../../../../lambdas/search/meaning/embedding-port';
import { EmbeddingModelError, fitToContext, loadOnnxEmbedder } from '../../../../lambdas/search/meaning/onnx-embedder';
import { writeTinyImageTextModel } from '../../../support/tiny-image-text-model';

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] as number), 0);
const norm = (v: number[]) => Math.sqrt(cosine(v, v));

type Colour = { r: number; g: number; b: number };
const COLOURS: Record<'red' | 'green' | 'blue', Colour> = {
  red: { r: 230, g: 20, b: 20 },
  green: { r: 20, g: 200, b: 30 },
  blue: { r: 20, g: 30, b: 220 },
};
const flat = (background: Colour, format: 'jpeg' | 'png' | 'webp' = 'jpeg') =>
  sharp({ create: { width: 40, height: 30, channels: 3, background } })
    .toFormat(format)
    .toBuffer()
    .then((bytes) => ({ bytes, format }));

const WORDS = ['red', 'green', 'blue', 'crimson', 'grass', 'sky', 'ocean', 'invoice'];

/** The words from nearest to farthest from the vector. */
const ranked = (vector: number[], texts: Record<string, number[]>) =>
  Object.keys(texts).sort((a, b) => cosine(vector, texts[b] as number[]) - cosine(vector, texts[a] as number[]));

describe('loadOnnxEmbedder (an image-text ONNX pair from a folder)', () => {
  let root: string;
  let embedder: Embedder;
  const images: Record<string, number[]> = {};
  const texts: Record<string, number[]> = {};
  let folders = 0;
  const freshModel = async (options?: { attentionMask?: boolean }) =>
    writeTinyImageTextModel(await mkdtemp(join(root, `model-${folders++}-`)), options);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'onnx-embedder-'));
    embedder = await loadOnnxEmbedder(await freshModel());
    for (const [name, colour] of Object.entries(COLOURS)) images[name] = await embedder.embedImage(await flat(colour));
    for (const word of WORDS) texts[word] = await embedder.embedText(word);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('names its space after the manifest', () => {
    expect(embedder.space).toEqual({ model: 'onnx:tiny-test-colours', dimension: 4 });
  });

  it('answers unit vectors of the manifest dimension for images and text', () => {
    for (const vector of [...Object.values(images), ...Object.values(texts)]) {
      expect(vector).toHaveLength(4);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
  });

  it.each([
    ['red', ['red', 'crimson']],
    ['green', ['green', 'grass']],
    ['blue', ['blue', 'sky']],
  ])('puts the %s image nearest its words', (colour, nearest) => {
    // Either order: an off-pure green is nearer 'grass' than the pure 'green'.
    expect(
      ranked(images[colour] as number[], texts)
        .slice(0, 2)
        .sort(),
    ).toEqual(nearest.sort());
  });

  it('puts each word nearest its colour image', () => {
    const nearestImage = (word: string) => ranked(texts[word] as number[], images)[0];
    expect(['crimson', 'grass', 'sky', 'ocean'].map(nearestImage)).toEqual(['red', 'green', 'blue', 'blue']);
  });

  it('keeps an unrelated word far from every image, so a distance cut-off drops it', () => {
    for (const image of Object.values(images)) {
      expect(1 - cosine(image, texts.invoice as number[])).toBeGreaterThan(0.9);
    }
    // The cut-off keeps the words that describe the images.
    expect(1 - cosine(images.red as number[], texts.crimson as number[])).toBeLessThan(0.1);
  });

  it('reads the text through the tokenizer: case, spaces and unknown words', async () => {
    expect(await embedder.embedText('  RED ')).toEqual(texts.red);
    const withUnknown = await embedder.embedText('red zzzq');
    expect(cosine(withUnknown, texts.red as number[])).toBeLessThan(0.9);
  });

  it('pads with the tokenizer pad id (1 here; 0 is [UNK], which would pull the text away)', () => {
    // One word and seven pads: the pads add nothing, so the vector is the word's row alone.
    expect(cosine(texts.red as number[], [1, 0, 0, 0])).toBeCloseTo(1, 5);
  });

  it('cuts a text longer than the context to its first tokens', async () => {
    const vector = await embedder.embedText(`${'red '.repeat(8)}blue blue`);
    expect(cosine(vector, texts.red as number[])).toBeCloseTo(1, 5);
  });

  it('crops to the centre square, as CLIP does, rather than squashing the whole image', async () => {
    // 30 x 10: a red 10 x 10 centre between blue sides. Squashed, two thirds of it would be blue.
    const centre = await sharp({ create: { width: 10, height: 10, channels: 3, background: COLOURS.red } })
      .png()
      .toBuffer();
    const bytes = await sharp({ create: { width: 30, height: 10, channels: 3, background: COLOURS.blue } })
      .composite([{ input: centre, left: 10, top: 0 }])
      .png()
      .toBuffer();
    const vector = await embedder.embedImage({ bytes, format: 'png' });
    expect(ranked(vector, images)[0]).toBe('red');
  });

  it("applies the manifest's mean and std to each channel", async () => {
    // Grey, with red's mean taken away and blue's spread ten times: a vector of blue and some green, no red.
    const dir = await freshModel();
    const manifest = JSON.parse(await readFile(join(dir, 'embedding.json'), 'utf8'));
    const image = { ...manifest.image, mean: [128 / 255, 0, 0], std: [1, 1, 0.1] };
    await writeFile(join(dir, 'embedding.json'), JSON.stringify({ ...manifest, image }));
    const vector = await (await loadOnnxEmbedder(dir)).embedImage(await flat({ r: 128, g: 128, b: 128 }, 'png'));
    expect(ranked(vector, texts)[0]).toBe('blue');
    expect(Math.abs(cosine(vector, texts.red as number[]))).toBeLessThan(0.01);
  });

  it.each(['png', 'webp'] as const)('reads %s as it reads JPEG', async (format) => {
    const vector = await embedder.embedImage(await flat(COLOURS.green, format));
    expect(cosine(vector, images.green as number[])).toBeGreaterThan(0.999);
  });

  it('says an image it cannot decode is an EmbeddingError', async () => {
    await expect(embedder.embedImage({ bytes: Buffer.from('not a jpeg'), format: 'jpeg' })).rejects.toThrow(
      EmbeddingError,
    );
  });

  it('feeds the attention mask to a text encoder that takes one: padding then counts for nothing', async () => {
    // This model's pad row points away from every colour: unmasked padding would turn 'red' towards it.
    const masked = await loadOnnxEmbedder(await freshModel({ attentionMask: true }));
    for (const word of ['red', 'grass']) {
      expect(cosine(await masked.embedText(word), texts[word] as number[])).toBeCloseTo(1, 5);
    }
  });

  it('says a wrong output length is an EmbeddingError, naming both lengths', async () => {
    const dir = await freshModel();
    const manifest = JSON.parse(await readFile(join(dir, 'embedding.json'), 'utf8'));
    await writeFile(join(dir, 'embedding.json'), JSON.stringify({ ...manifest, dimension: 5 }));
    const wrong = await loadOnnxEmbedder(dir);
    await expect(wrong.embedText('red')).rejects.toThrow(EmbeddingError);
    await expect(wrong.embedImage(await flat(COLOURS.red))).rejects.toThrow(/4 dimensions, not the manifest's 5/);
  });

  describe('a folder that is not a model', () => {
    it.each(['embedding.json', 'text.onnx', 'image.onnx', 'tokenizer.json'])('names a missing %s', async (file) => {
      const dir = await freshModel();
      await unlink(join(dir, file));
      const loading = loadOnnxEmbedder(dir);
      await expect(loading).rejects.toThrow(EmbeddingModelError);
      await expect(loading).rejects.toThrow(`${dir} has no ${file}`);
    });

    it('names the field of a bad manifest and the folder', async () => {
      const dir = await freshModel();
      const manifest = JSON.parse(await readFile(join(dir, 'embedding.json'), 'utf8'));
      manifest.image.mean = [0.5, 0.5];
      delete manifest.text.contextLength;
      await writeFile(join(dir, 'embedding.json'), JSON.stringify(manifest));
      const loading = loadOnnxEmbedder(dir);
      await expect(loading).rejects.toThrow(join(dir, 'embedding.json'));
      await expect(loading).rejects.toThrow(/image\.mean: .*text\.contextLength: /);
    });

    it('names an input the encoder does not have', async () => {
      const dir = await freshModel();
      const manifest = JSON.parse(await readFile(join(dir, 'embedding.json'), 'utf8'));
      await writeFile(
        join(dir, 'embedding.json'),
        JSON.stringify({ ...manifest, image: { ...manifest.image, input: 'pixels' } }),
      );
      await expect(loadOnnxEmbedder(dir)).rejects.toThrow(
        /image\.onnx takes pixel_values; embedding\.json gives it pixels/,
      );
    });

    it('refuses a file that is not ONNX, naming it', async () => {
      const dir = await freshModel();
      await writeFile(join(dir, 'text.onnx'), 'not a model');
      await expect(loadOnnxEmbedder(dir)).rejects.toThrow(`${join(dir, 'text.onnx')} is not an ONNX model`);
    });

    it('refuses a tokenizer model type the tokenizer library cannot read', async () => {
      const dir = await freshModel();
      const tokenizer = JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8'));
      await writeFile(
        join(dir, 'tokenizer.json'),
        JSON.stringify({ ...tokenizer, model: { ...tokenizer.model, type: 'WordLevel' } }),
      );
      await expect(loadOnnxEmbedder(dir)).rejects.toThrow(/tokenizer\.json is not a tokenizer .*model\.type/);
    });
  });
});

describe('fitToContext', () => {
  it('pads to the context with the pad id and masks the padding', () => {
    expect(fitToContext([5, 6], 4, 9)).toEqual({ ids: [5, 6, 9, 9], mask: [1, 1, 0, 0] });
  });

  it('cuts a long text, keeping its closing token last when asked', () => {
    expect(fitToContext([1, 5, 6, 7, 2], 4, 0)).toEqual({ ids: [1, 5, 6, 7], mask: [1, 1, 1, 1] });
    expect(fitToContext([1, 5, 6, 7, 2], 4, 0, true)).toEqual({ ids: [1, 5, 6, 2], mask: [1, 1, 1, 1] });
  });

  it('leaves a text that fits as it is, closing token included', () => {
    expect(fitToContext([1, 5, 2], 3, 0, true)).toEqual({ ids: [1, 5, 2], mask: [1, 1, 1] });
  });
});
