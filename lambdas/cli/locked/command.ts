import { type Command, Option } from 'commander';
import { withApiOptions } from '../api-options';
import type { EditFlags } from '../edit/edit';
import type { PinFlags } from './locked';

const LOCK_HELP = `
A locked photo leaves every list, the timeline and search at once; list the
folder with an unlock token:
  export IMAGE_INTEL_UNLOCK_TOKEN=$(image-intel unlock --api $API --pin ...)
  image-intel search --api $API locked=true
(the token lives 10 minutes by default: unlockTokenTtlSeconds).

Exit codes: 0 done, 1 the API refused (404 no such image of yours, 409 not
PROCESSED yet or changed meanwhile: run it again), 2 usage error, 3 the API
could not be reached.
`;

const PIN_HELP = `
Exit codes: 0 done, 1 the API refused (400 a PIN outside 4 to 64 characters or
a change without --current, 403 a wrong PIN, 409 no PIN set yet for unlock,
429 too many wrong PINs: it says when to try again), 2 usage error, 3 the API
could not be reached.
`;

/** `image-intel lock <id...> [--off]`, `pin <new> [--current]`, `unlock --pin`: the locked folder. */
export function addLockedCommands(program: Command, exit: (code: number) => void): void {
  withApiOptions(program.command('lock'))
    .description(
      'move images into your locked folder (--off: out of it): out of every list and search, shown only with an ' +
        'unlock token (image-intel unlock). One call per image, each answered on its own line',
    )
    .summary('move images into the locked folder, or out')
    .argument('<imageIds...>', 'the images (yours, PROCESSED)')
    .option('--off', 'out of the locked folder: listed and searchable again')
    .option('--json', 'each answer as the API gives it, one JSON line')
    .addHelpText('after', LOCK_HELP)
    .action(async (imageIds: string[], flags: EditFlags & { off?: boolean }) => {
      const [edit, locked] = await Promise.all([import('../edit/edit'), import('./locked')]);
      exit(await edit.editEach(imageIds, locked.lockEdit(flags.off !== true), flags));
    });

  withApiOptions(program.command('pin'))
    .description('set the PIN (or passphrase) of your locked folder, or change it with --current')
    .summary("set or change the locked folder's PIN")
    .argument('<pin>', 'the new PIN: 4 to 64 characters')
    .option('--current <pin>', 'the current PIN, to change it')
    .option('--json', 'the answer as the API gives it, one JSON line')
    .addHelpText('after', PIN_HELP)
    .action(async (pin: string, flags: PinFlags) => {
      const { pinCommand } = await import('./locked');
      exit(await pinCommand(pin, flags));
    });

  withApiOptions(program.command('unlock'))
    .description('print an unlock token for your locked folder (for --unlock-token or IMAGE_INTEL_UNLOCK_TOKEN)')
    .summary('print an unlock token for the locked folder')
    .addOption(new Option('--pin <pin>', 'the PIN').env('IMAGE_INTEL_PIN').makeOptionMandatory())
    .option('--json', '{token, expiresAt} as the API gives it, one JSON line')
    .addHelpText('after', PIN_HELP)
    .action(async (flags: EditFlags & { pin: string }) => {
      const { unlockCommand } = await import('./locked');
      exit(await unlockCommand(flags));
    });
}
