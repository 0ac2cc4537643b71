import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import type { WebhookEventType, WebhookWithSecret } from '../../types';
import { eventTypeHint, WEBHOOK_EVENT_TYPES } from './event-types';

/*
 * Add an endpoint (`POST /webhooks`): its URL, a description and the event types it gets (none ticked: every type).
 * The API checks the URL (https on a public address; the local runner also takes loopback) and its 400 says why it
 * refuses one: that message is shown at the form.
 */

export function AddEndpointForm({ onAdded }: { onAdded: (created: WebhookWithSecret) => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<ReadonlySet<WebhookEventType>>(new Set());
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  const toggle = (type: WebhookEventType, on: boolean) =>
    setTypes((now) => {
      const next = new Set(now);
      if (on) next.add(type);
      else next.delete(type);
      return next;
    });

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const created = await api.createWebhook({
        url: url.trim(),
        description: description.trim(),
        // In the list's order, not the order they were ticked in.
        eventTypes: WEBHOOK_EVENT_TYPES.filter((type) => types.has(type)),
      });
      setUrl('');
      setDescription('');
      setTypes(new Set());
      onAdded(created);
    } catch (error) {
      setProblem(`Not added: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="stack wide-stack" aria-label="Add an endpoint" onSubmit={submit} noValidate>
      <label class="field">
        URL
        <input
          type="url"
          required
          inputMode="url"
          autocomplete="off"
          placeholder="https://example.com/hooks/image-intel"
          value={url}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={problem ? 'add-endpoint-problem' : undefined}
          onInput={(event) => {
            setUrl(event.currentTarget.value);
            setProblem(undefined);
          }}
        />
      </label>
      <label class="field">
        Description
        <input
          type="text"
          maxLength={256}
          placeholder="Optional: what receives these"
          value={description}
          onInput={(event) => setDescription(event.currentTarget.value)}
        />
      </label>
      <fieldset class="choices">
        <legend>Event types</legend>
        <p class="muted" id="event-types-hint">
          None ticked: every event type, those added later too.
        </p>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <label key={type}>
            <input
              type="checkbox"
              checked={types.has(type)}
              aria-describedby="event-types-hint"
              onChange={(event) => toggle(type, event.currentTarget.checked)}
            />{' '}
            {type} <span class="muted">({eventTypeHint(type)})</span>
          </label>
        ))}
      </fieldset>
      <div>
        <button type="submit" disabled={busy} aria-busy={busy}>
          Add endpoint
        </button>
      </div>
      {problem && (
        <p id="add-endpoint-problem" class="error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
