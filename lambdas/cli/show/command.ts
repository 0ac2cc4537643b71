import type { Command } from 'commander';
import { withApiOptions } from '../api-options';
import type { ShowFlags } from './show';

const SHOW_HELP = `
Prints what the image's page in the web app shows: its labels (the model's
with their confidence, and yours), objects, faces and text, then under
Possibly what the models saw under the score they show it at (objects and
labels a search finds after the sure ones, with their confidence). The web
app's page confirms or dismisses each; PATCH /images/{id}/labels does the
same (docs/api.md). --json prints GET /images/{id}'s answer, with likely.

Exit codes: 0 done, 1 the API refused (404 no such image of yours), 2 usage
error, 3 the API could not be reached.
`;

/** `image-intel show <id>`: one image in words (GET /images/{id}); show.ts loads when it runs. */
export function addShowCommand(program: Command, exit: (code: number) => void): void {
  withApiOptions(program.command('show'))
    .description('print an image as its page shows it: labels, objects, faces, text, and what it possibly shows')
    .summary('print an image and what it possibly shows')
    .argument('<imageId>', 'the image (yours)')
    .option('--json', 'the answer as the API gives it, one JSON line')
    .addHelpText('after', SHOW_HELP)
    .action(async (imageId: string, flags: ShowFlags) => {
      const { showCommand } = await import('./show');
      exit(await showCommand(imageId, flags));
    });
}
