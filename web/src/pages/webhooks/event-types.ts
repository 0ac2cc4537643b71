import { EVENT_HINTS } from 'virtual:event-catalogue';
import type { WebhookEndpoint, WebhookEventType } from '../../types';

/**
 * Every event type an endpoint may take, in words for the form's checkboxes: each type's declaration in the room that
 * publishes it (lambdas/<room>/events.ts), whose words the build writes in (web/vite.config.ts). Keyed by the API's
 * own enum, so a type the API takes without words, or words for a type it does not take, fails `tsc -p web`.
 */
const EVENT_TYPES: Readonly<Record<WebhookEventType, string>> = EVENT_HINTS;

export const WEBHOOK_EVENT_TYPES = Object.keys(EVENT_TYPES) as WebhookEventType[];

export function eventTypeHint(type: WebhookEventType): string {
  return EVENT_TYPES[type];
}

/** What an endpoint gets, in words: an empty list is every type, those added later too. */
export function eventTypesInWords(endpoint: Pick<WebhookEndpoint, 'eventTypes'>): string {
  return endpoint.eventTypes.length === 0 ? 'Every event type' : endpoint.eventTypes.join(', ');
}
