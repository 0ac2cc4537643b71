import { availableParallelism } from 'node:os';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { positiveInt } from '../arguments';
import { EXIT_HELP } from '../record';
import type { AnalyzeFlags } from './analyze';

const sizeList = (value: string): number[] => value.split(',').map((part) => positiveInt(part.trim()));

/** `offline` or `none`; `onnx` is the old name of `offline`, still accepted with a note on stderr. */
const inferenceProvider = (value: string): AnalyzeFlags['inference'] => {
  if (value === 'onnx') {
    process.stderr.write('image-intel: --inference onnx is deprecated, use --inference offline\n');
    return 'offline';
  }
  if (value !== 'offline' && value !== 'none') throw new InvalidArgumentError('Allowed choices are offline, none.');
  return value;
};

/** The analyze record, nested as the API's image record is (see ../record.ts). */
const RECORD_HELP = `
Each record is shaped like the API's image record, the core analysis nested:
  { file, status, analysis, position?, place?, provenance?, vision?, likely?,
    visionError?, faceCounts?, rejection?, error?, thumbnails? }
With --inference offline, likely lists what a search would find the image by
as likely (an object or label scored under the threshold it is shown at, from
the one a search finds it at), each {field, name, confidence, box?}.
A photo with EXIF GPS gets its place, named offline as the pipeline names it
(country, region, area, locality); its coordinates only with --gps.
Every processed file gets its provenance, read as the pipeline reads it: its
Content Credentials (C2PA) checked, else its XMP digital source type, summed
up as ai-generated, ai-edited, camera, edited or unknown. Without
--trust-anchors an intact manifest is untrusted; with the signer's root, valid.
`;

/** `image-intel analyze <paths...>`: local files analysed, no AWS; analyze.ts (sharp, the models) loads when it runs. */
export function addAnalyzeCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('analyze')
    .description('print one JSON record per file (folders are walked recursively), in input order')
    .summary('analyse local image files: one JSON record each')
    .argument('<paths...>', 'image files or folders')
    .option('--thumbnails <dir>', 'write the WebP thumbnails into this folder')
    .addOption(
      new Option('--concurrency <n>', 'images analysed at once').argParser(positiveInt).default(availableParallelism()),
    )
    .option('--max-pixels <n>', 'refuse images with more pixels than this (default 100000000)', positiveInt)
    .option('--sizes <list>', 'thumbnail longest sides, comma-separated (default 128,512,1024)', sizeList)
    .option('--webp-effort <n>', 'WebP effort 0-6 (default 4; 2 is about twice as fast)', Number)
    .option('--gps', 'include the EXIF GPS coordinates (analysis.metadata.exif.gps, and position) in the records')
    .option('--no-place', 'leave out the place named from the EXIF GPS (kept out of a record you share)')
    .addOption(
      new Option(
        '--inference <provider>',
        'vision: offline runs the bundled models (objects, faces, text, moderation); none loads no model (onnx: old name of offline)',
      )
        // The choices are for the help; the parser also takes the deprecated `onnx`.
        .choices(['offline', 'none'])
        .argParser(inferenceProvider)
        .default('none'),
    )
    .option('--classifier <config.json>', 'with --inference offline: your own ONNX classifier (see README)')
    .option(
      '--faces',
      'with --inference offline: describe the faces as faceGrouping does and print how many (faceCounts), never the descriptors',
    )
    .option(
      '--trust-anchors <pem>',
      "check Content Credentials against these certificates (the deployment's provenanceTrustAnchors file)",
    )
    .option('--pretty', 'indent each record (no longer one line per record)')
    .addHelpText('after', RECORD_HELP + EXIT_HELP)
    .action(async (paths: string[], flags: AnalyzeFlags) => {
      const { analyzeCommand } = await import('./analyze');
      exit(await analyzeCommand(paths, flags));
    });
}
