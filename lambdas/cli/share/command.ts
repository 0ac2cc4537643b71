import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { withApiOptions } from '../api-options';
import { positiveInt } from '../arguments';
import type { ShareFlags } from './share';

export const SHARE_HELP = `
A share link shows an album or one photo to anyone who has it, signed out:
renditions only (no GPS, no other metadata), the originals only with
--allow-download. Its token is 256 random bits; the link stops at --expires,
or at once when revoked. Its URL is printed once, when it is made: the API
keeps no token, so share list names links by their id (revoke one by it).
With a password (--password-stdin keeps it out of your shell's history), the
link opens only with it, and 10 wrong ones in 15 minutes hold it for a while.
share open is what the person given the link does: it needs no sign-in;
share save keeps one of its photos in your own library (signed in).

Output is for people; --json prints one JSON line per link, photo or answer,
as the API gives it (album, image: {"token","url","share"}).

Exit codes:
  0  done
  1  the API refused (400 a bad expiry or password, 401 the link's password
     is missing or wrong, 404 no such album, photo or link of yours, 410 the
     link was revoked or expired, 429 too many wrong passwords)
  2  usage error: a missing argument, an unknown option
  3  the API could not be reached
`;

const DURATION_UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * `--expires`: a time (ISO 8601, a date alone its midnight UTC) or a span from now (`12h`, `7d`, `2w`), as the ISO
 * time the API takes; undefined for a value that is neither. The API checks it is in the future and within a year.
 */
export function expiryOf(value: string, now = Date.now()): string | undefined {
  const span = /^(\d{1,4})\s*([hdw])$/i.exec(value.trim());
  if (span) return new Date(now + Number(span[1]) * (DURATION_UNITS[span[2]?.toLowerCase() ?? ''] ?? 0)).toISOString();
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/i.test(value.trim())) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** `--expires` as an argument parser: a value that is no time is commander's usage error (exit 2). */
export function expiry(value: string): string {
  const at = expiryOf(value);
  if (!at) throw new InvalidArgumentError('must be an ISO 8601 time (2026-12-24T18:00:00Z) or a span: 12h, 7d, 2w');
  return at;
}

/** The password from `--password`, or the first line of stdin with `--password-stdin`. */
function passwordOf(flags: { password?: string; passwordStdin?: boolean }): string | undefined {
  if (!flags.passwordStdin) return flags.password;
  return readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? '';
}

const passwordOptions = (command: Command, what: string) =>
  command
    .addOption(new Option('--password <password>', `${what} (seen by ps and your history: prefer --password-stdin)`))
    .addOption(new Option('--password-stdin', `read ${what} from the first line of stdin`).conflicts('password'));

/** `image-intel share ...`: album, image, list, revoke (the owner's), open (anyone's, signed out), save (signed in). */
export function addShareCommands(program: Command, exit: (code: number) => void): void {
  const share = program
    .command('share')
    .description('share an album or a photo by a link that needs no account; list and revoke your links; open one')
    .summary('share links: make, list, revoke, open')
    .addHelpText('after', SHARE_HELP);

  for (const kind of ['album', 'image'] as const) {
    const made = withApiOptions(share.command(kind))
      .description(`make a link to ${kind === 'album' ? 'an album' : 'one photo'}; print its URL (only now) and id`)
      .argument(`<${kind}Id>`, kind === 'album' ? 'the album (al_...)' : 'the photo')
      .option('--expires <when>', 'when it stops: an ISO time, or from now: 12h, 7d, 2w (at most a year)', expiry)
      .option('--allow-download', 'let whoever opens it download the originals')
      .option('--json', 'print {"token","url","share"} as the API gives it')
      .addHelpText('after', SHARE_HELP);
    passwordOptions(made, 'the password the link asks for, 8 to 128 characters').action(
      async (
        id: string,
        flags: ShareFlags & { expires?: string; allowDownload?: boolean; password?: string; passwordStdin?: boolean },
      ) => {
        const expiresAt = flags.expires;
        const password = passwordOf(flags);
        const { createShareCommand } = await import('./share');
        exit(
          await createShareCommand(
            { kind, id },
            {
              ...(expiresAt && { expiresAt }),
              ...(password !== undefined && { password }),
              ...(flags.allowDownload && { allowDownload: true }),
            },
            flags,
          ),
        );
      },
    );
  }

  withApiOptions(share.command('list'))
    .description('print your links, newest first: id, state, views, what, until when, password (no URL)')
    .option('--limit <n>', 'print at most this many (default: every link)', positiveInt)
    .option('--json', 'one JSON line per link, as the API gives it')
    .addHelpText('after', SHARE_HELP)
    .action(async (flags: ShareFlags & { limit?: number }) => {
      const { listSharesCommand } = await import('./share');
      exit(await listSharesCommand(flags));
    });

  withApiOptions(share.command('revoke'))
    .description('revoke a link: it no longer opens, at once')
    .argument('<idOrUrl>', "the link's id (as share list prints it), its URL, or its token")
    .option('--json', 'print {"id","revoked":true}')
    .addHelpText('after', SHARE_HELP)
    .action(async (idOrUrl: string, flags: ShareFlags) => {
      const { revokeShareCommand } = await import('./share');
      exit(await revokeShareCommand(idOrUrl, flags));
    });

  const save = withApiOptions(share.command('save'))
    .description("save a link's photo into your own library, as your copy (its GPS only if the link allows downloads)")
    .argument('<tokenOrUrl>', 'the link (its URL) or its token')
    .argument('<photo>', "the photo's id within the link, as share open prints it")
    .option('--json', 'print {"imageId","status","position"} as the API gives it')
    .addHelpText('after', SHARE_HELP);
  passwordOptions(save, "the link's password").action(
    async (tokenOrUrl: string, photo: string, flags: ShareFlags & { password?: string; passwordStdin?: boolean }) => {
      const { saveSharedCommand } = await import('./share');
      exit(await saveSharedCommand(tokenOrUrl, photo, { ...flags, password: passwordOf(flags) }));
    },
  );

  const open = share
    .command('open')
    .description(
      'open a link as whoever was given it, signed out: print its title and terms, and each photo: its size, id and ' +
        'the URL of its view (of the original, when downloads are allowed)',
    )
    .argument(
      '<tokenOrUrl>',
      "the link (the web app's /app/shared#... or the API's /shared/...), or a token with --api",
    )
    .option('--api <url>', "the API (default: the link's, from the web app's config.json or the link itself)")
    .option('--limit <n>', 'print at most this many photos (default: every one)', positiveInt)
    .option('--json', 'one JSON line per photo, as the API gives it')
    .addHelpText('after', SHARE_HELP);
  passwordOptions(open, "the link's password").action(
    async (tokenOrUrl: string, flags: { api?: string; password?: string; passwordStdin?: boolean; json?: boolean }) => {
      if (!flags.api && !/^https?:\/\//i.test(tokenOrUrl)) {
        open.error('error: give the link as a URL, or its token with --api URL', { exitCode: 2 });
      }
      const { openShareCommand } = await import('./share');
      exit(await openShareCommand(tokenOrUrl, { ...flags, password: passwordOf(flags) }));
    },
  );
}
