/**
 * The provenance bench (`npm run bench:provenance`): what reading an image's Content Credentials and XMP digital source
 * type (lambdas/provenance, the processor's `provenance` step) costs, beside the core's own analysis of the same bytes
 * in the same run, and beside c2pa-rs reading every file (no prefilter).
 *
 * 1. Inputs: the four camera-like 12 MP JPEGs (bench/support/camera-corpus.ts: photos of bench/accuracy/set/eval,
 *    sources listed there), each plain, signed as a generator's (c2pa-rs, test certificate made in this run), an edit
 *    of a signed capture (its ingredient embedded), and tampered; and a 2 MP PNG of each with only an XMP source type.
 * 2. Time `readProvenance` per kind (median and p95 over ROUNDS calls each), and `analyzeImage` on the same bytes.
 * 3. A child process each for the cold start: the first read of a signed 12 MP image (c2pa-rs's module compiled)
 *    and of a plain one, with the memory each adds.
 * 4. Write results.json and results.md.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WasmReader } from '@contentauth/c2pa-wasm';
import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import type { ImageFormat } from '../../lambdas/core/record';
import { readManifestStore } from '../../lambdas/provenance/c2pa';
import { readProvenance } from '../../lambdas/provenance/read-provenance';
import { describeMachine, loadAverages } from '../../test/support/machine';
import { table } from '../../test/support/markdown';
import { credentialFixtures, xmpOnlyPng } from '../../test/support/provenance';
import { median } from '../../test/support/stats';
import { PRICES } from '../support/aws-assumptions';
import { ensureCameraPhotos } from '../support/camera-corpus';

const ROUNDS = 20;
const CORE_ROUNDS = 3;
const MEMORY_GB = 3008 / 1024;
const COLD = path.join(__dirname, 'cold.ts');

interface Input {
  kind: string;
  format: ImageFormat;
  files: Buffer[];
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] as number;
}

async function timed(work: () => Promise<unknown>, rounds: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return times;
}

async function inputs(): Promise<Input[]> {
  const photos = (await ensureCameraPhotos()).map((file) => readFileSync(file));
  const signed = await Promise.all(photos.map((photo) => credentialFixtures(photo)));
  const smaller = await Promise.all(photos.map((photo) => sharp(photo).resize(1732, 1155).jpeg().toBuffer()));
  return [
    { kind: 'plain JPEG, 12 MP', format: 'jpeg', files: photos },
    { kind: "generator's credentials (AI-generated), 12 MP", format: 'jpeg', files: signed.map((s) => s.generated) },
    { kind: 'an edit, its signed capture embedded, 12 MP', format: 'jpeg', files: signed.map((s) => s.edited) },
    { kind: 'tampered credentials, 12 MP', format: 'jpeg', files: signed.map((s) => s.tampered) },
    {
      kind: 'XMP source type only, PNG 2 MP',
      format: 'png',
      files: await Promise.all(smaller.map((p) => xmpOnlyPng(p))),
    },
    { kind: 'plain PNG, 2 MP', format: 'png', files: await Promise.all(smaller.map((p) => sharp(p).png().toBuffer())) },
  ];
}

/** The first read in a fresh process of the file's bytes, written here so that the child signs nothing itself. */
function cold(bytes: Buffer): { firstMs: number; rssAddedMb: number } {
  const file = path.join(tmpdir(), `provenance-cold-${process.pid}.jpg`);
  writeFileSync(file, bytes);
  const out = execFileSync(process.execPath, ['--import', 'tsx', COLD, file], { encoding: 'utf8' });
  rmSync(file);
  return JSON.parse(out.trim().split('\n').pop() as string);
}

async function main(): Promise<void> {
  const all = await inputs();
  // Warm both: the module compiled, sharp's pool up.
  await readProvenance(all[1]?.files[0] as Buffer, 'jpeg');
  const rows = [];
  for (const input of all) {
    const reads: number[] = [];
    const core: number[] = [];
    const everyFile: number[] = [];
    for (const bytes of input.files) {
      reads.push(...(await timed(() => readProvenance(bytes, input.format), ROUNDS)));
      core.push(...(await timed(() => analyzeImage(bytes), CORE_ROUNDS)));
      // The baseline without the prefilter: c2pa-rs handed every file, as a reader that asks it first would do.
      everyFile.push(
        ...(await timed(async () => {
          const mediaType = input.format === 'png' ? 'image/png' : 'image/jpeg';
          try {
            (await WasmReader.fromBytes(mediaType, new Uint8Array(bytes))).free();
          } catch {
            // No manifest: what a plain file answers.
          }
        }, ROUNDS)),
      );
    }
    const summary = (await readProvenance(input.files[0] as Buffer, input.format)).summary;
    rows.push({
      kind: input.kind,
      summary,
      bytes: Math.round(median(input.files.map((f) => f.length))),
      readMedianMs: round(median(reads)),
      readP95Ms: round(p95(reads)),
      c2paEveryFileMedianMs: round(median(everyFile)),
      coreMedianMs: round(median(core)),
      shareOfCore: round(median(reads) / median(core), 3),
    });
  }
  // Reading the store goes through c2pa-rs; the prefilter is the one branch a plain file takes.
  await readManifestStore(all[0]?.files[0] as Buffer, 'jpeg', {});
  const coldSigned = cold(all[1]?.files[0] as Buffer);
  const coldPlain = cold(all[0]?.files[0] as Buffer);
  const perThousand = (ms: number) => round((ms / 1000) * MEMORY_GB * PRICES.lambdaArmGbSecond * 1000, 5);
  const results = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    load: loadAverages(),
    command: 'npm run bench:provenance',
    rounds: ROUNDS,
    rows,
    cold: { signed: coldSigned, plain: coldPlain },
    costPer1000: Object.fromEntries(rows.map((row) => [row.kind, perThousand(row.readMedianMs)])),
  };
  writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(__dirname, 'results.md'), markdown(results));
  process.stdout.write(markdown(results));
}

function markdown(r: {
  date: string;
  machine: string;
  load: string;
  rows: Array<Record<string, string | number>>;
  cold: { signed: { firstMs: number; rssAddedMb: number }; plain: { firstMs: number; rssAddedMb: number } };
  costPer1000: Record<string, number>;
}): string {
  return [
    '# Provenance bench results',
    '',
    `\`npm run bench:provenance\`, ${r.date}, ${r.machine}, load ${r.load}. ${ROUNDS} reads of each of 4 files per kind.`,
    '',
    table(
      [
        'input',
        'summary',
        'median bytes',
        'read ms (median)',
        'read ms (p95)',
        'c2pa-rs on every file ms',
        'core ms',
        'read / core',
        '$ per 1,000 at 3,008 MB',
      ],
      r.rows.map((row) => [
        row.kind as string,
        row.summary as string,
        row.bytes as number,
        row.readMedianMs as number,
        row.readP95Ms as number,
        row.c2paEveryFileMedianMs as number,
        row.coreMedianMs as number,
        row.shareOfCore as number,
        r.costPer1000[row.kind as string] as number,
      ]),
    ),
    '',
    'Cold start (a fresh process, its first read):',
    '',
    table(
      ['first image', 'first read ms', 'RSS added MB'],
      [
        ['signed (c2pa-rs module compiled)', r.cold.signed.firstMs, r.cold.signed.rssAddedMb],
        ['plain (no module compiled)', r.cold.plain.firstMs, r.cold.plain.rssAddedMb],
      ],
    ),
    '',
  ].join('\n');
}

function round(value: number, digits = 2): number {
  const k = 10 ** digits;
  return Math.round(value * k) / k;
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
