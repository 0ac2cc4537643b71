import { API_COMMAND_EXIT, type ApiFlags, type CommandIo, runApiCommand } from '../api-command';
import { table } from '../table';

/*
 * `image-intel partners ...`: the partner routes (`/partners...`, docs/api.md#partners) and a partner's list of the
 * photos an owner shares (`GET /images?partner=`), printed for people by default and as one JSON line per thing with
 * --json.
 */

export interface PartnersFlags extends ApiFlags {
  /** One JSON line per grant, photo or answer, as the API gives it. */
  json?: boolean;
}

/** A grant as the API answers it. */
export interface GrantAnswer {
  grantor: string;
  partner: string;
  albums?: string[];
  from?: string;
  createdAt: string;
  updatedAt: string;
}

/** What a grant covers, in words. */
function scopeOf(grant: GrantAnswer): string {
  const parts = [
    grant.albums ? `albums ${grant.albums.join(', ')}` : 'every photo',
    ...(grant.from ? [`taken from ${grant.from}`] : []),
  ];
  return parts.join(', ');
}

/** `partners grant <owner> [--album id...] [--from date]`: POST /partners; prints the grant. */
export async function grantPartnerCommand(
  partner: string,
  scope: { albums?: string[]; from?: string },
  flags: PartnersFlags,
  io: CommandIo = {},
): Promise<number> {
  return runApiCommand(flags, io, async (client, out) => {
    const grant = (await client.call('POST', '/partners', { partner, ...scope })) as GrantAnswer;
    out(flags.json ? JSON.stringify(grant) : `shared with ${grant.partner}: ${scopeOf(grant)}`);
  });
}

/** `partners list`: GET /partners; whom the caller shares with, and who shares with them. */
export async function listPartnersCommand(flags: PartnersFlags, io: CommandIo = {}): Promise<number> {
  return runApiCommand(flags, io, async (client, out) => {
    const answer = (await client.call('GET', '/partners')) as { granted: GrantAnswer[]; received: GrantAnswer[] };
    if (flags.json) {
      for (const grant of answer.granted) out(JSON.stringify({ granted: grant }));
      for (const grant of answer.received) out(JSON.stringify({ received: grant }));
      return;
    }
    const rows = [
      ...answer.granted.map((grant) => ['you share with', grant.partner, scopeOf(grant)]),
      ...answer.received.map((grant) => ['shares with you', grant.grantor, scopeOf(grant)]),
    ];
    if (rows.length === 0) out('no partners: you share with no one, and no one shares with you');
    else for (const line of table(['', 'owner', 'what'], rows)) out(line);
  });
}

/** `partners revoke <owner>`: DELETE /partners/{partner}. */
export async function revokePartnerCommand(partner: string, flags: PartnersFlags, io: CommandIo = {}): Promise<number> {
  return runApiCommand(flags, io, async (client, out) => {
    await client.call('DELETE', `/partners/${encodeURIComponent(partner)}`);
    out(flags.json ? JSON.stringify({ partner, revoked: true }) : `no longer shared with ${partner}`);
  });
}

/**
 * `partners photos <owner>` (or `all`): the photos an owner shares with the caller, newest taken first; `all --mine`,
 * the caller's own timeline with every partner's photos merged in (`partners=include`).
 */
export async function partnerPhotosCommand(
  owner: string,
  flags: PartnersFlags & { limit?: number; mine?: boolean },
  io: CommandIo = {},
): Promise<number> {
  if (flags.mine && owner !== 'all') {
    (io.err ?? ((line) => process.stderr.write(`image-intel: ${line}\n`)))(
      `--mine merges every partner's photos into yours: name all, not ${owner}`,
    );
    return API_COMMAND_EXIT.usage;
  }
  const which: Record<string, string> =
    owner !== 'all' ? { partner: owner } : { partners: flags.mine ? 'include' : 'all' };
  return runApiCommand(flags, io, async (client, out) => {
    const cap = flags.limit ?? 100;
    const rows: string[][] = [];
    let cursor: string | undefined;
    do {
      const params = new URLSearchParams(which);
      params.set('limit', String(Math.min(100, cap - rows.length)));
      if (cursor !== undefined) params.set('cursor', cursor);
      const page = (await client.call('GET', `/images?${params}`)) as {
        items: { imageId: string; filename?: string; takenAt?: string; createdAt?: string }[];
        cursor?: string;
      };
      for (const item of page.items.slice(0, cap - rows.length)) {
        if (flags.json) out(JSON.stringify(item));
        rows.push([item.takenAt ?? item.createdAt ?? '', item.filename ?? '', item.imageId]);
      }
      cursor = page.cursor;
    } while (cursor !== undefined && rows.length < cap);
    if (flags.json) return;
    if (rows.length === 0) out('no photos');
    else for (const line of table(['taken', 'name', 'image id'], rows)) out(line);
  });
}
