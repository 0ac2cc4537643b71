import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, isAbort } from '../api';
import { appPath } from '../config';
import { useTitle } from '../title';
import type { WebhookEndpoint, WebhookWithSecret } from '../types';
import { AddEndpointForm } from './webhooks/add-form';
import { EndpointState } from './webhooks/endpoint-state';
import { eventTypesInWords } from './webhooks/event-types';
import { ShownOnceSecret } from './webhooks/secret';

/*
 * The Webhooks page (`webhooks` on): the caller's endpoints (`GET /webhooks`), each linking to its own page (its
 * delivery log, replay, rotation, disabling, deletion), and a form to add one, whose secret is shown here once.
 */

/** `admin`: whether the caller is one, as far as the app can tell (auth.ts), to offer every owner's events. */
export function Webhooks({ admin = false }: { admin?: boolean }) {
  useTitle('Webhooks');
  const [endpoints, setEndpoints] = useState<WebhookEndpoint[]>();
  const [problem, setProblem] = useState<string>();
  const [created, setCreated] = useState<WebhookWithSecret>();
  const [round, setRound] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api
      .listWebhooks(controller.signal)
      .then((list) => {
        setEndpoints(list.items);
        setProblem(undefined);
      })
      .catch((error) => {
        if (!isAbort(error)) setProblem(errorMessage(error));
      });
    return () => controller.abort();
  }, [round]);

  return (
    <section>
      <h1>Webhooks</h1>
      <p class="muted">
        Each endpoint gets your events as HTTP POSTs signed per Standard Webhooks, retried for about a day when it does
        not answer, and logged for replay.
      </p>
      {created && (
        <ShownOnceSecret title="The new endpoint’s secret" secret={created.secret} onDone={() => setCreated(undefined)}>
          <p>
            Added <code class="wrap">{created.endpoint.url}</code>.{' '}
            <a href={appPath(`webhooks/${created.endpoint.endpointId}`)}>Its delivery log</a>
          </p>
        </ShownOnceSecret>
      )}
      <h2>Endpoints</h2>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {endpoints === undefined ? (
        !problem && <p class="muted">Loading…</p>
      ) : endpoints.length === 0 ? (
        <p class="muted">No endpoint yet: add one below.</p>
      ) : (
        <ul class="uploads" aria-label="Endpoints">
          {endpoints.map((endpoint) => (
            <EndpointItem key={endpoint.endpointId} endpoint={endpoint} />
          ))}
        </ul>
      )}
      <h2>Add an endpoint</h2>
      <AddEndpointForm
        admin={admin}
        onAdded={(added) => {
          setCreated(added);
          setRound((n) => n + 1);
        }}
      />
    </section>
  );
}

function EndpointItem({ endpoint }: { endpoint: WebhookEndpoint }) {
  return (
    <li class="endpoint" data-endpoint-id={endpoint.endpointId}>
      <div class="upload-head">
        <a href={appPath(`webhooks/${endpoint.endpointId}`)}>
          <code class="wrap">{endpoint.url}</code>
        </a>
        <EndpointState endpoint={endpoint} />
      </div>
      {endpoint.description && <p class="endpoint-line">{endpoint.description}</p>}
      <p class="muted endpoint-line">
        {eventTypesInWords(endpoint)}
        {endpoint.allOwners && ' · every owner’s events'}
      </p>
    </li>
  );
}
