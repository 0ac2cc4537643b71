import { type Command, Option } from 'commander';
import { withApiOptions, withAuthOptions } from '../api-options';
import { positiveInt, wholeNumber } from '../arguments';
import type { BackfillFlags } from '../backfill/backfill';
import { BACKFILL_EXIT_HELP } from '../backfill/help';
import type { PeopleFlags } from './people';

/** `people recluster --help`: what it starts and what becomes of people (docs/people.md#re-clustering). */
export const RECLUSTER_HELP = `
Starts a backfill of the deployment's own bucket (uploads/) with regroupFaces,
as image-intel backfill --bucket <its bucket> --regroup-faces does: every image
is analysed again (the cost of a --reprocess run) and its faces leave their
people and are grouped afresh under the current FACE_MATCH_DISTANCE, each
owner's against that owner's faces only. Images are regrouped in parallel, in
the order the run reaches them. A person keeps its id and name: its founding
face takes it back when that face's image comes round, whichever order the
images come in; a person all of whose faces go to others stays as an empty,
unlisted record with its name, until deleted by hand (docs/people.md). It
needs the permissions of image-intel backfill (StartExecution on the state
machine); through the API, POST /backfills {"bucket","regroupFaces":true} is
admins only.
${BACKFILL_EXIT_HELP}`;

export const PEOPLE_EXIT_HELP = `
image-intel people prints a table: each person's name (- before it has one),
how many faces it holds and its id, which the other commands take. With
--json, and from rename, merge, hide and unhide, each person is one JSON line
as GET /people/{id} answers it:
  {"personId","name","faceCount","cover":{"imageId","box","thumbnailUrl"},
   "hidden"?,"createdAt","updatedAt"}
Corrections (docs/people.md#corrections): remove-face, assign, hide, unhide,
delete, suggestions, dismiss; confirm a suggestion with merge. A face taken out of a
person and a deleted person's faces stay unassigned through re-clusters.
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
    .description('list, name, merge and correct the people face grouping found (docs/api.md#people)')
    .summary('list, name, merge and correct people')
    .addHelpText('after', PEOPLE_EXIT_HELP);

  withApiOptions(people.command('list', { isDefault: true }))
    .description('print your people, most faces first: name, faces and person id (the default: image-intel people)')
    .option('--limit <n>', 'print at most this many (default: every person)', positiveInt)
    .option('--hidden', 'print the people you hid instead')
    .option('--json', 'one JSON line per person, as the API gives it (with its cover and signed thumbnail URL)')
    .addHelpText('after', PEOPLE_EXIT_HELP)
    .action(async (flags: PeopleFlags & { limit?: number; hidden?: boolean; json?: boolean }) => {
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

  withAuthOptions(people.command('recluster'))
    .description(
      "group every image's faces afresh, after FACE_MATCH_DISTANCE changed: a backfill of the deployment's " +
        'uploads/ with --regroup-faces, followed until it is done',
    )
    .addOption(
      new Option('--stack <name>', "a deployed stack's name: its outputs come from CloudFormation").conflicts('api'),
    )
    .addOption(
      new Option('--region <region>', "the stack's Region (default: AWS_REGION or your profile's)").conflicts('api'),
    )
    .option('--api <url>', 'the local runner (npm start), e.g. http://localhost:3000, instead of a stack')
    .option('--force', 'start it even though a run over uploads/ (another re-cluster, say) is not done yet')
    .option('--no-wait', 'start the run, print its id and exit')
    .addOption(
      new Option('--timeout <s>', 'seconds to wait for the run to finish (it goes on after)')
        .argParser(positiveInt)
        .default(3600),
    )
    .addHelpText('after', RECLUSTER_HELP)
    .action(async (flags: Omit<BackfillFlags, 'bucket'>, command: Command) => {
      if (!flags.stack && !flags.api) {
        command.error('error: give --stack NAME (a deployed stack) or --api URL (the local runner)');
      }
      const { backfillCommand } = await import('../backfill/backfill');
      exit(await backfillCommand({ ...flags, regroupFaces: true }));
    });

  withApiOptions(people.command('remove-face'))
    .description("not this person: take an image's faces (or --face N) out of a person; they stay unassigned")
    .argument('<personId>', 'the person')
    .argument('<imageId>', 'the image the face is in')
    .option('--face <n>', "only this face (its index in the image's vision.faces)", wholeNumber)
    .addHelpText('after', PEOPLE_EXIT_HELP)
    .action(async (personId: string, imageId: string, flags: PeopleFlags & { face?: number }) => {
      const { removeFaceCommand } = await import('./people');
      exit(await removeFaceCommand(personId, imageId, flags));
    });

  const assign = withApiOptions(people.command('assign'))
    .description("give an image's face to a person (someone else), or with --name to a new person; print the face")
    .argument('<imageId>', 'the image the face is in')
    .argument('<face>', "the face: its index in the image's vision.faces, or a drawn face's", wholeNumber)
    .argument('[personId]', 'the person it is (not with --name)')
    .option('--name <name>', 'a new person, named so, instead of a person id')
    .addHelpText('after', PEOPLE_EXIT_HELP);
  assign.action(
    async (imageId: string, face: number, personId: string | undefined, flags: PeopleFlags & { name?: string }) => {
      if ((personId === undefined) === (flags.name === undefined)) {
        assign.error('error: give a person id or --name (one of the two)', { exitCode: 2 });
      }
      const { assignFaceCommand } = await import('./people');
      exit(await assignFaceCommand(imageId, face, personId, flags));
    },
  );

  for (const [name, hidden, what] of [
    ['hide', true, 'hide a person from the people list (image-intel people --hidden lists it), print it'],
    ['unhide', false, 'show a hidden person in the people list again, print it'],
  ] as const) {
    withApiOptions(people.command(name))
      .description(what)
      .argument('<personId>', 'the person')
      .addHelpText('after', PEOPLE_EXIT_HELP)
      .action(async (personId: string, flags: PeopleFlags) => {
        const { hidePersonCommand } = await import('./people');
        exit(await hidePersonCommand(personId, hidden, flags));
      });
  }

  withApiOptions(people.command('delete'))
    .description('delete a person: its photos stay, its faces stay unassigned and never regroup into it')
    .argument('<personId>', 'the person')
    .addHelpText('after', PEOPLE_EXIT_HELP)
    .action(async (personId: string, flags: PeopleFlags) => {
      const { deletePersonCommand } = await import('./people');
      exit(await deletePersonCommand(personId, flags));
    });

  withApiOptions(people.command('suggestions'))
    .description('print merge suggestions (two people whose faces are close), one JSON line each')
    .option('--limit <n>', 'print at most this many (default: every one found)', positiveInt)
    .addHelpText('after', PEOPLE_EXIT_HELP)
    .action(async (flags: PeopleFlags & { limit?: number }) => {
      const { suggestionsCommand } = await import('./people');
      exit(await suggestionsCommand(flags));
    });

  withApiOptions(people.command('dismiss'))
    .description('these two people are not one: never suggest merging them again (merge A B confirms instead)')
    .argument('<personId>', 'one person of the suggestion')
    .argument('<otherId>', 'the other')
    .addHelpText('after', PEOPLE_EXIT_HELP)
    .action(async (personId: string, otherId: string, flags: PeopleFlags) => {
      const { dismissSuggestionCommand } = await import('./people');
      exit(await dismissSuggestionCommand([personId, otherId], flags));
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
