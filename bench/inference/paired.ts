/**
 * OCR speed, ours against @gutenye/ocr-node, paired call by call in one process: for every image and pass, ours
 * (the core's decode to a raster, then recognizeText) and the baseline (`detect` on the same bytes) run back to
 * back, in alternating order. `npm run bench:inference` runs each engine in its own child, one round after the
 * other, so a burst of other work on the machine lands on one side only; here both sides share every burst.
 * The pairing is, if anything, unkind to ours: the baseline's ONNX Runtime threads spin after its calls (ours do
 * not) and take CPU from the call that follows.
 *
 * With `--same-threads` the baseline's sessions get our ONNX Runtime thread settings (2 intra-op threads, no
 * spinning), so what remains is the difference in the pipelines, not in thread settings.
 *
 * `npx tsx bench/inference/paired.ts [passes] [--same-threads]`; prints a table, writes nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { recognizeText } from '../../lambdas/vision/ocr';
import { median, sum } from '../../test/support/stats';
import { TEXT_CASES } from './text-images';

const VISION = path.join(__dirname, '../..', 'test', 'fixtures', 'vision');
const FILES = [
  ...['person-astronaut.jpg', 'cat-chelsea.jpg', 'cup-coffee.jpg', 'motorcycle.jpg', 'text-page.png'],
  'illustration-dragon.jpg',
]
  .map((name) => path.join(VISION, name))
  .concat(TEXT_CASES.slice(1).map((c) => c.file));

interface Baseline {
  detect(bytes: Buffer): Promise<unknown>;
}

/** ESM-only, so loaded at run time (the name in a variable keeps tsc's CommonJS resolution out of it). */
const BASELINE = '@gutenye/ocr-node';
const OUR_THREADS = {
  intraOpNumThreads: 2,
  interOpNumThreads: 1,
  extra: { session: { intra_op: { allow_spinning: '0' } } },
};

/** The core's decode (as bench/inference/worker.ts times it), then our OCR on that raster. */
async function ours(bytes: Buffer): Promise<void> {
  const { data, info } = await sharp(bytes, { failOn: 'warning', sequentialRead: true, pages: 1 })
    .autoOrient()
    .resize({ width: 1024, height: 1024, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  await recognizeText({ data, width: info.width, height: info.height, channels: 3 });
}

async function main(): Promise<void> {
  const passes = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 5);
  const sameThreads = process.argv.includes('--same-threads');
  const { default: Ocr } = (await import(BASELINE)) as { default: { create(o?: object): Promise<Baseline> } };
  const baseline = await Ocr.create(sameThreads ? { onnxOptions: OUR_THREADS } : {});
  const inputs = FILES.map((file) => ({ file, bytes: readFileSync(file) }));
  for (const { bytes } of inputs) {
    await ours(bytes);
    await baseline.detect(bytes);
  }
  const ms: Record<string, { ours: number[]; baseline: number[] }> = Object.fromEntries(
    inputs.map(({ file }) => [file, { ours: [], baseline: [] }]),
  );
  const time = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };
  for (let pass = 0; pass < passes; pass++) {
    for (const { file, bytes } of inputs) {
      const entry = ms[file] as { ours: number[]; baseline: number[] };
      if (pass % 2 === 0) {
        entry.ours.push(await time(() => ours(bytes)));
        entry.baseline.push(await time(() => baseline.detect(bytes)));
      } else {
        entry.baseline.push(await time(() => baseline.detect(bytes)));
        entry.ours.push(await time(() => ours(bytes)));
      }
    }
  }
  const rows = inputs.map(({ file }) => {
    const entry = ms[file] as { ours: number[]; baseline: number[] };
    return { image: path.basename(file), ours: median(entry.ours), baseline: median(entry.baseline) };
  });
  const lines = [
    `| image | ours incl. decode, median ms | @gutenye/ocr-node, median ms | speed-up |`,
    '| --- | --- | --- | --- |',
    ...rows.map(
      (r) => `| ${r.image} | ${r.ours.toFixed(0)} | ${r.baseline.toFixed(0)} | ${(r.baseline / r.ours).toFixed(2)}x |`,
    ),
    `| **all images (sum of medians)** | ${sum(rows.map((r) => r.ours)).toFixed(0)} | ${sum(rows.map((r) => r.baseline)).toFixed(0)} | **${(sum(rows.map((r) => r.baseline)) / sum(rows.map((r) => r.ours))).toFixed(2)}x** |`,
  ];
  process.stdout.write(
    `${passes} passes, calls paired and alternating; baseline threads: ${sameThreads ? 'ours (2, no spinning)' : 'its defaults'}\n\n${lines.join('\n')}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
