import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import sharp from 'sharp';
import { analyzeImage, type Thumbnail } from '../../core/analysis/analyze';
import type { AnalyzeOptions } from '../../core/options';
import type { AnalysisRecord, ProcessedRecord } from '../../core/record';
import { locate, photoPosition } from '../../places/name-place';
import { openGeocoder } from '../../places/open';
import { type ProvenanceOptions, readProvenance } from '../../provenance/read-provenance';
import { trustAnchorsProblem } from '../../provenance/trust-anchors-contract';
import { likelyResultsOf } from '../../search/likely';
import { DEFAULT_SETTINGS } from '../../settings';
import { rawUploadBytes } from '../../settings/uploads';
import { type ClassifierConfig, ClassifierConfigSchema } from '../../vision/classifier-config';
import { expandInputs, mapInOrder } from '../inputs';
import { type CliRecord, EXIT, Tally, unreadable } from '../record';

export interface AnalyzeFlags {
  thumbnails?: string;
  concurrency: number;
  maxPixels?: number;
  sizes?: number[];
  webpEffort?: number;
  /** The EXIF GPS coordinates in the record (`analysis.metadata.exif.gps`, and `position` as the API's). */
  gps?: boolean;
  /** `--no-place` makes it false: no `place` named from the GPS (default true, as the pipeline's `place` step). */
  place?: boolean;
  pretty?: boolean;
  inference: 'offline' | 'none';
  classifier?: string;
  /** With offline inference: describe the faces as faceGrouping does, and print only how many. */
  faces?: boolean;
  /** A PEM file of the certificates a signer must chain to for `valid` (the deployment's `provenanceTrustAnchors`). */
  trustAnchors?: string;
}

type Offline = typeof import('../../vision/offline');
type VisionInput = typeof import('../../vision/vision-input');

interface Analysis {
  options: AnalyzeOptions;
  thumbnailDir?: string;
  offline?: { models: Offline; input: VisionInput };
  classifier?: ClassifierConfig;
  describeFaces: boolean;
  /** What the record says of where the photo was taken: its coordinates (`--gps`), its place (unless `--no-place`). */
  location: { position: boolean; place: boolean };
  /** How Content Credentials are checked: against `--trust-anchors`, else none (every intact one `untrusted`). */
  provenance: ProvenanceOptions;
}

/**
 * `image-intel analyze`: one record per file, in input order, and the run's exit code.
 *
 * 1. Expand folders into files; load the offline models and the classifier only when asked for.
 * 2. Analyse the files `concurrency` at a time, printing each record as soon as it and all before it are done.
 * 3. Unless every file was processed, say on stderr what happened to them.
 */
export async function analyzeCommand(paths: string[], flags: AnalyzeFlags): Promise<number> {
  const files = await expandInputs(paths);
  if (files.length === 0) {
    process.stderr.write('image-intel: no files found in the given folders\n');
    return EXIT.usage;
  }
  // Loaded only when asked for: ONNX Runtime and the models cost time and memory `--inference none` never pays.
  const offline =
    flags.inference === 'offline'
      ? { models: await import('../../vision/offline'), input: await import('../../vision/vision-input') }
      : undefined;
  for (const [flag, given] of [
    ['--classifier', flags.classifier],
    ['--faces', flags.faces],
  ] as const) {
    if (given && !offline) {
      process.stderr.write(`image-intel: ${flag} needs --inference offline\n`);
      return EXIT.usage;
    }
  }
  const classifier = flags.classifier ? await readClassifierConfig(flags.classifier) : undefined;
  if (classifier instanceof Error) {
    process.stderr.write(`image-intel: ${classifier.message}\n`);
    return EXIT.usage;
  }
  const trustAnchors = flags.trustAnchors ? await readTrustAnchors(flags.trustAnchors) : undefined;
  if (trustAnchors instanceof Error) {
    process.stderr.write(`image-intel: ${trustAnchors.message}\n`);
    return EXIT.usage;
  }
  const analysis: Analysis = {
    options: {
      ...(flags.maxPixels && { maxPixels: flags.maxPixels }),
      ...(flags.sizes && { thumbnailSizes: flags.sizes }),
      ...(flags.webpEffort !== undefined && { webpEffort: flags.webpEffort }),
      // The processor's limits at the default settings: a camera RAW's is its own.
      maxBytes: DEFAULT_SETTINGS.maxUploadBytes,
      maxRawBytes: rawUploadBytes(DEFAULT_SETTINGS),
      // Read always: the place is named from it; the coordinates stay out of the record unless --gps.
      includeGps: true,
    },
    thumbnailDir: flags.thumbnails,
    offline,
    classifier,
    describeFaces: flags.faces ?? false,
    location: { position: flags.gps ?? false, place: flags.place ?? true },
    provenance: trustAnchors ? { trustAnchors } : {},
  };
  if (flags.thumbnails) await mkdir(flags.thumbnails, { recursive: true });
  // Each image already fans its encodes out over the libuv pool; keep libvips from oversubscribing it.
  sharp.concurrency(1);

  const progress = process.stderr.isTTY
    ? new SingleBar({ format: '{bar} {value}/{total} images', hideCursor: true })
    : undefined;
  progress?.start(files.length, 0);
  const tally = new Tally();
  await mapInOrder(
    files,
    flags.concurrency,
    (file) => analyzeFile(file, analysis),
    (record) => {
      tally.add(record);
      process.stdout.write(`${JSON.stringify(record, null, flags.pretty ? 2 : undefined)}\n`);
      progress?.increment();
    },
  );
  progress?.stop();
  const summary = tally.summary();
  if (summary) process.stderr.write(`image-intel: ${summary}\n`);
  return tally.exitCode;
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

/**
 * The `--trust-anchors` file's PEM text. A file that cannot be read, holds no certificate or one that is not X.509 is
 * a usage error: read as no anchors, every signer would quietly be `untrusted`.
 */
async function readTrustAnchors(path: string): Promise<string | Error> {
  try {
    const pem = await readFile(path, 'utf8');
    // The processor's own check of provenanceTrustAnchors: what it refuses at start, this refuses here.
    const problem = trustAnchorsProblem(pem);
    return problem ? new Error(`--trust-anchors ${path} ${problem}`) : pem;
  } catch (error) {
    return new Error(`--trust-anchors ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * One file's record, mapped as the processor maps an upload (`functions/processor/steps/`): the core's
 * record under `analysis`, a rejection or error lifted to the top beside `status`, its provenance read from the same
 * bytes by the same reader as the `provenance` step's, vision added to a PROCESSED image, and an inference error
 * recorded as `visionError` without failing the image.
 */
async function analyzeFile(file: string, analysis: Analysis): Promise<CliRecord> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return unreadable(file, error);
  }
  const analysed = await analyzeImage(bytes, analysis.options);
  const { thumbnails } = analysed;
  const located = whereTaken(analysed.record, analysis.location);
  const record = analysis.location.position ? analysed.record : withoutGps(analysed.record);
  if (record.status === 'REJECTED') return { file, status: 'REJECTED', analysis: record, rejection: record.rejection };
  if (record.status === 'FAILED') return { file, status: 'FAILED', analysis: record, error: record.error };

  const provenance = await readProvenance(bytes, record.metadata.format, analysis.provenance);
  const orientationKnown = analysed.orientationTagged === true;
  const seen = analysis.offline ? await see(analysis.offline, thumbnails, record, orientationKnown, analysis) : {};
  const written = analysis.thumbnailDir ? await writeThumbnails(file, record, thumbnails, analysis.thumbnailDir) : {};
  return { file, status: 'PROCESSED', analysis: record, ...located, provenance, ...seen, ...written };
}

/**
 * `position` and `place` as the processor's `place` step records them (a photo's own GPS: no owner's correction
 * here), each only when asked for: the coordinates with `--gps`, the place unless `--no-place`. The places data
 * (lambdas/places) is read on the first photo with a position, never for one without.
 */
function whereTaken(record: AnalysisRecord, wanted: Analysis['location']): Pick<CliRecord, 'position' | 'place'> {
  const gps = photoPosition(record);
  if (gps === undefined) return {};
  const place = wanted.place ? locate(gps, undefined, openGeocoder()).place : undefined;
  return { ...(wanted.position && { position: gps }), ...(place && { place }) };
}

/** The record without its EXIF GPS: what `analyze` printed before it named places, the coordinates left out. */
function withoutGps(record: AnalysisRecord): AnalysisRecord {
  if (record.status !== 'PROCESSED' || record.metadata.exif?.gps === undefined) return record;
  const { gps: _gps, ...exif } = record.metadata.exif;
  const metadata = { ...record.metadata };
  if (Object.keys(exif).length > 0) metadata.exif = exif;
  else delete metadata.exif;
  return { ...record, metadata };
}

/**
 * The offline models on the pixels a deployment gives them (vision-input.ts): the largest thumbnail just made,
 * decoded as the vision function decodes it, so the result is the one the pipeline records for the same file; and
 * its likely matches, as `GET /images/{id}` answers them.
 */
async function see(
  { models, input }: NonNullable<Analysis['offline']>,
  thumbnails: Thumbnail[],
  record: ProcessedRecord,
  orientationKnown: boolean,
  { classifier, describeFaces }: Pick<Analysis, 'classifier' | 'describeFaces'>,
): Promise<Pick<CliRecord, 'vision' | 'likely' | 'visionError' | 'faceCounts'>> {
  try {
    const raster = await input.visionRaster(input.visionThumbnail(thumbnails).data);
    const { faceDescriptions, ...vision } = await models.analyzeOffline(raster, record, {
      classifier,
      describeFaces,
      orientationKnown,
    });
    // A descriptor is biometric: the record says how many faces were described, never what they were.
    const counts = faceDescriptions && { described: faceDescriptions.faces.length, ...faceDescriptions.skipped };
    // What a search would find it by as likely, by the rule GET /images/{id} answers `likely` with.
    const likely = likelyResultsOf({ status: 'PROCESSED', vision });
    return { vision, ...(likely.length > 0 && { likely }), ...(counts && { faceCounts: counts }) };
  } catch (error) {
    const code = error instanceof Error ? error.name : 'Error';
    return { visionError: { code, message: error instanceof Error ? error.message : String(error) } };
  }
}

/** Writes the thumbnails beside each other; the hash prefix keeps same-named files from different folders apart. */
async function writeThumbnails(
  file: string,
  record: ProcessedRecord,
  thumbnails: Thumbnail[],
  dir: string,
): Promise<{ thumbnails: Record<string, string> }> {
  const stem = `${basename(file, extname(file))}-${record.hashes.sha256.slice(0, 8)}`;
  const written = await Promise.all(
    thumbnails.map(async ({ size, data }) => {
      const path = join(dir, `${stem}-${size}.webp`);
      await writeFile(path, data);
      return [String(size), path] as const;
    }),
  );
  return { thumbnails: Object.fromEntries(written) };
}
