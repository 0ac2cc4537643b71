import { type Command, InvalidArgumentError, Option } from 'commander';
import { withApiOptions } from '../api-options';
import { positiveInt } from '../arguments';
import { EXIT_HELP } from '../record';
import type { UploadFlags } from './upload';

/** `--meta key=value`, repeatable: split at the first `=` (a value may hold more); the API checks the rest. */
const metaEntry = (entry: string, meta: Record<string, string> = {}): Record<string, string> => {
  const at = entry.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('must be key=value');
  return Object.fromEntries([...Object.entries(meta), [entry.slice(0, at), entry.slice(at + 1)]]);
};

/** `image-intel upload <paths...>`: files and folders' files uploaded through a running API, their records printed. */
export function addUploadCommand(program: Command, exit: (code: number) => void): void {
  withApiOptions(program.command('upload'))
    .description(
      'upload files (folders are walked recursively) through a running API (npm start, or a deployed stack) and ' +
        'print their records in input order, as the API shows them, with the file first',
    )
    .summary('upload files through an API, print records')
    .argument('<paths...>', 'image files or folders')
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
    .action(async (paths: string[], flags: UploadFlags) => {
      const { uploadCommand } = await import('./upload');
      exit(await uploadCommand(paths, flags));
    });
}
