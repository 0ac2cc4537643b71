/**
 * What search by meaning adds to the processing of one image, measured beside the same image processed without it.
 *
 * 1. Take the bench corpus's source photos (support/make-corpus.ts: the Debian plasma wallpapers, 2560x1600, where
 *    installed, else the 1280x800 fixtures; the run says which).
 * 2. For each, three rounds: the core analysis the processor runs (`analyzeImage`, thumbnails 128/512/1024 as the
 *    stack's defaults), the baseline; then the processor's `embed` step on its result, with a model that answers at
 *    once and counts what it is sent, and the `vector` step with an index that counts its calls.
 * 3. Per image: the baseline's time, the embed step's own (the JPEG derivative it encodes), the bytes of the request
 *    body Bedrock would be sent, the calls made; and the price of those calls per 1,000 images.
 *
 * What this cannot measure here: Bedrock's and S3 Vectors' latency (no AWS account). The step runs beside vision, so
 * its round trip lengthens a run only where it is slower than vision's.
 *
 * Usage: `npm run bench:meaning` (= `npx tsx bench/meaning/main.ts`) [-- --out <file>]. Under a minute on 2 cores.
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import type { Analysis, Decoded, StepContext } from '../../lambdas/kit/processor-step';
import type { ProcessorDeps } from '../../lambdas/manifest/step-runners';
import { requestBody } from '../../lambdas/search/meaning/bedrock-embedder';
import type { Embedder, EmbeddingImage } from '../../lambdas/search/meaning/embedding-port';
import { embedStep, vectorStep } from '../../lambdas/search/steps/embed';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import { IMAGE_ENTITY } from '../../lambdas/store/table-design';
import { describeMachine, loadAverages } from '../../test/support/machine';
import { table } from '../../test/support/markdown';
import { median } from '../../test/support/stats';
import { sourcePhotos } from '../support/make-corpus';

const COMMAND = 'npx tsx bench/meaning/main.ts';
const ROUNDS = 3;
/** List prices, us-east-1 (docs/search.md): Titan G1 an image; S3 Vectors PUT per logical GB. */
const TITAN_PER_IMAGE = 0.00006;
const PUT_PER_GB = 0.2;
const DIMENSION = 1024;

async function main(): Promise<void> {
  const program = new Command().option('--out <file>', 'results file', path.join(__dirname, 'results.md')).parse();
  const { out } = program.opts<{ out: string }>();
  const { files, provenance } = await sourcePhotos();
  const sent: EmbeddingImage[] = [];
  const calls: string[] = [];
  const model: Embedder = {
    space: { model: 'amazon.titan-embed-image-v1', dimension: DIMENSION },
    embedImage: async (image) => {
      sent.push(image);
      calls.push('InvokeModel');
      return Array.from({ length: DIMENSION }, (_, i) => (i === 0 ? 1 : 0));
    },
    embedText: async () => [],
  };
  const deps = {
    meaning: {
      embedder: async () => model,
      index: { put: async () => void calls.push('PutVectors'), remove: async () => void calls.push('DeleteVectors') },
    },
  } as unknown as ProcessorDeps;
  const rows: Array<Array<string | number>> = [];
  const baseline: number[] = [];
  const embedding: number[] = [];
  const largestTimes: number[] = [];
  const bodies: number[] = [];
  for (const file of files) {
    const bytes = await readFile(file);
    const times = { core: [] as number[], embed: [] as number[], largest: [] as number[] };
    let body = 0;
    for (let round = 0; round < ROUNDS; round++) {
      let started = performance.now();
      const { record, ...encoded } = await analyzeImage(bytes, { thumbnailSizes: DEFAULT_SETTINGS.thumbnailSizes });
      times.core.push(performance.now() - started);
      const decoded = { ...encoded, record, original: bytes } as unknown as Decoded;
      const item = { imageId: '01JD3W7Q1ZK7Y6G5S4R3P2N1M0', entity: IMAGE_ENTITY, status: 'PROCESSED', owner: 'ada' };
      const context = { deps, attempt: { count: 1, last: false } } as unknown as StepContext<ProcessorDeps>;
      const analysis = { item, decoded } as unknown as Analysis & { decoded: Decoded };
      sent.length = 0;
      calls.length = 0;
      started = performance.now();
      const part = await embedStep.run(context, analysis);
      times.embed.push(performance.now() - started);
      await vectorStep.run(context, { ...analysis, ...part, item: analysis.item });
      // The alternative it is weighed against: the largest thumbnail as the derivative.
      const largest = decoded.thumbnails.reduce((a, b) => (b.size > a.size ? b : a));
      started = performance.now();
      await sharp(largest.data).jpeg({ quality: 90 }).toBuffer();
      times.largest.push(performance.now() - started);
      const image = sent[0];
      if (!image) throw new Error(`${file}: the embed step sent nothing`);
      body = Buffer.byteLength(JSON.stringify(requestBody('titan', DIMENSION, { image })));
    }
    baseline.push(median(times.core));
    embedding.push(median(times.embed));
    largestTimes.push(median(times.largest));
    bodies.push(body);
    rows.push([
      path.basename(file),
      median(times.core).toFixed(0),
      median(times.embed).toFixed(1),
      `${((100 * median(times.embed)) / median(times.core)).toFixed(1)} %`,
      median(times.largest).toFixed(1),
      (body / 1024).toFixed(0),
      calls.join(', '),
    ]);
  }
  // A vector's logical size: its float32 values and its metadata (up to 2 KB; about 1 KB for a photo's terms).
  const vectorBytes = DIMENSION * 4 + 1024;
  const perThousand = 1000 * (TITAN_PER_IMAGE + (vectorBytes / 2 ** 30) * PUT_PER_GB);
  const text = [
    '# Search by meaning: what it adds to processing an image',
    '',
    `Made by \`${COMMAND}\` on ${new Date().toISOString().slice(0, 10)}, ${describeMachine()} (load ${loadAverages()}).`,
    `Photos: ${provenance}; each ${ROUNDS} rounds, the median shown. Baseline: the core analysis the processor runs`,
    '(`analyzeImage`, the default thumbnail sizes). With meaning: the `embed` step on its result (the JPEG derivative',
    'of the smallest thumbnail of at least 384 px, 512 by default, sent to a model that answers at once) and the',
    '`vector` step; beside it, the same derivative made from the largest thumbnail (1,024 px). Bedrock and S3 Vectors',
    'themselves are not measured (no AWS account here).',
    '',
    table(
      ['photo', 'baseline ms', 'embed step ms', 'added', 'largest thumbnail instead, ms', 'request body KB', 'calls'],
      rows,
    ),
    '',
    `Median: baseline ${median(baseline).toFixed(0)} ms, the embed step's own work ${median(embedding).toFixed(1)} ms ` +
      `(${((100 * median(embedding)) / median(baseline)).toFixed(1)} %; from the largest thumbnail ` +
      `${median(largestTimes).toFixed(1)} ms), a request body of ` +
      `${(median(bodies) / 1024).toFixed(0)} KB.`,
    '',
    `Priced per 1,000 images (Titan G1 $${TITAN_PER_IMAGE} an image, PutVectors $${PUT_PER_GB} per logical GB of ` +
      `${vectorBytes} B a vector): **$${perThousand.toFixed(4)}**, of which the model $${(1000 * TITAN_PER_IMAGE).toFixed(3)}.`,
    '',
  ].join('\n');
  writeFileSync(out, text);
  process.stdout.write(text);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
