import { Command, CommanderError } from 'commander';
import { addAlbumsCommands } from './albums/command';
import { addAnalyzeCommand } from './analyze/command';
import { addBackfillCommand } from './backfill/command';
import { addDuplicatesCommands } from './duplicates/command';
import { addEditCommands } from './edit/command';
import { addLockedCommands } from './locked/command';
import { addPartnersCommands } from './partners/command';
import { addPeopleCommands } from './people/command';
import { addPlaceCommand, addPlacesCommand } from './places/command';
import { addPolicyCommands } from './policy/command';
import { EXIT } from './record';
import { addRenderCommand } from './render/command';
import { addSearchCommand } from './search/command';
import { addShareCommands } from './share/command';
import { addShowCommand } from './show/command';
import { addSimilarCommand } from './similar/command';
import { addSmokeCommand } from './smoke/command';
import { addStackCommand } from './stack/command';
import { addTokenCommand } from './token/command';
import { addUploadCommand } from './upload/command';
import { addWebhooksCommands } from './webhooks/command';

export { EXIT } from './record';

/**
 * Every command, in the order the help lists them. Each feature's folder registers its own (`<feature>/command.ts`:
 * its options, argument parsers and help text), loads the code that runs it only when it runs, and reports its exit
 * code through `exit`; a new command is a new folder and a line here.
 */
const COMMANDS: readonly ((program: Command, exit: (code: number) => void) => void)[] = [
  addAnalyzeCommand,
  addRenderCommand,
  addUploadCommand,
  addSearchCommand,
  addShowCommand,
  addSimilarCommand,
  addPlacesCommand,
  addSmokeCommand,
  addBackfillCommand,
  addTokenCommand,
  addPeopleCommands,
  addWebhooksCommands,
  addPolicyCommands,
  addPlaceCommand,
  addEditCommands,
  addLockedCommands,
  addAlbumsCommands,
  addShareCommands,
  addPartnersCommands,
  addDuplicatesCommands,
  addStackCommand,
];

/** After the top-level help's list of commands: each command has its own options and exit codes. */
const TOP_HELP = `
Each command has its own options and exit codes: image-intel <command> --help.
Installed outside a checkout: npm install -g --ignore-scripts
image-intel-<version>.tgz (npm pack makes it; no dependency's install script is
needed) or npm install -g . in one (docs/local.md#installing-the-cli).
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
        'local runner: upload, search, show, similar, places, people, place, albums, share, partners, duplicates, stack, webhooks, smoke, backfill and token.',
    )
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', TOP_HELP);
  for (const add of COMMANDS) {
    add(program, (code) => {
      exitCode = code;
    });
  }

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
