/**
 * The provenance bench (`npm run bench:provenance`): what reading an image's Content Credentials and XMP digital source
 * type (lambdas/provenance, the processor's `provenance` step) costs, beside the core's own analysis of the same bytes
 * in the same run, and beside c2pa-rs called in this process, as the reader did before it ran c2pa-rs in a worker
 * thread (issue 75), on every file (no prefilter).
 *
 * 1. Inputs: the four camera-like 12 MP JPEGs (bench/support/camera-corpus.ts: photos of bench/accuracy/set/eval,
 *    sources listed there), each plain, signed as a generator's (c2pa-rs, test certificate made in this run), an edit
 *    of a signed capture (its ingredient embedded), and tampered; and a 2 MP PNG of each with only an XMP source type.
 * 2. Time per kind (median and p95 over ROUNDS calls each): `readProvenance`; its manifest store's read through the
 *    reader's thread (`readManifestStore`) and the same read in this process; `analyzeImage` on the same bytes.
 * 3. In child processes, running cold.ts bundled as the processor is (its thread's script bundled beside it): what a
 *    failed read costs the next one (a thread started again, the module already compiled); and, in a fresh process
 *    each, the first read of a signed 12 MP image (c2pa-rs's module compiled, its thread started), the same read in
 *    the process as before the thread, and of a plain one, with the memory each adds.
 * 4. Write results.json and results.md.
 */
import { execFileSync, execSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initSync, WasmReader } from '@contentauth/c2pa-wasm';
import { buildSync } from 'esbuild';
import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import type { ImageFormat } from '../../lambdas/core/record';
import { readManifestStore } from '../../lambdas/provenance/c2pa';
import { readProvenance } from '../../lambdas/provenance/read-provenance';
import { C2PA_WASM_FILE, withC2paModule } from '../../lib/constructs/provenance-bundling';
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
const ROOT = path.join(__dirname, '../..');
/** Where the bundled cold.ts and its files go: under bench/corpus (ignored), so that sharp resolves from the project. */
const ASSET = path.join(ROOT, 'bench/corpus/provenance-cold');

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

/** The manifest store's read in this process, as the reader made it before its thread: c2pa-rs's JSON, parsed. */
async function inProcess(bytes: Buffer, mediaType: string): Promise<void> {
  try {
    const reader = await WasmReader.fromBytes(mediaType, new Uint8Array(bytes), '{}');
    JSON.parse(reader.json());
    reader.free();
  } catch {
    // No manifest: what a plain file answers.
  }
}

/**
 * The processor's way to run the reader, for the cold starts: cold.ts bundled by esbuild as NodejsFunction bundles a
 * function, c2pa-rs's module copied and the worker thread's script bundled beside it by the processor's own bundling
 * commands (lib/constructs/provenance-bundling.ts), so the thread starts from its bundle, not through tsx.
 */
function coldAsset(): string {
  rmSync(ASSET, { recursive: true, force: true });
  buildSync({
    entryPoints: [COLD],
    outfile: path.join(ASSET, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    minify: true,
    external: ['sharp'],
    // Not its warning that require.resolve of c2pa-rs's package stays a call: in the asset, the module is beside.
    logLevel: 'error',
  });
  for (const command of withC2paModule(undefined).afterBundling(ROOT, ASSET)) execSync(command, { stdio: 'inherit' });
  return path.join(ASSET, 'index.js');
}

/** One run of the bundled cold.ts in a fresh process on the file's bytes, written here so the child signs nothing. */
function cold<T>(script: string, bytes: Buffer, how: 'thread' | 'in-process' | 'restart'): T {
  const file = path.join(tmpdir(), `provenance-cold-${process.pid}.jpg`);
  writeFileSync(file, bytes);
  const out = execFileSync(process.execPath, [script, file, how], { encoding: 'utf8' });
  rmSync(file);
  return JSON.parse(out.trim().split('\n').pop() as string);
}

async function main(): Promise<void> {
  const all = await inputs();
  // The signing above instantiated c2pa-rs in this process already; the in-process baseline reads with that module.
  initSync({ module: readFileSync(C2PA_WASM_FILE) });
  // Warm both: the module compiled, the reader's thread started, sharp's pool up.
  await readProvenance(all[1]?.files[0] as Buffer, 'jpeg');
  const rows = [];
  for (const input of all) {
    const reads: number[] = [];
    const core: number[] = [];
    const thread: number[] = [];
    const here: number[] = [];
    const mediaType = input.format === 'png' ? 'image/png' : 'image/jpeg';
    for (const bytes of input.files) {
      reads.push(...(await timed(() => readProvenance(bytes, input.format), ROUNDS)));
      core.push(...(await timed(() => analyzeImage(bytes), CORE_ROUNDS)));
      // The manifest store alone, round by round so that the machine's load weighs on both alike: through the thread
      // (a plain file never reaches it), and in this process, as before, which for a plain file is also what the
      // reader would cost without its prefilter.
      for (let round = 0; round < ROUNDS; round++) {
        thread.push(...(await timed(() => readManifestStore(bytes, input.format, {}), 1)));
        here.push(...(await timed(() => inProcess(bytes, mediaType), 1)));
      }
    }
    const summary = (await readProvenance(input.files[0] as Buffer, input.format)).summary;
    rows.push({
      kind: input.kind,
      summary,
      bytes: Math.round(median(input.files.map((f) => f.length))),
      readMedianMs: round(median(reads)),
      readP95Ms: round(p95(reads)),
      storeThreadMedianMs: round(median(thread)),
      storeInProcessMedianMs: round(median(here)),
      coreMedianMs: round(median(core)),
      shareOfCore: round(median(reads) / median(core), 3),
    });
  }
  const script = coldAsset();
  const signed = all[1]?.files[0] as Buffer;
  const { restartMs } = cold<{ restartMs: number }>(script, signed, 'restart');
  const coldSigned = cold<Cold>(script, signed, 'thread');
  const coldInProcess = cold<Cold>(script, signed, 'in-process');
  const coldPlain = cold<Cold>(script, all[0]?.files[0] as Buffer, 'thread');
  const perThousand = (ms: number) => round((ms / 1000) * MEMORY_GB * PRICES.lambdaArmGbSecond * 1000, 5);
  const results = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    load: loadAverages(),
    command: 'npm run bench:provenance',
    rounds: ROUNDS,
    rows,
    restartMs,
    cold: { signed: coldSigned, signedInProcess: coldInProcess, plain: coldPlain },
    costPer1000: Object.fromEntries(rows.map((row) => [row.kind, perThousand(row.readMedianMs)])),
  };
  writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(__dirname, 'results.md'), markdown(results));
  process.stdout.write(markdown(results));
}

interface Cold {
  firstMs: number;
  rssAddedMb: number;
}

function markdown(r: {
  date: string;
  machine: string;
  load: string;
  rows: Array<Record<string, string | number>>;
  restartMs: number;
  cold: { signed: Cold; signedInProcess: Cold; plain: Cold };
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
        'store read, thread ms',
        'store read, in-process ms',
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
        row.storeThreadMedianMs as number,
        row.storeInProcessMedianMs as number,
        row.coreMedianMs as number,
        row.shareOfCore as number,
        r.costPer1000[row.kind as string] as number,
      ]),
    ),
    '',
    "Store read: the manifest store alone (median ms), through the reader's thread (a plain file never reaches it: " +
      'the prefilter answers), and c2pa-rs called in this process, as the reader did before the thread (for a plain ' +
      'file, what it would cost without the prefilter).',
    '',
    `After a failed read, the next one starts a new thread: a signed read then takes ${r.restartMs} ms (median).`,
    '',
    'Cold start (a fresh process, its first read):',
    '',
    table(
      ['first image', 'first read ms', 'RSS added MB'],
      [
        ['signed (module compiled, thread started)', r.cold.signed.firstMs, r.cold.signed.rssAddedMb],
        [
          'signed, c2pa-rs in the process (before the thread)',
          r.cold.signedInProcess.firstMs,
          r.cold.signedInProcess.rssAddedMb,
        ],
        ['plain (no module compiled, no thread)', r.cold.plain.firstMs, r.cold.plain.rssAddedMb],
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
