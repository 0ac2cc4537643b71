import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import type { WebhookEndpoint } from '../../types';

/*
 * Replay every delivery of a time range (`POST /webhooks/{id}/replay {from, to}`): each is sent again with its
 * `webhook-id` and body. The fields are local times (datetime-local); the API takes them in UTC.
 */

/** A `datetime-local` value (local time, to the minute) for a moment. */
function localValue(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** A `datetime-local` value as an ISO 8601 UTC time, or undefined when it is not a time. */
function isoOf(value: string): string | undefined {
  const date = new Date(value);
  return value && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

export function ReplayRangeForm({ endpoint, onQueued }: { endpoint: WebhookEndpoint; onQueued: () => void }) {
  const [from, setFrom] = useState(() => localValue(new Date(Date.now() - 24 * 3600_000)));
  // To the end of the current minute: the field has no seconds, and a delivery of a moment ago must be in the range.
  const [to, setTo] = useState(() => localValue(new Date(Date.now() + 60_000)));
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; error?: boolean }>();

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaid(undefined);
    const range = { from: isoOf(from), to: isoOf(to) };
    if (!range.from || !range.to) {
      setSaid({ text: 'Give both times.', error: true });
      return;
    }
    setBusy(true);
    try {
      await api.replayWebhook(endpoint.endpointId, { from: range.from, to: range.to });
      setSaid({ text: 'Queued: the range’s deliveries show pending as they are sent again.' });
      onQueued();
    } catch (error) {
      setSaid({ text: `Not replayed: ${errorMessage(error)}`, error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="inline-form replay-range" aria-label="Replay a time range" onSubmit={submit} noValidate>
      <label class="field">
        From
        <input type="datetime-local" required value={from} onInput={(event) => setFrom(event.currentTarget.value)} />
      </label>
      <label class="field">
        To
        <input type="datetime-local" required value={to} onInput={(event) => setTo(event.currentTarget.value)} />
      </label>
      <button type="submit" disabled={busy} aria-busy={busy}>
        Replay range
      </button>
      {said && (
        <p class={said.error ? 'error' : 'muted'} role={said.error ? 'alert' : 'status'}>
          {said.text}
        </p>
      )}
    </form>
  );
}
