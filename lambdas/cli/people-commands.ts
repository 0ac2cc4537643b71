import type { Command } from 'commander';
import { withApiOptions } from './api-options';
import { positiveInt } from './arguments';
import type { PeopleFlags } from './people';

export const PEOPLE_EXIT_HELP = `
Each line is one person, as GET /people/{id} answers it:
  {"personId","name","faceCount","cover":{"imageId","box","thumbnailUrl"},
   "createdAt","updatedAt"}
The people routes exist only with face grouping on (-c faceGrouping=true,
npm start -- --face-grouping); image-intel search person=ID lists a person's
images.

Exit codes:
  0  done (every person printed, none when there are none)
  1  the API refused (404: no such person of yours, or face grouping off;
     400: a bad name or id, a merge into itself), or could not be reached
  2  usage error: a missing argument, an unknown option
`;

/** `image-intel people`, `people rename ID NAME`, `people merge ID OTHER...`: the people routes (docs/api.md#people). */
export function addPeopleCommands(program: Command, exit: (code: number) => void): void {
  const people = program
    .command('people')
    .description('list, name and merge the people face grouping found (docs/api.md#people)')
    .addHelpText('after', PEOPLE_EXIT_HELP);

  withApiOptions(people.command('list', { isDefault: true }))
    .description('print your people, most faces first, one JSON line each (the default: image-intel people)')
    .option('--limit <n>', 'print at most this many (default: every person)', positiveInt)
    .addHelpText('after', PEOPLE_EXIT_HELP)
    .action(async (flags: PeopleFlags & { limit?: number }) => {
      const { listPeopleCommand } = await import('./people');
      exit(await listPeopleCommand(flags));
    });

  withApiOptions(people.command('rename'))
    .description('name a person (1 to 64 characters, no control characters), print it')
    .argument('<personId>', 'the person')
    .argument('[name]', 'the name; leave it out with --clear')
    .option('--clear', 'take the name away')
    .addHelpText('after', PEOPLE_EXIT_HELP)
    .action(async (personId: string, name: string | undefined, flags: PeopleFlags & { clear?: boolean }) => {
      if ((name === undefined) === (flags.clear !== true)) {
        people.error('error: give a name, or --clear (not both)', { exitCode: 2 });
      }
      const { renamePersonCommand } = await import('./people');
      exit(await renamePersonCommand(personId, flags.clear ? null : (name as string), flags));
    });

  withApiOptions(people.command('merge'))
    .description('merge the other people (1 to 10) into the first, print the person merged into')
    .argument('<personId>', 'the person the others join')
    .argument('<others...>', 'the people merged into it')
    .addHelpText('after', PEOPLE_EXIT_HELP)
    .action(async (personId: string, others: string[], flags: PeopleFlags) => {
      const { mergePeopleCommand } = await import('./people');
      exit(await mergePeopleCommand(personId, others, flags));
    });
}
