import { useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ActionButton } from '../../action-button';
import { api, errorMessage } from '../../api';
import { appPath } from '../../config';
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
  const dialog = useRef<HTMLDialogElement>(null);
  const { route } = useLocation();
  const [problem, setProblem] = useState<string>();
  return (
    <>
      <button
        type="button"
        class="danger"
        onClick={() => {
          setProblem(undefined);
          dialog.current?.showModal();
        }}
      >
        Delete
      </button>
      <dialog ref={dialog} aria-labelledby="delete-endpoint-title" aria-describedby="delete-endpoint-text">
        <h2 id="delete-endpoint-title">Delete this endpoint?</h2>
        <p id="delete-endpoint-text">
          <code class="wrap">{endpoint.url}</code> gets no more events, its queued attempts are dropped and its log can
          no longer be read.
        </p>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <div class="dialog-buttons">
          <button type="button" class="secondary" onClick={() => dialog.current?.close()} autofocus>
            Cancel
          </button>
          <ActionButton
            class="danger"
            action={async () => {
              try {
                await api.deleteWebhook(endpoint.endpointId);
                dialog.current?.close();
                route(appPath('webhooks'));
              } catch (error) {
                setProblem(errorMessage(error));
              }
            }}
          >
            Delete endpoint
          </ActionButton>
        </div>
      </dialog>
    </>
  );
}
