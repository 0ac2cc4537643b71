/**
 * What one 12 MP photo costs the processor to analyse, by format: the same picture (a licensed photo of
 * test/fixtures/photos, enlarged to 4000 x 3000) as a JPEG (the baseline, libvips), a JPEG XL (libjxl's WASM build,
 * @jsquash/jxl) and, when heif-enc is installed (apt-get install libheif-examples), a 10-bit HEIC (libheif's WASM
 * build, heic-decode). Each figure is of a fresh process (one warm-up, then `--runs` timed analyses): analyzeImage's
 * whole time (decode, thumbnails, hashes, quality) and the process's peak RSS. Cost per 1,000 at the processor's
 * 2048 MB: ms x 2 GB x $0.0000166667 per GB-s.
 *
 * Usage: npx tsx bench/formats/decode.ts [--runs 3]. Writes results.md and results.json beside this file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';

const ROOT = path.join(__dirname, '../..');
const WORK = path.join(tmpdir(), 'image-intel-bench-formats');
const GB_SECOND = 0.0000166667;
const PROCESSOR_GB = 2;

interface Figure {
  format: string;
  file: string;
  bytes: number;
  medianMs: number;
  peakRssMb: number;
}

async function one(file: string, runs: number): Promise<void> {
  const bytes = readFileSync(file);
  const first = await analyzeImage(bytes);
  if (first.record.status !== 'PROCESSED') throw new Error(`${file}: ${JSON.stringify(first.record)}`);
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await analyzeImage(bytes);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)] as number;
  process.stdout.write(JSON.stringify({ medianMs, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function corpus(): Promise<Array<{ format: string; file: string }>> {
  mkdirSync(WORK, { recursive: true });
  const png = path.join(WORK, 'photo-12mp.png');
  if (!existsSync(png)) {
    await sharp(path.join(ROOT, 'test/fixtures/photos/pier.jpg'))
      .resize(4000, 3000, { fit: 'cover' })
      .png()
      .toFile(png);
  }
  const jpeg = path.join(WORK, 'photo-12mp.jpg');
  if (!existsSync(jpeg)) await sharp(png).jpeg({ quality: 85 }).toFile(jpeg);
  const jxl = path.join(WORK, 'photo-12mp.jxl');
  if (!existsSync(jxl)) {
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const encoder = (await import('@jsquash/jxl/encode.js')) as unknown as {
      init(module: WebAssembly.Module): Promise<unknown>;
      default(image: { data: Uint8ClampedArray; width: number; height: number }, options: object): Promise<ArrayBuffer>;
    };
    const wasm = (globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<WebAssembly.Module> } })
      .WebAssembly;
    await encoder.init(await wasm.compile(readFileSync(require.resolve('@jsquash/jxl/codec/enc/jxl_enc.wasm'))));
    const image = { data: new Uint8ClampedArray(data), width: info.width, height: info.height };
    writeFileSync(jxl, Buffer.from(await encoder.default(image, { quality: 85, effort: 3 })));
  }
  const files = [
    { format: 'jpeg', file: jpeg },
    { format: 'jxl', file: jxl },
  ];
  const heic = path.join(WORK, 'photo-12mp-10bit.heic');
  if (!existsSync(heic) && hasHeifEnc()) {
    const png16 = path.join(WORK, 'photo-12mp-16.png');
    await sharp(png).toColourspace('rgb16').png().toFile(png16);
    execFileSync('heif-enc', ['-b', '10', '-q', '85', png16, '-o', heic]);
  }
  if (existsSync(heic)) files.push({ format: 'heic (10-bit)', file: heic });
  return files;
}

function hasHeifEnc(): boolean {
  return spawnSync('heif-enc', ['--version']).error === undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runs = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
  if (args[0] === '--one') return one(args[1] as string, runs);
  const figures: Figure[] = [];
  for (const { format, file } of await corpus()) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, __filename, '--one', file, '--runs', String(runs)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    if (child.status !== 0) throw new Error(`${format}: ${child.stderr}`);
    const measured = JSON.parse(child.stdout) as Pick<Figure, 'medianMs' | 'peakRssMb'>;
    figures.push({ format, file: path.basename(file), bytes: readFileSync(file).length, ...measured });
  }
  const rows = figures.map((figure) => {
    const perThousand = (figure.medianMs / 1000) * PROCESSOR_GB * GB_SECOND * 1000;
    return `| ${figure.format} | ${(figure.bytes / 1024).toFixed(0)} KB | ${figure.medianMs.toFixed(0)} ms | ${figure.peakRssMb.toFixed(0)} MB | $${perThousand.toFixed(4)} |`;
  });
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
  const table = [
    `Analysis of one 12 MP photo (4000 x 3000), median of ${runs} runs in a fresh process each; ${machine}.`,
    '',
    '| format | file | analyzeImage | peak RSS | per 1,000 at 2048 MB |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
  const out = path.join(__dirname, 'results.md');
  writeFileSync(
    out,
    `# Decode cost by format\n\nCommand: \`npx tsx bench/formats/decode.ts --runs ${runs}\`\n\n${table}\n`,
  );
  writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify({ runs, machine, figures }, null, 2)}\n`);
  console.log(table);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
