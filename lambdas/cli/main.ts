import { availableParallelism } from 'node:os';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { MAX_TOKEN_TTL_SECONDS } from '../local/token-request';
import { OwnerSchema } from '../store/owner';
import type { AnalyzeFlags } from './analyze';
import { withApiOptions, withAuthOptions } from './api-options';
import { positiveInt, wholeNumber } from './arguments';
import type { BackfillFlags } from './backfill';
import { BACKFILL_EXIT_HELP } from './backfill-help';
import { addPeopleCommands } from './people-commands';
import { addPlaceCommand } from './place';
import { PLACES_EXIT_HELP, type PlacesFlags } from './places';
import { addPolicyCommands } from './policy';
import { EXIT, EXIT_HELP } from './record';
import { RENDER_EXIT_HELP, type RenderFlags, renditionOptions } from './render-flags';
import { type Filter, RESERVED_FILTERS, SEARCH_EXIT_HELP, type SearchFlags } from './search';
import { SIMILAR_EXIT_HELP, type SimilarFlags } from './similar';
import type { SmokeFlags } from './smoke';
import { SMOKE_EXIT_HELP } from './smoke-help';
import { TOKEN_EXIT_HELP, type TokenFlags } from './token';
import type { UploadFlags } from './upload';
import { addWebhooksCommands } from './webhooks-commands';

export { EXIT } from './record';

const tokenTtl = (value: string): number => {
  const n = positiveInt(value);
  if (n > MAX_TOKEN_TTL_SECONDS) throw new InvalidArgumentError(`must be at most ${MAX_TOKEN_TTL_SECONDS} (a day)`);
  return n;
};
/** The user a token is for becomes the owner id of what they upload, so it must be one. */
const ownerId = (value: string): string => {
  const parsed = OwnerSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'not an owner id');
  return parsed.data;
};
const sizeList = (value: string): number[] => value.split(',').map((part) => positiveInt(part.trim()));

/** `--meta key=value`, repeatable: split at the first `=` (a value may hold more); the API checks the rest. */
const metaEntry = (entry: string, meta: Record<string, string> = {}): Record<string, string> => {
  const at = entry.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('must be key=value');
  return Object.fromEntries([...Object.entries(meta), [entry.slice(0, at), entry.slice(at + 1)]]);
};

/**
 * A search filter `key=value`, split at the first `=`, or words to search for (`q`); the API checks the key and the
 * value (docs/api.md).
 */
const filterEntry = (entry: string, filters: Filter[] = []): Filter[] => {
  const at = entry.indexOf('=');
  if (at < 0) return [...filters, ['q', entry]];
  if (at < 1) throw new InvalidArgumentError('must be key=value, e.g. label=cat, or words to search for');
  const name = entry.slice(0, at);
  const reserved = RESERVED_FILTERS[name];
  if (reserved) throw new InvalidArgumentError(`${name}: ${reserved}`);
  return [...filters, [name, entry.slice(at + 1)]];
};

/** `offline` or `none`; `onnx` is the old name of `offline`, still accepted with a note on stderr. */
const inferenceProvider = (value: string): AnalyzeFlags['inference'] => {
  if (value === 'onnx') {
    process.stderr.write('image-intel: --inference onnx is deprecated, use --inference offline\n');
    return 'offline';
  }
  if (value !== 'offline' && value !== 'none') throw new InvalidArgumentError('Allowed choices are offline, none.');
  return value;
};

/** The analyze record, nested as the API's image record is (see record.ts). */
const RECORD_HELP = `
Each record is shaped like the API's image record, the core analysis nested:
  { file, status, analysis, vision?, visionError?, faceCounts?, rejection?,
    error?, thumbnails? }
`;

/** After the top-level help's list of commands: each command has its own options and exit codes. */
const TOP_HELP = `
Each command has its own options and exit codes: image-intel <command> --help.
Installed outside a checkout: npm install -g image-intel-<version>.tgz (npm pack
makes it) or npm install -g . in one (docs/local.md#installing-the-cli).
`;

/** Runs the CLI on `argv` (without node and script) and resolves to its exit code. */
export async function main(argv: string[]): Promise<number> {
  // `image-intel analyze ... | head` closes the pipe early: that is the reader's choice, not an error to report.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(EXIT.ok);
  });
  let exitCode: number = EXIT.ok;
  const program = new Command('image-intel')
    .description(
      'Image intelligence on local files (analyze, render), and through a running image-intel API, deployed or the ' +
        'local runner: upload, search, similar, places, people, place, webhooks, smoke, backfill and token.',
    )
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', TOP_HELP);
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
    .option('--gps', 'include EXIF GPS coordinates in the records')
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
    .option('--pretty', 'indent each record (no longer one line per record)')
    .addHelpText('after', RECORD_HELP + EXIT_HELP)
    .action(async (paths: string[], flags: AnalyzeFlags) => {
      const { analyzeCommand } = await import('./analyze');
      exitCode = await analyzeCommand(paths, flags);
    });

  const render = program
    .command('render')
    .description(
      'render one rendition of a local image file, no AWS: the spec of POST /images/{id}/renditions as flags ' +
        '(docs/renditions.md)',
    )
    .summary('render one rendition of a local image file')
    .argument('<file>', 'an image file')
    .requiredOption(
      '-o, --output <file>',
      'where to write it (- : stdout); its extension (.jpg .jpeg .png .webp .avif; any other is refused) gives the format',
    );
  // A flag per rendition parameter (core/rendition-params.ts), in the URL's order.
  for (const { flags, help } of renditionOptions()) render.option(flags, help);
  render
    .option('--watermark-text <text>', 'a text drawn as the watermark (--watermark: an image file)')
    .option('--max-pixels <n>', 'refuse images with more pixels than this (default 100000000)', positiveInt)
    .addHelpText('after', RENDER_EXIT_HELP)
    .action(async (file: string, flags: RenderFlags) => {
      const { renderCommand } = await import('./render');
      exitCode = await renderCommand(file, flags);
    });

  withApiOptions(program.command('upload'))
    .description(
      'upload files through a running API (npm start, or a deployed stack) and print their records, as the API ' +
        'shows them, with the file first',
    )
    .summary('upload files through an API, print records')
    .argument('<files...>', 'image files')
    .option('--no-wait', 'print each image PENDING, with its id, without waiting for processing')
    .addOption(new Option('--timeout <s>', 'seconds to wait for each image').argParser(positiveInt).default(120))
    .option(
      '--tag <tag>',
      'a tag for every file (repeatable; at most 20, each at most 64 characters)',
      (tag: string, tags: string[] = []) => [...tags, tag],
    )
    .option(
      '--meta <key=value>',
      'a metadata entry for every file (repeatable; keys of A-Z a-z 0-9 _ . : -, at most 20, 2 KB in all)',
      metaEntry,
    )
    .addOption(
      new Option(
        '--duplicates <choice>',
        'skip: do not upload a file you already have (it is reported); keep: upload it',
      )
        .choices(['skip', 'keep'])
        .default('skip'),
    )
    .addHelpText('after', EXIT_HELP)
    .action(async (files: string[], flags: UploadFlags) => {
      const { uploadCommand } = await import('./upload');
      exitCode = await uploadCommand(files, flags);
    });

  withApiOptions(program.command('search'))
    .description(
      'print the images matching the filters through a running API, newest first, one JSON record per line (the ' +
        'record GET /images/{id} answers; with --summary the list item)',
    )
    .summary("search an API's images: one record a line")
    .addArgument(
      new Argument(
        '[filters...]',
        'words to search for and key=value filters, e.g. "dog beach" color=red (none: every image)',
      ).argParser(filterEntry),
    )
    .option('--limit <n>', 'print at most this many records (default: every match)', positiveInt)
    .option('--summary', 'print the items as the list gives them, without fetching each record')
    .addHelpText('after', SEARCH_EXIT_HELP)
    .action(async (filters: Filter[], flags: SearchFlags) => {
      const { searchCommand } = await import('./search');
      exitCode = await searchCommand(filters, flags);
    });

  withApiOptions(program.command('similar'))
    .description(
      "print the images that look like this one (the caller's own), nearest first, one JSON line each: " +
        '{imageId, filename, distance, duplicate}',
    )
    .summary('the images that look like one, nearest first')
    .argument('<imageId>', 'the image to compare with (a PROCESSED one)')
    .option(
      '--max-distance <n>',
      'largest Hamming distance between perceptual hashes, 0 to 11 (default 6)',
      wholeNumber,
    )
    .option('--limit <n>', 'print at most this many, 1 to 100 (default 20)', positiveInt)
    .addHelpText('after', SIMILAR_EXIT_HELP)
    .action(async (imageId: string, flags: SimilarFlags) => {
      const { similarCommand } = await import('./similar');
      exitCode = await similarCommand(imageId, flags);
    });

  withApiOptions(program.command('places'))
    .description(
      'print the places your photos were taken at with how many each, by country, region and locality, and the ' +
        '`search` filters that list them (docs/places.md)',
    )
    .summary('your places, with how many photos each')
    .option('--owner <owner>', "admins: this owner's places")
    .addHelpText('after', PLACES_EXIT_HELP)
    .action(async (flags: PlacesFlags) => {
      const { placesCommand } = await import('./places');
      exitCode = await placesCommand(flags);
    });

  withAuthOptions(
    program
      .command('smoke')
      .description(
        'check a deployment end to end, right after cdk deploy: subscribe to its events, upload a probe image, ' +
          'wait for it to be processed, search, render and delete it, one line per step',
      )
      .summary('check a deployment (or a runner) end to end')
      .addOption(
        new Option('--stack <name>', "a deployed stack's name: its outputs come from CloudFormation").conflicts('api'),
      )
      .addOption(
        new Option('--region <region>', "the stack's Region (default: AWS_REGION or your profile's)").conflicts('api'),
      )
      .option('--api <url>', 'the local runner (npm start), e.g. http://localhost:3000, instead of a stack'),
  )
    .addOption(
      new Option('--timeout <s>', 'seconds to wait for processing, and for the event')
        .argParser(positiveInt)
        .default(120),
    )
    .addHelpText('after', SMOKE_EXIT_HELP)
    .action(async (flags: SmokeFlags, command: Command) => {
      if (!flags.stack && !flags.api) {
        command.error('error: give --stack NAME (a deployed stack) or --api URL (the local runner)');
      }
      const { smokeCommand } = await import('./smoke');
      exitCode = await smokeCommand(flags);
    });

  withAuthOptions(program.command('backfill'))
    .description(
      "bring the objects already under a bucket and prefix into the pipeline, through the deployment's backfill " +
        'state machine, and wait until the processor has an outcome for each: a progress line, then the counts',
    )
    .summary("bring a bucket's existing photos in, and wait")
    .addOption(
      new Option('--stack <name>', "a deployed stack's name: its outputs come from CloudFormation").conflicts('api'),
    )
    .addOption(
      new Option('--region <region>', "the stack's Region (default: AWS_REGION or your profile's)").conflicts('api'),
    )
    .option('--api <url>', 'the local runner (npm start), e.g. http://localhost:3000, instead of a stack')
    .requiredOption('--bucket <name>', "one of the deployment's sourceBuckets, or its own bucket (under uploads/)")
    .option('--prefix <prefix>', "only the keys under it (default: the source's prefix; uploads/ in its own bucket)")
    .option('--owner <id>', 'the owner of the images whose source entry names none (default: none)', ownerId)
    .option(
      '--reprocess',
      'analyse again the images an older ANALYSIS_VERSION made, and with search by meaning those without a vector ' +
        'of its model (the others are skipped)',
    )
    .option('--reembed', 'embed the images that have no vector of the current model (a --reprocess: docs/search.md)')
    .option('--regroup-faces', 'analyse every image again, its faces grouped afresh (face grouping on; docs/people.md)')
    .option('--reown', 'give images recorded under another owner the one their key gets now (their faces move too)')
    .option('--force', 'start it even though a run over the same bucket and an overlapping prefix is not done yet')
    .option('--no-wait', 'start the run, print its id and exit')
    .addOption(
      new Option('--timeout <s>', 'seconds to wait for the run to finish (it goes on after)')
        .argParser(positiveInt)
        .default(3600),
    )
    .addHelpText('after', BACKFILL_EXIT_HELP)
    .action(async (flags: BackfillFlags, command: Command) => {
      if (!flags.stack && !flags.api) {
        command.error('error: give --stack NAME (a deployed stack) or --api URL (the local runner)');
      }
      const { backfillCommand } = await import('./backfill');
      exitCode = await backfillCommand(flags);
    });

  program
    .command('token')
    .description(
      'print a token (a JWT) from a local runner started with `npm start -- --auth jwt`, for --token, curl ' +
        '(Authorization: Bearer) or IMAGE_INTEL_TOKEN',
    )
    .summary('a token from a runner started with --auth jwt')
    .requiredOption('--api <url>', "the runner's API URL, e.g. http://localhost:3000")
    .requiredOption('--user <name>', 'who the token is for: its sub, the owner of what they upload', ownerId)
    .option('--admin', "in the admins group: sees and manages every owner's images")
    .option('--ttl <s>', `seconds the token is valid, at most ${MAX_TOKEN_TTL_SECONDS} (default 3600)`, tokenTtl)
    .addHelpText('after', TOKEN_EXIT_HELP)
    .action(async (flags: TokenFlags) => {
      const { tokenCommand } = await import('./token');
      exitCode = await tokenCommand(flags);
    });

  addPeopleCommands(program, (code) => {
    exitCode = code;
  });
  addWebhooksCommands(program, (code) => {
    exitCode = code;
  });
  addPolicyCommands(program, (code) => {
    exitCode = code;
  });
  addPlaceCommand(program, (code) => {
    exitCode = code;
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
