import { z } from 'zod';
import { flag, int, list } from './values';

/** `5s`, `30m`, `2h`, `1d`, or a bare number of seconds: a wait of the retry schedule. */
const WAIT = /^([0-9]+)(s|m|h|d)?$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** A wait as written in `webhookRetrySchedule`, in seconds. */
export function waitSeconds(text: string): number {
  const match = WAIT.exec(text);
  if (!match) throw new Error(`not a wait: ${text}`);
  return Number(match[1]) * UNIT_SECONDS[(match[2] ?? 's') as keyof typeof UNIT_SECONDS];
}

const WaitSchema = z
  .string()
  .regex(WAIT, 'each wait is a number of seconds, or a number with s, m, h or d (5s, 30m, 2h)')
  .transform(waitSeconds);

/** Ports `from` to `to`, both included. */
export interface PortRange {
  from: number;
  to: number;
}

const PORT_RANGE = /^([0-9]{1,5})(?:-([0-9]{1,5}))?$/;

const PortRangeSchema = z
  .string()
  .regex(PORT_RANGE, 'each entry is a port (8787) or a range of ports (8000-8999)')
  .transform((text): PortRange => {
    const [, from, to] = PORT_RANGE.exec(text) as RegExpExecArray;
    return { from: Number(from), to: Number(to ?? from) };
  })
  .refine(({ from, to }) => from >= 1 && to <= 65_535 && from <= to, 'ports are 1 to 65535, a range low-high');

/** Ranges as `webhookLoopbackPorts` takes them: `8787,9000-9100`. */
export function formatPortRanges(ranges: readonly PortRange[]): string {
  return ranges.map(({ from, to }) => (from === to ? String(from) : `${from}-${to}`)).join(',');
}

/**
 * The Standard Webhooks schedule svix publishes, rounded: each entry is the wait before an attempt, the first the
 * wait after the event (none). Eight attempts over 27 h 35 min.
 */
export const DEFAULT_RETRY_SCHEDULE = '0s,5s,5m,30m,2h,5h,10h,10h';

export const WebhookSettingsSchema = z.object({
  /**
   * Webhooks (docs/webhooks.md): each owner's HTTPS endpoints get their events signed per Standard Webhooks, retried
   * and logged. Default on: without endpoints each event costs one SQS message and a share of a batch's invocation.
   */
  webhooks: flag(true),
  /** Endpoints an owner may have (an admin's endpoints for every owner count under their own limit). Default 10. */
  webhookEndpointsPerOwner: int().min(1).max(100).default(10),
  /**
   * The wait before each attempt of a delivery, comma-separated: the first is the wait after the event. A delivery
   * that fails them all is recorded as failed. Default `0s,5s,5m,30m,2h,5h,10h,10h` (8 attempts over 27.6 h).
   */
  webhookRetrySchedule: list(WaitSchema)
    .refine((waits) => waits.length >= 1 && waits.length <= 20, 'between 1 and 20 attempts')
    .default(DEFAULT_RETRY_SCHEDULE.split(',').map(waitSeconds)),
  /** Seconds an endpoint has to answer an attempt (connection, TLS and response together). Default 10. */
  webhookTimeoutSeconds: int().min(1).max(30).default(10),
  /**
   * Hours an endpoint may fail without a single success before the delivery that exhausts its schedule disables it
   * (a `Webhook Endpoint Disabled` event says so). Default 24: a dead endpoint is disabled by the first delivery that
   * fails all its attempts, about 28 h after it began to fail.
   */
  webhookDisableAfterHours: z.coerce
    .number()
    .min(0)
    .max(24 * 30)
    .default(24),
  /**
   * Minutes an endpoint may fail without a success before its new events are held: recorded in its log as HELD, not
   * sent, until an attempt already under way succeeds (then they are sent) or the endpoint is disabled (then a range
   * replay sends them). A dead endpoint then costs one write per event, not a whole schedule. Default 5.
   */
  webhookHoldAfterMinutes: z.coerce
    .number()
    .min(0)
    .max(24 * 60)
    .default(5),
  /** Hours a rotated secret keeps signing beside the new one, so receivers can move at their pace. Default 24. */
  webhookRotationOverlapHours: z.coerce
    .number()
    .min(0)
    .max(24 * 7)
    .default(24),
  /** Days each delivery is kept in an endpoint's log (DynamoDB TTL), for reading and replay. Default 30. */
  webhookLogDays: int().min(1).max(365).default(30),
  /**
   * The ports on which endpoints may be on loopback (127.0.0.0/8, [::1]), over http or https, comma-separated ports
   * or ranges (`8787`, `8000-8999`): the local runner's, so a developer receives on their own machine (it allows 8787
   * by default, and never its own ports: its API and web app, the emulator, its Step Functions and Lambda APIs).
   * Default none: a deployment's endpoints are https on public addresses only.
   */
  webhookLoopbackPorts: list(PortRangeSchema).default([]),
});
export type WebhookSettings = z.output<typeof WebhookSettingsSchema>;
