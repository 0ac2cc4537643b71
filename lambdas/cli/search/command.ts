import { Argument, type Command, InvalidArgumentError, Option } from 'commander';
import { withApiOptions } from '../api-options';
import { positiveInt } from '../arguments';
import { type Filter, RESERVED_FILTERS, SEARCH_EXIT_HELP, type SearchFlags } from './search';

/**
 * A search filter `key=value`, split at the first `=`, or words to search for (`q`); the API checks the key and the
 * value (docs/api.md).
 */
export const filterEntry = (entry: string, filters: Filter[] = []): Filter[] => {
  const at = entry.indexOf('=');
  if (at < 0) return [...filters, ['q', entry]];
  if (at < 1) throw new InvalidArgumentError('must be key=value, e.g. label=cat, or words to search for');
  const name = entry.slice(0, at);
  const reserved = RESERVED_FILTERS[name];
  if (reserved) throw new InvalidArgumentError(`${name}: ${reserved}`);
  return [...filters, [name, entry.slice(at + 1)]];
};

/** `image-intel search [filters...]`: the images matching the filters, through a running API. */
export function addSearchCommand(program: Command, exit: (code: number) => void): void {
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
    .addOption(
      new Option('--unlock-token <token>', 'X-Unlock-Token, for locked=true: image-intel unlock prints one').env(
        'IMAGE_INTEL_UNLOCK_TOKEN',
      ),
    )
    .addHelpText('after', SEARCH_EXIT_HELP)
    .action(async (filters: Filter[], flags: SearchFlags) => {
      const { searchCommand } = await import('./search');
      exit(await searchCommand(filters, flags));
    });
}
