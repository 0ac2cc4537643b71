import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import sharp from 'sharp';
import { type AnalysisRecord, type AnalyzeOptions, analyzeImage } from '../core';
import { type ClassifierConfig, ClassifierConfigSchema } from '../vision/classifier-config';
import { expandInputs, mapInOrder } from './inputs';
import type { UploadFlags } from './upload';

/** Exit codes: every file PROCESSED, some file REJECTED or FAILED, or the command line was wrong. */
export const EXIT = { ok: 0, someNotProcessed: 1, usage: 2 } as const;

type CliRecord = { file: string } & (AnalysisRecord | { status: 'FAILED'; error: { code: string; message: string } });

interface AnalyzeFlags {
  thumbnails?: string;
  concurrency: number;
  maxPixels?: number;
  sizes?: number[];
  webpEffort?: number;
  gps?: boolean;
  pretty?: boolean;
  inference: 'onnx' | 'none';
  classifier?: string;
}

type Offline = typeof import('../vision/offline');

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
};
const sizeList = (value: string): number[] => value.split(',').map((part) => positiveInt(part.trim()));

/** Runs the CLI on `argv` (without node and script) and resolves to its exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('image-intel')
    .description('Analyse images locally: metadata, hashes, palette, brightness and WebP thumbnails, as NDJSON.')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  program
    .command('analyze')
    .description('print one JSON record per file (folders are walked recursively), in input order')
    .argument('<paths...>', 'image files or folders')
    .option('--thumbnails <dir>', 'write the WebP thumbnails into this folder')
    .addOption(
      new Option('--concurrency <n>', 'images analysed at once').argParser(positiveInt).default(availableParallelism()),
    )
    .option('--max-pixels <n>', 'refuse images with more pixels than this (default 100000000)', positiveInt)
    .option('--sizes <list>', 'thumbnail longest sides, comma-separated (default 128,512,1024)', sizeList)
    .option('--webp-effort <n>', 'WebP effort 0-6 (default 4; 2 is about twice as fast)', Number)
    .option('--gps', 'include EXIF GPS coordinates in the records')
    .addOption(
      new Option(
        '--inference <provider>',
        'vision: onnx runs the bundled models (objects, faces, text, moderation); none loads no model',
      )
        .choices(['onnx', 'none'])
        .default('none'),
    )
    .option('--classifier <config.json>', 'with --inference onnx: your own ONNX classifier (see README)')
    .option('--pretty', 'indent each record (no longer one line per record)')
    .action(async (paths: string[], flags: AnalyzeFlags) => {
      exitCode = await analyzeCommand(paths, flags);
    });

  program
    .command('upload')
    .description('upload files through a running API (npm start, or a deployed stack) and print their records')
    .argument('<files...>', 'image files')
    .requiredOption('--api <url>', 'the API base URL, e.g. http://localhost:3000')
    .option('--api-key <key>', 'x-api-key header (auth=apikey)')
    .option('--token <jwt>', 'Authorization header: a Cognito ID token (auth=cognito)')
    .option('--no-wait', 'print the image ids without waiting for processing')
    .addOption(new Option('--timeout <s>', 'seconds to wait for each image').argParser(positiveInt).default(120))
    .action(async (files: string[], flags: UploadFlags) => {
      const { uploadCommand } = await import('./upload');
      const ok = await uploadCommand(files, flags, (line) => process.stdout.write(`${line}\n`));
      exitCode = ok ? EXIT.ok : EXIT.someNotProcessed;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
  return exitCode;
}

async function analyzeCommand(paths: string[], flags: AnalyzeFlags): Promise<number> {
  const files = await expandInputs(paths);
  if (files.length === 0) {
    process.stderr.write('image-intel: no files found in the given folders\n');
    return EXIT.usage;
  }
  const options: AnalyzeOptions = {
    ...(flags.maxPixels && { maxPixels: flags.maxPixels }),
    ...(flags.sizes && { thumbnailSizes: flags.sizes }),
    ...(flags.webpEffort !== undefined && { webpEffort: flags.webpEffort }),
    includeGps: flags.gps ?? false,
    keepRaster: flags.inference === 'onnx',
  };
  // Loaded only when asked for: ONNX Runtime and the models cost time and memory `--inference none` never pays.
  const offline = flags.inference === 'onnx' ? await import('../vision/offline') : undefined;
  if (flags.classifier && !offline) {
    process.stderr.write('image-intel: --classifier needs --inference onnx\n');
    return EXIT.usage;
  }
  const classifier = flags.classifier ? await readClassifierConfig(flags.classifier) : undefined;
  if (classifier instanceof Error) {
    process.stderr.write(`image-intel: ${classifier.message}\n`);
    return EXIT.usage;
  }
  if (flags.thumbnails) await mkdir(flags.thumbnails, { recursive: true });
  // Each image already fans its encodes out over the libuv pool; keep libvips from oversubscribing it.
  sharp.concurrency(1);

  const progress = process.stderr.isTTY
    ? new SingleBar({ format: '{bar} {value}/{total} images', hideCursor: true })
    : undefined;
  progress?.start(files.length, 0);
  let failures = 0;
  await mapInOrder(
    files,
    flags.concurrency,
    (file) => analyzeFile(file, options, flags.thumbnails, offline, classifier),
    (record) => {
      if (record.status !== 'PROCESSED') failures++;
      process.stdout.write(`${JSON.stringify(record, null, flags.pretty ? 2 : undefined)}\n`);
      progress?.increment();
    },
  );
  progress?.stop();
  if (failures > 0) process.stderr.write(`image-intel: ${failures} of ${files.length} files were not processed\n`);
  return failures > 0 ? EXIT.someNotProcessed : EXIT.ok;
}

/** The classifier's JSON config, its relative paths taken from the config file's folder. */
async function readClassifierConfig(path: string): Promise<ClassifierConfig | Error> {
  try {
    const raw = JSON.parse(await readFile(path, 'utf8'));
    const config = ClassifierConfigSchema.parse(raw);
    return {
      ...config,
      modelPath: resolve(dirname(path), config.modelPath),
      labelsPath: resolve(dirname(path), config.labelsPath),
    };
  } catch (error) {
    return new Error(`bad --classifier config ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function analyzeFile(
  file: string,
  options: AnalyzeOptions,
  thumbnailDir: string | undefined,
  offline: Offline | undefined,
  classifier: ClassifierConfig | undefined,
): Promise<CliRecord> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const message = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    return { file, status: 'FAILED', error: { code: 'READ_FAILED', message } };
  }
  const { record, thumbnails, raster } = await analyzeImage(bytes, options);
  if (record.status !== 'PROCESSED') return { file, ...record };

  let vision: Awaited<ReturnType<Offline['analyzeOffline']>> | undefined;
  if (offline && raster) {
    try {
      vision = await offline.analyzeOffline(raster, record, { classifier });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { file, status: 'FAILED', error: { code: 'INFERENCE_FAILED', message } };
    }
  }
  if (!thumbnailDir) return { file, ...record, ...vision };

  // The hash prefix keeps same-named files from different folders apart.
  const stem = `${basename(file, extname(file))}-${record.hashes.sha256.slice(0, 8)}`;
  const written = await Promise.all(
    thumbnails.map(async ({ data, ...entry }) => {
      const path = join(thumbnailDir, `${stem}-${entry.size}.webp`);
      await writeFile(path, data);
      return { ...entry, path };
    }),
  );
  return { file, ...record, ...vision, thumbnails: written };
}
