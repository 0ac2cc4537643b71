import { useState } from 'preact/hooks';
import { ActionButton } from '../../action-button';
import { api, errorMessage } from '../../api';
import { appPath } from '../../config';
import { ConfirmedDelete } from '../../confirmed-delete';
import type { WebhookEndpoint, WebhookWithSecret } from '../../types';

/*
 * What can be done to an endpoint: open its edit form (the page shows it), disable it (it gets nothing until
 * enabled) or enable it (its failures forgotten), rotate its secret, delete it behind a confirmation. A refusal is said in an alert under the buttons.
 */

export function EndpointActions({
  endpoint,
  editing,
  onEdit,
  onChanged,
  onRotated,
}: {
  endpoint: WebhookEndpoint;
  /** Whether the edit form (id `edit-endpoint`) is open. */
  editing: boolean;
  onEdit: () => void;
  onChanged: (endpoint: WebhookEndpoint) => void;
  onRotated: (answer: WebhookWithSecret) => void;
}) {
  const [problem, setProblem] = useState<string>();
  const [said, setSaid] = useState<string>();
  const run = (action: () => Promise<void>) => async () => {
    setProblem(undefined);
    setSaid(undefined);
    try {
      await action();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <div class="endpoint-actions">
      <div class="dialog-buttons start">
        <button
          type="button"
          class="secondary"
          aria-expanded={editing}
          aria-controls={editing ? 'edit-endpoint' : undefined}
          onClick={() => {
            setProblem(undefined);
            setSaid(undefined);
            onEdit();
          }}
        >
          Edit
        </button>
        <ActionButton
          class="secondary"
          action={run(async () => {
            const next = await api.updateWebhook(endpoint.endpointId, { enabled: !endpoint.enabled });
            onChanged(next);
            setSaid(next.enabled ? 'Enabled.' : 'Disabled: it gets no events until enabled again.');
          })}
        >
          {endpoint.enabled ? 'Disable' : 'Enable'}
        </ActionButton>
        <ActionButton
          class="secondary"
          action={run(async () => onRotated(await api.rotateWebhookSecret(endpoint.endpointId)))}
        >
          Rotate secret
        </ActionButton>
        <DeleteEndpoint endpoint={endpoint} />
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <p class="muted" role="status">
        {said}
      </p>
    </div>
  );
}

function DeleteEndpoint({ endpoint }: { endpoint: WebhookEndpoint }) {
  return (
    <ConfirmedDelete
      id="delete-endpoint"
      title="Delete this endpoint?"
      text={
        <>
          <code class="wrap">{endpoint.url}</code> gets no more events, its queued attempts are dropped and its log can
          no longer be read.
        </>
      }
      confirm="Delete endpoint"
      remove={() => api.deleteWebhook(endpoint.endpointId)}
      then={appPath('webhooks')}
    />
  );
}
