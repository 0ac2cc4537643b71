/**
 * The renditions bench of issue 14: ours (a), a stored rendition (a'), the Dynamic Image Transformation pipeline
 * reproduced from its public code (b) and Pillow (c), in one run, side by side.
 *
 * 1. Build or reuse the corpus: 12 MP originals in five formats, with the processor's WebP copies.
 * 2. Read every file into memory; start the Pillow child.
 * 3. Interleaved rounds (run.ts): each request by each contender, CPU time measured, I/O recorded.
 * 4. Quality of rendering from the 1024 copy; encoder settings alone.
 * 5. Price the I/O (io.ts), summarise, write bench/renditions/results.md and .json (every sample).
 *
 * Usage: npx tsx bench/renditions/main.ts [--rounds N] [--photos N] [--out FILE.md] [--s3-first-byte-ms MS]
 *        [--s3-mb-per-s MBPS] [--dynamo-get-ms MS] [--rekognition-ms MS]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { planSource, renderImage } from '../../lambdas/core/render/render';
import type { OutputFormat } from '../../lambdas/core/render/rendition';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import { loadAverages, machineInfo } from '../../test/support/machine';
import { ensureRenditionsCorpus, RENDITIONS_CORPUS_DIR, type RenditionsCorpus } from './corpus';
import { compareEncoders } from './encoders';
import { measureFidelity, measurePathFloor } from './fidelity';
import { IO_FLAGS, IO_MODEL_SOURCES, ioModelFromFlags } from './io';
import { METHOD } from './method';
import { startPillow } from './pillow';
import { renderReport } from './report';
import { MIX, makeLogo } from './requests';
import { runRounds, SAMPLE_COLUMNS, sampleRows, tasksOf } from './run';
import { headline } from './summary';

const log = (line: string) => process.stderr.write(`${line}\n`);

function options() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      photos: { type: 'string', default: '3' },
      out: { type: 'string', default: path.join(__dirname, 'results.md') },
      ...Object.fromEntries(Object.values(IO_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
    },
  });
  const count = (flag: 'rounds' | 'photos', max: number) => {
    const value = Number(values[flag]);
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new RangeError(`--${flag} must be a whole number from 1 to ${max}, got '${values[flag]}'`);
    }
    return value;
  };
  return {
    rounds: count('rounds', 50),
    photos: count('photos', 6),
    out: String(values.out),
    model: ioModelFromFlags(values),
  };
}

/** Every original's and stored copy's bytes, keyed by file. */
async function loadBytes(corpus: RenditionsCorpus): Promise<Map<string, Buffer>> {
  const files = corpus.originals.flatMap((o) => [o.file, ...o.thumbnails.map((t) => t.file)]);
  return new Map(await Promise.all(files.map(async (file) => [file, await readFile(file)] as const)));
}

/** One output per request, from the first original, for the encoder comparison. */
async function sampleOutputs(corpus: RenditionsCorpus, bytes: Map<string, Buffer>, logo: Buffer) {
  const original = corpus.originals[0];
  const outputs = new Map<string, Buffer>();
  if (!original) return outputs;
  for (const request of MIX) {
    const plan = planSource(request.spec, original);
    const file = plan.source === 'thumbnail' ? plan.copy.file : undefined;
    const rendered = await renderImage(bytes.get(file ?? original.file) as Buffer, request.spec, {
      format: request.spec.format as OutputFormat,
      image: { width: original.width, height: original.height },
      watermark: request.spec.watermark ? { kind: 'image', data: logo } : undefined,
      maxInputPixels: DEFAULT_SETTINGS.maxPixels,
    });
    outputs.set(request.name, rendered.data);
  }
  return outputs;
}

function environment(corpus: RenditionsCorpus, pillow: { pillow: string; python: string }, loadBefore: string) {
  const machine = machineInfo();
  return {
    command: `npx tsx bench/renditions/main.ts ${process.argv.slice(2).join(' ')}`.trim(),
    date: new Date().toISOString(),
    machine: `${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GiB, ${machine.os}`,
    commit: machine.commit,
    node: machine.node,
    sharp: `${sharp.versions.sharp} (libvips ${sharp.versions.vips}, libheif ${sharp.versions.heif ?? '?'}, aom ${sharp.versions.aom ?? '?'}, mozjpeg ${sharp.versions.mozjpeg ?? '?'}); sharp.concurrency() ${sharp.concurrency()}, operation cache off`,
    Pillow: `${pillow.pillow} (Debian python3-pil, Python ${pillow.python})`,
    'HEIC encoder': corpus.heicEncoder ?? 'none (HEIC left out)',
    corpus: corpus.provenance,
    'load average before / after': `${loadBefore} / ${loadAverages()}`,
  };
}

/** Times to 0.01 ms and ratios to 0.01 are all the precision there is; whole numbers (bytes) stay whole. */
const hundredths = (_key: string, value: unknown) =>
  typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value;

/** The results are committed: leave the JSON as the project's formatter would, so `npm run lint` stays clean. */
function formatLikeTheLinter(file: string): void {
  const biome = path.join(__dirname, '../..', 'node_modules', '.bin', 'biome');
  if (!existsSync(biome)) return;
  try {
    execFileSync(biome, ['format', '--write', file], { stdio: 'ignore' });
  } catch {
    // Unformatted results are still results.
  }
}

async function main(): Promise<void> {
  const began = performance.now();
  const { rounds, photos, out, model } = options();
  const loadBefore = loadAverages();
  // Every request decodes its own bytes, as a fresh Lambda request would: no libvips cache carries over.
  sharp.cache(false);
  const corpus = await ensureRenditionsCorpus(photos, log);
  const logo = await makeLogo();
  const logoFile = path.join(RENDITIONS_CORPUS_DIR, 'logo.png');
  await writeFile(logoFile, logo);
  const bytes = await loadBytes(corpus);
  const pillow = await startPillow(Object.fromEntries(corpus.originals.map((o) => [o.file, o.file])), logoFile);
  const tasks = tasksOf(corpus.originals);
  log(`${corpus.originals.length} originals x ${MIX.length} requests, ${rounds} rounds`);
  let samples: Awaited<ReturnType<typeof runRounds>>;
  try {
    samples = await runRounds(tasks, { bytes, logo, pillow }, rounds, log);
  } finally {
    await pillow.close();
  }
  log('quality: rendering again from the originals');
  const copyOf = (file: string) => Buffer.from(bytes.get(file) as Buffer);
  const fidelity = await measureFidelity(corpus.originals, MIX, copyOf, logo);
  const pathFloor = await measurePathFloor(corpus.originals, MIX, copyOf, logo);
  const encoders = await compareEncoders(MIX, await sampleOutputs(corpus, bytes, logo));
  const env = environment(corpus, pillow.versions, loadBefore);
  const input = {
    samples,
    model,
    mix: MIX,
    corpus,
    fidelity,
    pathFloor,
    encoders,
    environment: env,
    rounds,
    method: METHOD,
  };
  const markdown = renderReport(input);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, markdown);
  const formats = [...new Set(corpus.originals.map((o) => o.format))];
  const summary = headline(samples, model, MIX, formats);
  const json = {
    environment: env,
    ioModel: model,
    ioModelSources: IO_MODEL_SOURCES,
    summary,
    corpus,
    fidelity,
    pathFloor,
    encoders,
  };
  const jsonFile = out.replace(/\.md$/, '.json');
  const table = { columns: SAMPLE_COLUMNS.join('|'), rows: sampleRows(samples) };
  await writeFile(jsonFile, `${JSON.stringify({ ...json, samples: table }, hundredths, 2)}\n`);
  formatLikeTheLinter(jsonFile);
  process.stdout.write(markdown);
  log(`wrote ${out} and its .json in ${((performance.now() - began) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
