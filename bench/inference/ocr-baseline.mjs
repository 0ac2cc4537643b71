/**
 * Benchmark child for the OCR baseline, @gutenye/ocr-node (ESM-only, hence a .mjs file). Same protocol as
 * `worker.ts`: the job is argv[2] as JSON, the answer one `RESULT <json>` line on stdout.
 *
 * 1. Cold start: time `Ocr.create()` (both ONNX sessions), then the first and a second call on a tiny image.
 * 2. Warm: every file read into memory first, warmed up once, then `passes` timed calls each; the text of the
 *    last call is kept.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const vmHwmMb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

const job = JSON.parse(process.argv[2]);
const importStarted = performance.now();
const { default: Ocr } = await import('@gutenye/ocr-node');
const importMs = performance.now() - importStarted;
const idleRssMb = vmHwmMb();

const createStarted = performance.now();
const ocr = await Ocr.create();
const createMs = performance.now() - createStarted;
const tiny = readFileSync(job.tiny);
let started = performance.now();
await ocr.detect(tiny);
const firstCallMs = performance.now() - started;
started = performance.now();
await ocr.detect(tiny);
const warmCallMs = performance.now() - started;
const loadedRssMb = vmHwmMb();

const inputs = job.files.map((file) => ({ file, bytes: readFileSync(file) }));
for (const { bytes } of inputs) await ocr.detect(bytes);
const samples = [];
const texts = {};
for (let pass = 0; pass < job.passes; pass++) {
  for (const { file, bytes } of inputs) {
    started = performance.now();
    const lines = await ocr.detect(bytes);
    samples.push({ file, ms: performance.now() - started });
    texts[file] = lines.map((l) => ({ text: l.text, score: l.mean }));
  }
}
const result = {
  cold: { importMs, createMs, firstCallMs, warmCallMs, idleRssMb, loadedRssMb },
  samples,
  texts,
  maxRssMb: vmHwmMb(),
};
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
