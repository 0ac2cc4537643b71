import { formatDate } from '../../format';
import type { WebhookEndpoint } from '../../types';

/* Whether an endpoint gets its events: a badge, then why it is disabled and since when it has been failing. */

export function EndpointState({ endpoint }: { endpoint: WebhookEndpoint }) {
  return (
    <>
      <span class={`badge ${endpoint.enabled ? 'processed' : 'rejected'}`}>
        {endpoint.enabled ? 'Enabled' : 'Disabled'}
      </span>
      {!endpoint.enabled && endpoint.disabledReason && (
        <span class="warning endpoint-why">Disabled: {endpoint.disabledReason}</span>
      )}
      {endpoint.failingSince && (
        <span class="warning endpoint-why">Failing since {formatDate(endpoint.failingSince)}</span>
      )}
    </>
  );
}
