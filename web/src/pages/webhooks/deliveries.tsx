import { useEffect, useRef, useState } from 'preact/hooks';
import { ActionButton } from '../../action-button';
import { api, errorMessage } from '../../api';
import { appPath } from '../../config';
import { formatDate } from '../../format';
import { ListStatus, LoadMore } from '../../load-more';
import { usePaged } from '../../paged';
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../../types';

/*
 * An endpoint's delivery log (`GET /webhooks/{id}/deliveries`), newest first, page by page: each delivery's time,
 * event type, image, status and attempts, with its answers' excerpts and its payload behind a Details button, and a
 * Replay button (`POST /webhooks/{id}/replay`). Read again while a delivery is pending, and for a while after a replay.
 */

const PAGE_SIZE = '25';
const POLL_MS = 2000;
/** How long after a replay the log is read again even though nothing shows pending yet. */
const WATCH_MS = 30_000;
const idOf = (delivery: WebhookDelivery) => delivery.webhookId;

const STATUS: Record<WebhookDelivery['status'], { word: string; tone: string }> = {
  SUCCEEDED: { word: 'Succeeded', tone: 'processed' },
  PENDING: { word: 'Pending', tone: 'pending' },
  FAILED: { word: 'Failed', tone: 'failed' },
  // Sent once the endpoint succeeds again.
  HELD: { word: 'Held', tone: 'pending' },
};

export function DeliveryLog({ endpoint, round }: { endpoint: WebhookEndpoint; round: number }) {
  const id = endpoint.endpointId;
  const list = usePaged(
    id,
    (cursor, signal) => api.listWebhookDeliveries(id, { limit: PAGE_SIZE, cursor }, signal),
    idOf,
  );
  const [watchUntil, setWatchUntil] = useState(0);
  const [said, setSaid] = useState<{ text: string; error?: boolean }>();
  const first = useRef(true);

  // A range replayed from the form below: read the log again, and keep reading it for a while.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    setWatchUntil(Date.now() + WATCH_MS);
    void list.reload();
  }, [round]);

  const pending = list.items.some((delivery) => delivery.status === 'PENDING');
  useEffect(() => {
    if (list.loading || (!pending && Date.now() > watchUntil)) return;
    const timer = setTimeout(() => void list.reload(), POLL_MS);
    return () => clearTimeout(timer);
  }, [list.loading, list.items, pending, watchUntil]);

  const replay = async (delivery: WebhookDelivery) => {
    setSaid(undefined);
    try {
      const answer = await api.replayWebhook(id, { webhookId: delivery.webhookId });
      const what = `the ${delivery.eventType} of ${formatDate(delivery.createdAt)}`;
      setSaid({
        text:
          answer.queued === 'already'
            ? `Not queued again: ${what} is pending, its attempts are under way.`
            : `Replay of ${what} queued.`,
      });
      setWatchUntil(Date.now() + WATCH_MS);
      await list.reload();
    } catch (error) {
      setSaid({ text: `Not replayed: ${errorMessage(error)}`, error: true });
    }
  };

  return (
    <section aria-labelledby="delivery-log-title" class="delivery-log">
      <div class="log-head">
        <h2 id="delivery-log-title">Delivery log</h2>
        <ActionButton class="secondary small" action={() => list.reload()}>
          Refresh
        </ActionButton>
      </div>
      <ListStatus
        list={list}
        empty="No deliveries yet: they appear as events of the types it takes happen."
        counted={(count) => `${count} ${count === 1 ? 'delivery' : 'deliveries'}`}
      />
      {said && (
        <p class={said.error ? 'error' : 'muted'} role={said.error ? 'alert' : 'status'}>
          {said.text}
        </p>
      )}
      {list.items.length > 0 && (
        // Wider than a phone: the table scrolls sideways in its own box, which a keyboard can focus to scroll.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to be scrolled by keys
        <section class="table-scroll" aria-label="Deliveries, scrolls sideways" tabIndex={0}>
          <table class="deliveries" aria-label="Deliveries">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">Image</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((delivery) => (
                <DeliveryRows key={delivery.webhookId} delivery={delivery} onReplay={replay} />
              ))}
            </tbody>
          </table>
        </section>
      )}
      <LoadMore list={list} />
    </section>
  );
}

function DeliveryRows({
  delivery,
  onReplay,
}: {
  delivery: WebhookDelivery;
  onReplay: (delivery: WebhookDelivery) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const detailId = `delivery-${delivery.webhookId}`;
  const when = formatDate(delivery.createdAt);
  const { word, tone } = STATUS[delivery.status];
  return (
    <>
      <tr data-webhook-id={delivery.webhookId} data-status={delivery.status}>
        <td>{when}</td>
        <td>{delivery.eventType}</td>
        <td>
          {delivery.imageId ? (
            <a href={appPath(`images/${delivery.imageId}`)} title={delivery.imageId}>
              <code class="image-id">{delivery.imageId}</code>
            </a>
          ) : (
            <span class="muted">none</span>
          )}
        </td>
        <td>
          <span class={`badge ${tone}`}>{word}</span>
          {delivery.status === 'PENDING' && delivery.nextAttemptAt && (
            <span class="muted next-attempt">next at {formatDate(delivery.nextAttemptAt)}</span>
          )}
        </td>
        <td>
          <ol class="attempts">
            {delivery.attempts.map((attempt) => (
              <li key={`${attempt.at}-${attempt.attempt}`}>{attemptInWords(attempt)}</li>
            ))}
          </ol>
        </td>
        <td class="row-buttons">
          <button
            type="button"
            class="secondary small"
            aria-expanded={open}
            aria-controls={detailId}
            onClick={() => setOpen(!open)}
          >
            Details
            <span class="visually-hidden">
              {' '}
              of the {delivery.eventType} of {when}
            </span>
          </button>
          <ActionButton class="secondary small" action={() => onReplay(delivery)}>
            Replay
            <span class="visually-hidden">
              {' '}
              the {delivery.eventType} of {when}
            </span>
          </ActionButton>
        </td>
      </tr>
      <tr id={detailId} class="delivery-detail" hidden={!open}>
        {open && (
          <td colSpan={6}>
            <p class="muted">
              <code class="wrap">webhook-id: {delivery.webhookId}</code>
            </p>
            {delivery.attempts.map((attempt) => (
              <div key={`${attempt.at}-${attempt.attempt}`} class="attempt-detail">
                <p>
                  {formatDate(attempt.at)}: {attemptInWords(attempt)}
                  {attempt.excerpt && ', answered:'}
                </p>
                {attempt.excerpt ? <pre>{attempt.excerpt}</pre> : <p class="muted">No response body.</p>}
              </div>
            ))}
            <p>Payload:</p>
            <pre>{JSON.stringify(delivery.payload, null, 2)}</pre>
          </td>
        )}
      </tr>
    </>
  );
}

/** `Attempt 2 (replay): 204 in 35 ms`, `Attempt 1: timed out after 10 s in 10003 ms`. */
function attemptInWords(attempt: WebhookAttempt): string {
  const outcome = attempt.ok
    ? String(attempt.statusCode ?? 'OK')
    : (attempt.error ?? (attempt.statusCode !== undefined ? `HTTP ${attempt.statusCode}` : 'failed'));
  return `Attempt ${attempt.attempt}${attempt.replay ? ' (replay)' : ''}: ${outcome} in ${attempt.latencyMs} ms`;
}
