import type { Command } from 'commander';
import { withApiOptions } from '../api-options';
import { positiveInt } from '../arguments';
import type { PartnersFlags } from './partners';

export const PARTNERS_HELP = `
Share your library, or some of it, with other owners of the deployment: they
see those photos (never those in your trash, archived or locked) and can
change none of them. A grant covers every photo, or those taken from --from
on, or those in the --album albums; granting again replaces it; revoking is at
once (docs/api.md#partners). Owners are named as the API names them.

Output is for people; --json prints one JSON line per grant, photo or answer,
as the API gives it.

Exit codes:
  0  done
  1  the API refused (the message says why: 400 yourself, a bad date or an
     album not yours, 404 no such grant, 409 you have 20 partners)
  2  usage error: a missing argument, an unknown option
  3  the API could not be reached
`;

/** `image-intel partners ...`: grant, list, revoke (the partner routes) and photos (a partner's list). */
export function addPartnersCommands(program: Command, exit: (code: number) => void): void {
  const partners = program
    .command('partners')
    .description('share your library with other owners; list whom you share with; see what they share with you')
    .summary('partners: share your library with another owner')
    .addHelpText('after', PARTNERS_HELP);
  const command = (name: string) =>
    withApiOptions(partners.command(name))
      .option('--json', 'one JSON line per grant, photo or answer, as the API gives it')
      .addHelpText('after', PARTNERS_HELP);

  command('grant')
    .description('share your photos with another owner (all, from a date, or some albums); print the grant')
    .argument('<owner>', 'the partner, as the API names owners')
    .option('--album <albumId...>', 'only the photos of these albums of yours (al_...)')
    .option('--from <date>', 'only photos taken from this date on (YYYY-MM-DD)')
    .action(async (owner: string, flags: PartnersFlags & { album?: string[]; from?: string }) => {
      const { grantPartnerCommand } = await import('./partners');
      const scope = { ...(flags.album && { albums: flags.album }), ...(flags.from && { from: flags.from }) };
      exit(await grantPartnerCommand(owner, scope, flags));
    });

  command('list')
    .description('print whom you share with, and who shares with you, and what')
    .action(async (flags: PartnersFlags) => {
      const { listPartnersCommand } = await import('./partners');
      exit(await listPartnersCommand(flags));
    });

  command('revoke')
    .description('stop sharing with a partner, at once')
    .argument('<owner>', 'the partner')
    .action(async (owner: string, flags: PartnersFlags) => {
      const { revokePartnerCommand } = await import('./partners');
      exit(await revokePartnerCommand(owner, flags));
    });

  command('photos')
    .description(
      'print the photos an owner shares with you (all: every owner; all --mine: merged into yours), newest taken first',
    )
    .argument('<owner>', 'the owner who shares with you, or all')
    .option('--limit <n>', 'print at most this many (default 100)', positiveInt)
    .option('--mine', 'with all: your own timeline with their photos merged in, newest taken first')
    .action(async (owner: string, flags: PartnersFlags & { limit?: number; mine?: boolean }) => {
      const { partnerPhotosCommand } = await import('./partners');
      exit(await partnerPhotosCommand(owner, flags));
    });
}
