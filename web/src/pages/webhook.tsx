import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ApiError, api, errorMessage, isAbort } from '../api';
import { appPath } from '../config';
import { formatDate } from '../format';
import { useTitle } from '../title';
import type { WebhookEndpoint, WebhookWithSecret } from '../types';
import { NotFound } from './not-found';
import { DeliveryLog } from './webhooks/deliveries';
import { EditEndpointForm } from './webhooks/edit-form';
import { EndpointActions } from './webhooks/endpoint-actions';
import { EndpointState } from './webhooks/endpoint-state';
import { eventTypesInWords } from './webhooks/event-types';
import { ReplayRangeForm } from './webhooks/replay-range';
import { ShownOnceSecret } from './webhooks/secret';

/*
 * One endpoint's page: what it is and whether it is enabled; change its URL, description or event types; disable
 * or enable it, rotate its secret (the new one shown once), delete it; its delivery log with replay, one delivery or
 * a time range.
 */

type Loaded =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'error'; message: string }
  | { state: 'ready'; endpoint: WebhookEndpoint };

export function Webhook() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [version, setVersion] = useState(0);
  const [rotated, setRotated] = useState<WebhookWithSecret>();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  // Bumped by a replay, so the log reads itself again.
  const [logRound, setLogRound] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api
      .getWebhook(id, controller.signal)
      .then((endpoint) => setLoaded({ state: 'ready', endpoint }))
      .catch((error) => {
        if (isAbort(error)) return;
        if (error instanceof ApiError && (error.status === 404 || error.status === 400))
          setLoaded({ state: 'missing' });
        else setLoaded({ state: 'error', message: errorMessage(error) });
      });
    return () => controller.abort();
  }, [id, version]);

  useTitle(loaded.state === 'ready' ? 'Webhook endpoint' : loaded.state === 'missing' ? 'Not found' : '');
  if (loaded.state === 'missing')
    return <NotFound what="There is no webhook endpoint with this id (or it is not yours)." />;
  if (loaded.state === 'loading') return <p class="muted">Loading…</p>;
  if (loaded.state === 'error') {
    return (
      <section>
        <h1>Webhook endpoint</h1>
        <p class="error" role="alert">
          {loaded.message}
        </p>
        <button type="button" onClick={() => setVersion((v) => v + 1)}>
          Try again
        </button>
      </section>
    );
  }
  const { endpoint } = loaded;
  const changed = (next: WebhookEndpoint) => setLoaded({ state: 'ready', endpoint: next });
  return (
    <section>
      <p class="back">
        <a href={appPath('webhooks')}>← Webhooks</a>
      </p>
      <h1>Webhook endpoint</h1>
      <p>
        <code class="wrap">{endpoint.url}</code>
      </p>
      <p class="upload-head">
        <EndpointState endpoint={endpoint} />
      </p>
      <dl class="facts-list endpoint-facts">
        <div>
          <dt>Description</dt>
          <dd>{endpoint.description || <span class="muted">none</span>}</dd>
        </div>
        <div>
          <dt>Event types</dt>
          <dd>{eventTypesInWords(endpoint)}</dd>
        </div>
        {endpoint.allOwners && (
          <div>
            <dt>Owners</dt>
            <dd>Every owner’s events</dd>
          </div>
        )}
        <div>
          <dt>Added</dt>
          <dd>{formatDate(endpoint.createdAt)}</dd>
        </div>
        {endpoint.previousSecretExpiresAt && (
          <div>
            <dt>Previous secret</dt>
            <dd>signs too until {formatDate(endpoint.previousSecretExpiresAt)}</dd>
          </div>
        )}
        <div>
          <dt>Id</dt>
          <dd>
            <code class="wrap">{endpoint.endpointId}</code>
          </dd>
        </div>
      </dl>
      <EndpointActions
        endpoint={endpoint}
        editing={editing}
        onEdit={() => {
          setSaved(false);
          setEditing((open) => !open);
        }}
        onChanged={changed}
        onRotated={(answer) => {
          setRotated(answer);
          changed(answer.endpoint);
        }}
      />
      {editing && (
        <EditEndpointForm
          endpoint={endpoint}
          onSaved={(next) => {
            changed(next);
            setEditing(false);
            setSaved(true);
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      <p class="muted" role="status">
        {saved && 'Saved.'}
      </p>
      {rotated && (
        <ShownOnceSecret
          title="The new secret"
          secret={rotated.secret}
          rotated
          previousUntil={rotated.endpoint.previousSecretExpiresAt}
          onDone={() => setRotated(undefined)}
        />
      )}
      <DeliveryLog endpoint={endpoint} round={logRound} />
      <h2>Replay a time range</h2>
      <ReplayRangeForm endpoint={endpoint} onQueued={() => setLogRound((n) => n + 1)} />
    </section>
  );
}
