import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import { calibrationDigest, thumbnailDigest, type VisionRecording } from '../../lambdas/local/recorded-vision';
import { CALIBRATION_ENV, type Calibration, CalibrationSchema } from '../../lambdas/vision/calibration';
import committedCalibration from '../../lambdas/vision/calibration.json';
import { analyzeThumbnail } from '../../lambdas/vision/functions/vision/analyze-stored-image';
import { visionThumbnail } from '../../lambdas/vision/vision-input';
import { FIXTURES, VISION_RECORDINGS } from '../fixtures';

/**
 * The offline models' answers for the fixtures the suites upload, which every runner a test starts replays
 * (lambdas/local/recorded-vision.ts): `npm run vision:record` makes the file again (after a model, a threshold or
 * the core's thumbnails change), and test/models/vision/recorded-vision.test.ts fails while it is out of date.
 */
export const RECORD_COMMAND = 'npm run vision:record';
const ROOT = path.join(__dirname, '../..');

/** The fixture folders the suites upload from (an image made at test time is not recorded: the models run). */
const RECORDED_FOLDERS = ['vision', 'photos', 'formats', 'places', 'raw', 'motion'];
const IMAGE = /\.(jpe?g|png|webp|gif|avif|heic|jxl|tiff?|dng|cr2|cr3|nef|arw|raf|orf)$/i;

export function recordedFixtures(): string[] {
  return RECORDED_FOLDERS.flatMap((folder) =>
    readdirSync(path.join(FIXTURES, folder))
      .filter((name) => IMAGE.test(name))
      .sort()
      .map((name) => `${folder}/${name}`),
  );
}

/**
 * What the vision function answers for a fixture uploaded with the default settings (its faces described unless
 * `describeFaces` is false), and the digest of the thumbnail it is given: the processor's decode (as `decode.ts` calls the core), the largest
 * thumbnail, the models on its bytes as the function runs them. `undefined` for a file the core rejects.
 */
export async function answerFor(
  relative: string,
  { describeFaces = true, calibration }: { describeFaces?: boolean; calibration?: Calibration } = {},
): Promise<{ digest: string; vision: Record<string, unknown> } | undefined> {
  const thumbnail = await thumbnailOf(relative);
  if (!thumbnail) return undefined;
  const { data, colour } = thumbnail;
  // As for a photo whose up is known: files that differ in it make one thumbnail (formats/forest.png and
  // forest.tiff), and a replay keyed by the thumbnail cannot tell them apart. The look at a picture turned is the
  // models' subject, tested on the models themselves (test/models/vision/quarter-turns.test.ts).
  const vision = await analyzeThumbnail(data, colour, { describeFaces, calibration, orientationKnown: true });
  return { digest: thumbnailDigest(data), vision: vision as unknown as Record<string, unknown> };
}

/**
 * Each fixture's vision thumbnail and colour, made by the core once per process: they depend on the file's bytes
 * alone, not on the calibration or the options the models run with, so every recording (and every case of one
 * fixture) is checked against the same thumbnail the core makes now, without decoding the file again for each.
 */
const thumbnails = new Map<string, ReturnType<typeof makeThumbnail>>();

function thumbnailOf(relative: string): ReturnType<typeof makeThumbnail> {
  let made = thumbnails.get(relative);
  if (!made) {
    made = makeThumbnail(relative);
    thumbnails.set(relative, made);
  }
  return made;
}

/** The processor's decode of a fixture (as `decode.ts` calls the core) and its largest thumbnail; none if rejected. */
async function makeThumbnail(
  relative: string,
): Promise<{ data: Buffer; colour: Parameters<typeof analyzeThumbnail>[1] } | undefined> {
  const { record, thumbnails } = await analyzeImage(readFileSync(path.join(FIXTURES, relative)), { includeGps: true });
  if (record.status !== 'PROCESSED') return undefined;
  return {
    data: visionThumbnail(thumbnails).data,
    colour: { palette: record.palette, brightness: record.brightness },
  };
}

/** The calibration a recording's answers are made at: its file's, else the committed one (whatever the environment). */
export function calibrationOf(file: string | undefined): Calibration {
  return CalibrationSchema.parse(file ? JSON.parse(readFileSync(file, 'utf8')) : committedCalibration);
}

async function main(): Promise<void> {
  if (process.env[CALIBRATION_ENV]) process.stderr.write(`(${CALIBRATION_ENV} is ignored: each file names its own)\n`);
  for (const recording of VISION_RECORDINGS) {
    const calibration = calibrationOf(recording.calibration);
    const answers: VisionRecording['answers'] = {};
    for (const file of recordedFixtures()) {
      const answer = await answerFor(file, { calibration });
      if (answer) answers[answer.digest] = { file, vision: answer.vision };
    }
    const made = { made: RECORD_COMMAND, calibration: calibrationDigest(calibration), answers };
    writeFileSync(recording.file, JSON.stringify(made satisfies VisionRecording));
    // In the repository's JSON style, so a change to one answer is a readable diff.
    execFileSync(path.join(ROOT, 'node_modules/.bin/biome'), ['format', '--write', recording.file]);
    process.stderr.write(`${Object.keys(answers).length} answers in ${path.relative(ROOT, recording.file)}\n`);
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
