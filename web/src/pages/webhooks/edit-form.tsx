import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import type { WebhookChange, WebhookEndpoint } from '../../types';
import { EndpointFields, type EndpointFieldValues, fieldsOf, tickedTypes } from './endpoint-fields';

/*
 * Change an endpoint's URL, description or event types (`PATCH /webhooks/{id}`), sending only the fields that
 * changed: a URL left as it is is not checked again, and a change someone made meanwhile to another field stays.
 * A new URL is checked as on create; the 400's reason is shown at the form.
 */

export function EditEndpointForm({
  endpoint,
  onSaved,
  onCancel,
}: {
  endpoint: WebhookEndpoint;
  onSaved: (endpoint: WebhookEndpoint) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<EndpointFieldValues>(() => fieldsOf(endpoint));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [said, setSaid] = useState<string>();
  const form = useRef<HTMLFormElement>(null);

  // Opened by the Edit button: the keyboard goes on to the first field.
  useEffect(() => form.current?.querySelector('input')?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    setSaid(undefined);
    const change = changedFields(endpoint, values);
    if (Object.keys(change).length === 0) {
      setSaid('Nothing to save: nothing was changed.');
      return;
    }
    setBusy(true);
    try {
      onSaved(await api.updateWebhook(endpoint.endpointId, change));
    } catch (error) {
      setProblem(`Not saved: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={form}
      id="edit-endpoint"
      class="stack wide-stack"
      aria-label="Edit the endpoint"
      onSubmit={submit}
      noValidate
    >
      <EndpointFields
        id="edit-endpoint"
        values={values}
        problemId={problem ? 'edit-endpoint-problem' : undefined}
        onChange={(next) => {
          if (next.url !== values.url) setProblem(undefined);
          setSaid(undefined);
          setValues(next);
        }}
      />
      <div class="dialog-buttons start">
        <button type="submit" disabled={busy} aria-busy={busy}>
          Save changes
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {problem && (
        <p id="edit-endpoint-problem" class="error" role="alert">
          {problem}
        </p>
      )}
      <p class="muted" role="status">
        {said}
      </p>
    </form>
  );
}

/** The fields whose values differ from the endpoint's; event types compared as sets. */
function changedFields(endpoint: WebhookEndpoint, values: EndpointFieldValues): WebhookChange {
  const url = values.url.trim();
  const description = values.description.trim();
  const eventTypes = tickedTypes(values);
  const sameTypes =
    eventTypes.length === new Set(endpoint.eventTypes).size &&
    eventTypes.every((type) => endpoint.eventTypes.includes(type));
  return {
    ...(url !== endpoint.url && { url }),
    ...(description !== endpoint.description && { description }),
    ...(!sameTypes && { eventTypes }),
  };
}
