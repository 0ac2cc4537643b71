import type { WebhookEndpoint, WebhookEventType } from '../../types';
import { eventTypeHint, WEBHOOK_EVENT_TYPES } from './event-types';

/*
 * An endpoint's URL, description and event types (none ticked: every type), as the add and edit forms both show
 * them. The form owns the values and the API's refusal: `problemId` names the form's alert, which the URL field is
 * then marked invalid by, since a 400 is almost always about the URL.
 */

export interface EndpointFieldValues {
  url: string;
  description: string;
  types: ReadonlySet<WebhookEventType>;
}

export const NO_FIELDS: EndpointFieldValues = { url: '', description: '', types: new Set() };

/** The fields as an endpoint has them now, for the edit form to start from. */
export function fieldsOf(endpoint: WebhookEndpoint): EndpointFieldValues {
  return { url: endpoint.url, description: endpoint.description, types: new Set(endpoint.eventTypes) };
}

/** The ticked types in the list's order, not the order they were ticked in. */
export function tickedTypes(values: EndpointFieldValues): WebhookEventType[] {
  return WEBHOOK_EVENT_TYPES.filter((type) => values.types.has(type));
}

export function EndpointFields({
  id,
  values,
  onChange,
  problemId,
}: {
  /** Prefixes the ids the fields refer to one another by. */
  id: string;
  values: EndpointFieldValues;
  onChange: (next: EndpointFieldValues) => void;
  /** The id of the form's alert while there is one. */
  problemId?: string;
}) {
  const toggle = (type: WebhookEventType, on: boolean) => {
    const types = new Set(values.types);
    if (on) types.add(type);
    else types.delete(type);
    onChange({ ...values, types });
  };
  return (
    <>
      <label class="field">
        URL
        <input
          type="url"
          required
          inputMode="url"
          autocomplete="off"
          placeholder="https://example.com/hooks/image-intel"
          value={values.url}
          aria-invalid={problemId ? 'true' : undefined}
          aria-describedby={problemId}
          onInput={(event) => onChange({ ...values, url: event.currentTarget.value })}
        />
      </label>
      <label class="field">
        Description
        <input
          type="text"
          maxLength={256}
          placeholder="Optional: what receives these"
          value={values.description}
          onInput={(event) => onChange({ ...values, description: event.currentTarget.value })}
        />
      </label>
      <fieldset class="choices">
        <legend>Event types</legend>
        <p class="muted" id={`${id}-types-hint`}>
          None ticked: every event type, those added later too.
        </p>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <label key={type}>
            <input
              type="checkbox"
              checked={values.types.has(type)}
              aria-describedby={`${id}-types-hint`}
              onChange={(event) => toggle(type, event.currentTarget.checked)}
            />{' '}
            {type} <span class="muted">({eventTypeHint(type)})</span>
          </label>
        ))}
      </fieldset>
    </>
  );
}
