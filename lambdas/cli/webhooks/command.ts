import { type Command, InvalidArgumentError, Option } from 'commander';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../webhooks/schemas';
import { withApiOptions, withAuthOptions } from '../api-options';
import { positiveInt } from '../arguments';
import type { ListenFlags } from './listen';
import type { EndpointFields, WebhooksFlags } from './webhooks';

/** Comma-separated, two spaces in, lines of at most 80 characters: for a help text. */
function indentedList(items: readonly string[]): string {
  const lines = [''];
  for (const item of items) {
    const last = lines.length - 1;
    if (lines[last] && `  ${lines[last]}, ${item},`.length > 80) lines.push(item);
    else lines[last] = lines[last] ? `${lines[last]}, ${item}` : item;
  }
  return lines.map((line, index) => `  ${line}${index < lines.length - 1 ? ',' : ''}`).join('\n');
}

/** `listen`'s port when none is given: the one the docs' two-command example uses. */
const LISTEN_DEFAULT_PORT = 8787;

export const WEBHOOKS_HELP = `
Each owner's endpoints get their events POSTed as {"type","timestamp","data"},
signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature),
retried on a schedule and logged (docs/webhooks.md). The event types (--events,
comma-separated; all: every type):
${indentedList(WEBHOOK_EVENT_TYPES)}
On the local runner, in two commands:
  npm start
  image-intel webhooks listen --api http://localhost:3000 --port 8787
then upload an image: the receiver prints its Image Processed, verified.

Output is for people; --json prints one JSON line per endpoint, delivery or
answer, as the API gives it (create and rotate: {"endpoint","secret"}).

Exit codes:
  0  done
  1  the API refused (the message says why: 400 a refused URL or a bad field,
     403 --all-owners without admin rights, 404 no such endpoint of yours,
     409 changed meanwhile or disabled, 429 too many endpoints)
  2  usage error: a missing argument, an unknown option or event type
  3  the API could not be reached
`;

const LISTEN_HELP = `
Each verified delivery is answered 204 and printed (time, type, image,
webhook-id; a webhook-id seen before is a retry or a replay); --json prints
each verified payload {"type","timestamp","data"} as one JSON line. A request
no signature verifies is answered 401 and said on stderr. Without --secret the
receiver registers a temporary endpoint http://<host>:<port>/ (the local
runner allows loopback on 8787, or the ports it is told; a deployment does
not) and deletes it on Ctrl-C or
SIGTERM; with --secret (an endpoint's whsec_...) it only receives.
${WEBHOOKS_HELP}`;

/** `--events "Image Processed,Image Deleted"`: known event types, in any case; `all` (or nothing): every type. */
export function eventTypeList(value: string): WebhookEventType[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 1 && names[0]?.toLowerCase() === 'all') return [];
  return [
    ...new Set(
      names.map((name) => {
        const known = WEBHOOK_EVENT_TYPES.find((type) => type.toLowerCase() === name.toLowerCase());
        if (!known) throw new InvalidArgumentError(`${name}: not an event type (${WEBHOOK_EVENT_TYPES.join(', ')})`);
        return known;
      }),
    ),
  ];
}

/** A time of `--from` or `--to` (ISO 8601, a date alone is its midnight UTC), as the API takes it: UTC, with `Z`. */
export function isoTime(value: string): string {
  const time = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/i.test(value.trim())
    ? Date.parse(value)
    : Number.NaN;
  if (Number.isNaN(time)) throw new InvalidArgumentError('must be an ISO 8601 time, e.g. 2026-01-02T03:04:05Z');
  return new Date(time).toISOString();
}

/** `--port`: 0 (a free one) to 65535. */
export function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65_535) throw new InvalidArgumentError('must be 0 (any free port) to 65535');
  return n;
}

type FieldFlags = WebhooksFlags & { url?: string; events?: WebhookEventType[]; description?: string };

/** The body of a create or update from its flags: only the fields given. */
export function fieldsOf(flags: FieldFlags & { allOwners?: boolean }): EndpointFields {
  return {
    ...(flags.url !== undefined && { url: flags.url }),
    ...(flags.events !== undefined && { eventTypes: flags.events }),
    ...(flags.description !== undefined && { description: flags.description }),
    ...(flags.allOwners && { allOwners: true }),
  };
}

/** `--delivery ID` or `--from T --to T`: the replay's body, or what is wrong with the flags. */
export function replayTargetOf(flags: {
  delivery?: string;
  from?: string;
  to?: string;
}): { webhookId: string } | { from: string; to: string } | string {
  const range = flags.from !== undefined || flags.to !== undefined;
  if (flags.delivery !== undefined && range) return 'give --delivery or --from and --to, not both';
  if (flags.delivery !== undefined) return { webhookId: flags.delivery };
  if (flags.from === undefined || flags.to === undefined) return 'give --delivery WEBHOOK_ID, or --from and --to';
  if (flags.from > flags.to) return '--from must not be after --to';
  return { from: flags.from, to: flags.to };
}

/**
 * `image-intel webhooks ...`: create, list, get, update, disable, enable, delete, rotate, deliveries, replay (the
 * webhook routes, docs/webhooks.md) and listen (a verifying receiver on this machine).
 */
export function addWebhooksCommands(program: Command, exit: (code: number) => void): void {
  const webhooks = program
    .command('webhooks')
    .description(
      'add and manage the HTTP endpoints that get your events, signed per Standard Webhooks; read their delivery ' +
        'log, replay, and receive on this machine (listen)',
    )
    .summary('webhook endpoints: add, manage, log, listen')
    .addHelpText('after', WEBHOOKS_HELP);
  const command = (name: string) =>
    withApiOptions(webhooks.command(name))
      .option('--json', 'one JSON line per endpoint, delivery or answer, as the API gives it')
      .addHelpText('after', WEBHOOKS_HELP);
  const events = (help: string) => new Option('--events <types>', help).argParser(eventTypeList);

  command('create')
    .description('add an endpoint; print it and its secret, which is shown this once')
    .requiredOption(
      '--url <url>',
      'where events are POSTed: https on a public address (the local runner: loopback too)',
    )
    .addOption(events('comma-separated event types, e.g. "Image Processed,Image Deleted" (default: every type)'))
    .option('--description <text>', 'for people, at most 256 characters')
    .option('--all-owners', "admins only: get every owner's events")
    .action(async (flags: FieldFlags & { url: string; allOwners?: boolean }) => {
      const { createCommand } = await import('./webhooks');
      exit(await createCommand({ url: flags.url, ...fieldsOf(flags) }, flags));
    });

  command('list')
    .description("print your endpoints, oldest first (an admin: every owner's too), never their secrets")
    .action(async (flags: WebhooksFlags) => {
      const { listCommand } = await import('./webhooks');
      exit(await listCommand(flags));
    });

  command('get')
    .description('print one endpoint')
    .argument('<endpointId>', 'the endpoint (ep_...)')
    .action(async (endpointId: string, flags: WebhooksFlags) => {
      const { getCommand } = await import('./webhooks');
      exit(await getCommand(endpointId, flags));
    });

  command('update')
    .description("change an endpoint's URL, event types or description; print it")
    .argument('<endpointId>', 'the endpoint (ep_...)')
    .option('--url <url>', 'a new URL, checked as on create')
    .addOption(events('the event types it gets, comma-separated; all: every type'))
    .option('--description <text>', 'a new description ("" : none)')
    .action(async (endpointId: string, flags: FieldFlags) => {
      const fields = fieldsOf(flags);
      if (Object.keys(fields).length === 0) {
        webhooks.error('error: give --url, --events or --description to change', { exitCode: 2 });
      }
      const { updateCommand } = await import('./webhooks');
      exit(await updateCommand(endpointId, fields, flags));
    });

  for (const [name, enabled, help] of [
    ['disable', false, 'stop sending to an endpoint until enabled again; print it'],
    ['enable', true, 'send to an endpoint again, its failures forgotten (what it missed is not sent: replay)'],
  ] as const) {
    command(name)
      .description(help)
      .argument('<endpointId>', 'the endpoint (ep_...)')
      .action(async (endpointId: string, flags: WebhooksFlags) => {
        const { updateCommand } = await import('./webhooks');
        exit(await updateCommand(endpointId, { enabled }, flags, {}, enabled ? 'Enabled' : 'Disabled'));
      });
  }

  command('delete')
    .description('delete an endpoint: it gets nothing more; its log expires on its own')
    .argument('<endpointId>', 'the endpoint (ep_...)')
    .action(async (endpointId: string, flags: WebhooksFlags) => {
      const { deleteCommand } = await import('./webhooks');
      exit(await deleteCommand(endpointId, flags));
    });

  command('rotate')
    .description('give an endpoint a new secret (shown this once); print until when the old one also signs')
    .argument('<endpointId>', 'the endpoint (ep_...)')
    .action(async (endpointId: string, flags: WebhooksFlags) => {
      const { rotateCommand } = await import('./webhooks');
      exit(await rotateCommand(endpointId, flags));
    });

  command('deliveries')
    .description(
      "print an endpoint's delivery log, newest first: time, event type, image, status, attempts, the last " +
        "attempt's status or error and latency, and the webhook-id replay --delivery takes",
    )
    .argument('<endpointId>', 'the endpoint (ep_...)')
    .option('--limit <n>', 'print at most this many (default 25)', positiveInt)
    .addOption(new Option('--all', 'print every delivery in the log').conflicts('limit'))
    .action(async (endpointId: string, flags: WebhooksFlags & { limit?: number; all?: boolean }) => {
      const { deliveriesCommand } = await import('./webhooks');
      exit(await deliveriesCommand(endpointId, flags, flags));
    });

  command('replay')
    .description('send deliveries again, each with its webhook-id: one (--delivery), or a time range (--from, --to)')
    .argument('<endpointId>', 'the endpoint (ep_...)')
    .option(
      '--delivery <webhookId>',
      'one delivery, by its webhook-id (msg_...: the last column of webhooks deliveries)',
    )
    .option('--from <time>', "the range's start, ISO 8601 (the events' times)", isoTime)
    .option('--to <time>', "the range's end, included", isoTime)
    .action(async (endpointId: string, flags: WebhooksFlags & { delivery?: string; from?: string; to?: string }) => {
      const target = replayTargetOf(flags);
      if (typeof target === 'string') webhooks.error(`error: ${target}`, { exitCode: 2 });
      const { replayCommand } = await import('./webhooks');
      exit(await replayCommand(endpointId, target as Exclude<typeof target, string>, flags));
    });

  withAuthOptions(
    webhooks
      .command('listen')
      .description(
        'receive deliveries on this machine: verify each signature with the standardwebhooks library and print the ' +
          'events; without --secret, register a temporary endpoint for it (deleted on Ctrl-C)',
      )
      .option('--api <url>', 'the API that registers the temporary endpoint, e.g. http://localhost:3000'),
  )
    .addOption(
      new Option('--port <n>', 'the port to listen on (0: a free one, printed)')
        .argParser(port)
        .default(LISTEN_DEFAULT_PORT),
    )
    .option('--host <address>', 'the address to listen on', '127.0.0.1')
    .option('--secret <whsec>', "an endpoint's secret: verify with it, register nothing (no --api needed)")
    .addOption(events('the event types to register for; with --secret, to print (default: every type)'))
    .option('--json', 'print each verified payload {"type","timestamp","data"} as one JSON line')
    .addHelpText('after', LISTEN_HELP)
    .action(async (flags: ListenFlags, listen: Command) => {
      if (!flags.secret && !flags.api) {
        listen.error(
          'error: give --api URL (to register a temporary endpoint) or --secret whsec_... (to only receive)',
        );
      }
      if (flags.secret && !flags.secret.startsWith('whsec_')) {
        listen.error('error: --secret: must be an endpoint secret, whsec_...');
      }
      const { listenCommand } = await import('./listen');
      exit(await listenCommand(flags));
    });
}
