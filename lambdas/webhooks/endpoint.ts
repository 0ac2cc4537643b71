import { randomBytes } from 'node:crypto';
import type { WebhookEventType } from './schemas';

/** A signing secret as Standard Webhooks writes it: `whsec_` and the base64 of 24 random bytes. */
export const SECRET_PREFIX = 'whsec_';

export function newSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`;
}

/** A secret an endpoint signs with: the current one has no end; a rotated one signs until `expiresAt`. */
export interface SigningSecret {
  secret: string;
  createdAt: string;
  expiresAt?: string;
}

/** An endpoint as the store keeps it. */
export interface WebhookEndpoint {
  endpointId: string;
  /** Whose events it gets; `*` (ALL_OWNERS): every owner's, an admin's endpoint. */
  owner: string;
  url: string;
  description: string;
  /** The event types it gets; empty: all of them. */
  eventTypes: WebhookEventType[];
  enabled: boolean;
  /** Why it is disabled, when it is: `by its owner`, or the failures that disabled it. */
  disabledReason?: string;
  /** Since when every attempt to it has failed; absent while its last attempt succeeded. */
  failingSince?: string;
  /**
   * While it fails: the time of the oldest event whose delivery a replay held (delivery.ts), which may be older than
   * `failingSince`; the release reaches back to it.
   */
  heldFrom?: string;
  /** While a range replay of it is under way: when it ends at the latest (one range at a time). */
  rangeReplayUntil?: string;
  /** Newest first; those past `expiresAt` are dropped at the next rotation and never sign. */
  secrets: SigningSecret[];
  createdAt: string;
  updatedAt: string;
}

/** The secrets that sign now: the current one, and a rotated one until its overlap ends. */
export function signingSecrets(endpoint: Pick<WebhookEndpoint, 'secrets'>, now: Date): string[] {
  return endpoint.secrets
    .filter(({ expiresAt }) => expiresAt === undefined || Date.parse(expiresAt) > now.getTime())
    .map(({ secret }) => secret);
}

/** Whether an endpoint takes this event type. */
export function wants(endpoint: Pick<WebhookEndpoint, 'eventTypes'>, eventType: string): boolean {
  return endpoint.eventTypes.length === 0 || (endpoint.eventTypes as string[]).includes(eventType);
}
