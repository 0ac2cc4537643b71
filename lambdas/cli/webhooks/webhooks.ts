import type { z } from 'zod';
import type { DeliverySchema } from '../../webhooks/functions/list-webhook-deliveries/route';
import type { WebhookEndpointAnswer } from '../../webhooks/functions/webhooks-contract';
import type { WebhookEventType } from '../../webhooks/schemas';
import { API_COMMAND_EXIT, type ApiFlags, type CallApi, type CommandIo, runApiCommand as run } from '../api-command';
import { table } from '../table';

export { clientOf, exitOf, type Out } from '../api-command';

/*
 * `image-intel webhooks ...`: the webhook routes (`/webhooks...`, docs/webhooks.md), printed for people by default and
 * as one JSON line per thing with --json. `listen` is in webhooks-listen.ts.
 */

export interface WebhooksFlags extends ApiFlags {
  /** One JSON line per endpoint, delivery or answer, as the API gives it. */
  json?: boolean;
}

/** The webhook commands' exit codes: the API commands' (../api-command.ts). */
export const WEBHOOKS_EXIT = API_COMMAND_EXIT;

/** What the commands need of the API client, and where they print (../api-command.ts). */
export type WebhooksApi = CallApi;
export type WebhooksIo = CommandIo;

/** An endpoint with its secret: what a create and a rotation answer. */
export interface EndpointWithSecret {
  endpoint: WebhookEndpointAnswer;
  secret: string;
}

export type Delivery = z.output<typeof DeliverySchema>;

/** The fields `create` and `update` send (`update` also `enabled`). */
export interface EndpointFields {
  url?: string;
  description?: string;
  eventTypes?: WebhookEventType[];
  allOwners?: boolean;
  enabled?: boolean;
}

/** A replay: one delivery, or every delivery of a time range. */
export type ReplayTarget = { webhookId: string } | { from: string; to: string };

const path = (endpointId: string, rest = '') => `/webhooks/${encodeURIComponent(endpointId)}${rest}`;

/** `webhooks create --url U`: the endpoint and its secret, which is shown this once. */
export function createCommand(fields: EndpointFields & { url: string }, flags: WebhooksFlags, io: WebhooksIo = {}) {
  return run(flags, io, async (client, out) => {
    const created = (await client.call('POST', '/webhooks', fields)) as EndpointWithSecret;
    if (flags.json) return out(JSON.stringify(created));
    out(`Created ${created.endpoint.endpointId}`);
    for (const line of endpointLines(created.endpoint)) out(line);
    for (const line of secretLines(created.secret)) out(line);
  });
}

/** `webhooks list`: the caller's endpoints, oldest first. */
export function listCommand(flags: WebhooksFlags, io: WebhooksIo = {}) {
  return run(flags, io, async (client, out) => {
    const { items } = (await client.call('GET', '/webhooks')) as { items: WebhookEndpointAnswer[] };
    if (flags.json) {
      for (const item of items) out(JSON.stringify(item));
      return;
    }
    if (items.length === 0) return out('No webhook endpoints (image-intel webhooks create --url URL adds one).');
    for (const line of table(
      ['ID', 'STATE', 'EVENTS', 'URL', 'DESCRIPTION'],
      items.map((item) => [item.endpointId, stateOf(item), eventsOf(item), item.url, item.description]),
    )) {
      out(line);
    }
  });
}

/** `webhooks get ID`. */
export function getCommand(endpointId: string, flags: WebhooksFlags, io: WebhooksIo = {}) {
  return run(flags, io, async (client, out) => {
    const endpoint = (await client.call('GET', path(endpointId))) as WebhookEndpointAnswer;
    if (flags.json) return out(JSON.stringify(endpoint));
    for (const line of endpointLines(endpoint)) out(line);
  });
}

/** `webhooks update ID ...`, `disable ID`, `enable ID`: the endpoint as it is now. */
export function updateCommand(
  endpointId: string,
  fields: EndpointFields,
  flags: WebhooksFlags,
  io: WebhooksIo = {},
  done = 'Updated',
) {
  return run(flags, io, async (client, out) => {
    const endpoint = (await client.call('PATCH', path(endpointId), fields)) as WebhookEndpointAnswer;
    if (flags.json) return out(JSON.stringify(endpoint));
    out(`${done} ${endpoint.endpointId}`);
    for (const line of endpointLines(endpoint)) out(line);
  });
}

/** `webhooks delete ID`. */
export function deleteCommand(endpointId: string, flags: WebhooksFlags, io: WebhooksIo = {}) {
  return run(flags, io, async (client, out) => {
    await client.call('DELETE', path(endpointId));
    out(flags.json ? JSON.stringify({ endpointId, deleted: true }) : `Deleted ${endpointId}`);
  });
}

/** `webhooks rotate ID`: the new secret, and until when the previous one signs beside it. */
export function rotateCommand(endpointId: string, flags: WebhooksFlags, io: WebhooksIo = {}) {
  return run(flags, io, async (client, out) => {
    const rotated = (await client.call('POST', path(endpointId, '/rotate-secret'))) as EndpointWithSecret;
    if (flags.json) return out(JSON.stringify(rotated));
    out(`Rotated the secret of ${rotated.endpoint.endpointId}`);
    for (const line of secretLines(rotated.secret, 'New secret')) out(line);
    const until = rotated.endpoint.previousSecretExpiresAt;
    out(
      until
        ? `The previous secret also signs until ${until} (two v1 signatures in webhook-signature): move the receiver before then.`
        : 'The previous secret no longer signs.',
    );
  });
}

/** The API serves at most this many deliveries a page (ListDeliveriesQuerySchema). */
const DELIVERIES_PAGE = 100;
/** What `deliveries` prints without --limit or --all: the API's default page. */
export const DEFAULT_DELIVERIES = 25;

/**
 * `webhooks deliveries ID`: the endpoint's log, newest first: `limit` deliveries (25), or every one with `all`,
 * following the cursor; a note on stderr when older ones were left out.
 */
export function deliveriesCommand(
  endpointId: string,
  options: { limit?: number; all?: boolean },
  flags: WebhooksFlags,
  io: WebhooksIo = {},
) {
  return run(flags, io, async (client, out, err) => {
    const cap = options.all ? Number.POSITIVE_INFINITY : (options.limit ?? DEFAULT_DELIVERIES);
    const deliveries: Delivery[] = [];
    let cursor: string | undefined;
    do {
      const params = new URLSearchParams({ limit: String(Math.min(DELIVERIES_PAGE, cap - deliveries.length)) });
      if (cursor !== undefined) params.set('cursor', cursor);
      const page = (await client.call('GET', `${path(endpointId, '/deliveries')}?${params}`)) as {
        items: Delivery[];
        cursor?: string;
      };
      const taken = page.items.slice(0, cap - deliveries.length);
      deliveries.push(...taken);
      if (flags.json) for (const delivery of taken) out(JSON.stringify(delivery));
      cursor = page.cursor;
    } while (cursor !== undefined && deliveries.length < cap);
    if (!flags.json) {
      if (deliveries.length === 0) out(`No deliveries to ${endpointId} in its log.`);
      else for (const line of deliveryTable(deliveries)) out(line);
    }
    if (cursor === undefined) return;
    // On a terminal stderr's note follows the table's last row: a blank line keeps it from reading as one more.
    if (!flags.json) out('');
    err('older deliveries not shown: --limit N or --all for more');
  });
}

/** `webhooks replay ID --delivery ID` or `--from --to`: what the API queued. */
export function replayCommand(endpointId: string, target: ReplayTarget, flags: WebhooksFlags, io: WebhooksIo = {}) {
  return run(flags, io, async (client, out) => {
    const answer = (await client.call('POST', path(endpointId, '/replay'), target)) as { queued?: string };
    if (flags.json) return out(JSON.stringify(answer));
    if (answer.queued === 'already' && 'webhookId' in target) {
      return out(`Not queued again: ${target.webhookId} is PENDING, its attempts to ${endpointId} are under way`);
    }
    out(
      'webhookId' in target
        ? `Queued ${target.webhookId} again to ${endpointId}, with the same webhook-id (image-intel webhooks deliveries ${endpointId} shows it)`
        : `Queued every delivery to ${endpointId} from ${target.from} to ${target.to} again, each with its webhook-id`,
    );
  });
}

/** An endpoint, one field a line, for people. */
export function endpointLines(endpoint: WebhookEndpointAnswer): string[] {
  const lines = [
    ['id', endpoint.endpointId],
    ['url', endpoint.url],
    ['events', eventsOf(endpoint)],
    ['state', stateOf(endpoint) + (endpoint.disabledReason ? ` (${endpoint.disabledReason})` : '')],
    ...(endpoint.description ? [['description', endpoint.description]] : []),
    ...(endpoint.allOwners ? [['owners', "every owner's events (an admin's endpoint)"]] : []),
    ...(endpoint.failingSince ? [['failing since', endpoint.failingSince]] : []),
    ...(endpoint.previousSecretExpiresAt ? [['old secret until', endpoint.previousSecretExpiresAt]] : []),
    ['created', endpoint.createdAt],
    ['updated', endpoint.updatedAt],
  ];
  return lines.map(([name, value]) => `  ${`${name}:`.padEnd(18)}${value}`);
}

function secretLines(secret: string, what = 'Secret'): string[] {
  return [`${what} (shown this once: keep it where the receiver can verify signatures with it):`, `  ${secret}`];
}

const stateOf = (endpoint: Pick<WebhookEndpointAnswer, 'enabled'>) => (endpoint.enabled ? 'enabled' : 'disabled');
const eventsOf = (endpoint: Pick<WebhookEndpointAnswer, 'eventTypes'>) =>
  endpoint.eventTypes.length === 0 ? 'every type' : endpoint.eventTypes.join(', ');

/**
 * The log as a table: the event's time, type and image, how it ended, its last attempt, and its webhook-id (what
 * `replay --delivery` takes; last, as the longest).
 */
export function deliveryTable(deliveries: readonly Delivery[]): string[] {
  return table(
    ['TIME', 'EVENT', 'IMAGE', 'STATUS', 'ATTEMPTS', 'LAST ATTEMPT', 'WEBHOOK-ID'],
    deliveries.map((delivery) => [
      shortTime(delivery.createdAt),
      delivery.eventType,
      delivery.imageId ?? '-',
      delivery.status + (delivery.nextAttemptAt ? ` (next ${shortTime(delivery.nextAttemptAt)})` : ''),
      String(delivery.attempts.length),
      lastAttempt(delivery),
      delivery.webhookId,
    ]),
  );
}

/** `200 in 12 ms`, `HTTP 500 in 3 ms`, `timed out after 10 s`, with `(replay)` for a replay's; `-` before any. */
export function lastAttempt(delivery: Pick<Delivery, 'attempts'>): string {
  const last = delivery.attempts.at(-1);
  if (!last) return '-';
  const outcome = last.ok ? String(last.statusCode ?? 'ok') : (last.error ?? `HTTP ${last.statusCode ?? '?'}`);
  return `${outcome} in ${last.latencyMs} ms${last.replay ? ' (replay)' : ''}`;
}

/** `2026-01-02 03:04:05Z` (UTC, as the API's times), to the second: for a table. */
export function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, 'Z');
}
