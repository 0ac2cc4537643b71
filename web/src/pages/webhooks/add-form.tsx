import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import type { WebhookWithSecret } from '../../types';
import { EndpointFields, type EndpointFieldValues, NO_FIELDS, tickedTypes } from './endpoint-fields';

/*
 * Add an endpoint (`POST /webhooks`): its URL, a description and the event types it gets (none ticked: every type);
 * an admin may tick "Every owner’s events" (the API refuses it, 403, from anyone else, so no one else sees it).
 * The API checks the URL (https on a public address; the local runner also takes loopback) and its 400 says why it
 * refuses one: that message is shown at the form.
 */

export function AddEndpointForm({ admin, onAdded }: { admin: boolean; onAdded: (created: WebhookWithSecret) => void }) {
  const [values, setValues] = useState<EndpointFieldValues>(NO_FIELDS);
  const [allOwners, setAllOwners] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const created = await api.createWebhook({
        url: values.url.trim(),
        description: values.description.trim(),
        eventTypes: tickedTypes(values),
        ...(admin && allOwners ? { allOwners: true } : {}),
      });
      setValues(NO_FIELDS);
      setAllOwners(false);
      onAdded(created);
    } catch (error) {
      setProblem(`Not added: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="stack wide-stack" aria-label="Add an endpoint" onSubmit={submit} noValidate>
      <EndpointFields
        id="add-endpoint"
        values={values}
        problemId={problem ? 'add-endpoint-problem' : undefined}
        onChange={(next) => {
          if (next.url !== values.url) setProblem(undefined);
          setValues(next);
        }}
      />
      {admin && (
        <label>
          <input type="checkbox" checked={allOwners} onChange={(event) => setAllOwners(event.currentTarget.checked)} />{' '}
          Every owner’s events <span class="muted">(admins only: not just yours)</span>
        </label>
      )}
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
