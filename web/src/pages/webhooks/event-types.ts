import type { WebhookEndpoint, WebhookEventType } from '../../types';

/**
 * Every event type an endpoint may take, in words for the form's checkboxes. Keyed by the API's own enum, so a type
 * the API adds or drops fails `tsc -p web` until it is here too.
 */
const EVENT_TYPES: Record<WebhookEventType, string> = {
  'Image Processed': 'an image is analysed and ready',
  'Image Rejected': 'an upload is not an image the pipeline takes',
  'Image Failed': 'processing an image failed',
  'Image Deleted': 'an image is deleted',
  'Image Labels Changed': 'someone corrects an image’s labels',
  'Image Place Changed': 'someone corrects or clears where an image was taken',
  'Image Updated': 'its owner changes an image’s tags, date taken or favourite',
  'Image Trashed': 'an image is moved to the trash',
  'Image Restored': 'an image is restored from the trash',
  'Webhook Endpoint Disabled': 'an endpoint is disabled after failing for too long',
  'Share Created': 'its owner makes a share link to an album or a photo',
  'Share Revoked': 'its owner revokes a share link',
};

export const WEBHOOK_EVENT_TYPES = Object.keys(EVENT_TYPES) as WebhookEventType[];

export function eventTypeHint(type: WebhookEventType): string {
  return EVENT_TYPES[type];
}

/** What an endpoint gets, in words: an empty list is every type, those added later too. */
export function eventTypesInWords(endpoint: Pick<WebhookEndpoint, 'eventTypes'>): string {
  return endpoint.eventTypes.length === 0 ? 'Every event type' : endpoint.eventTypes.join(', ');
}
