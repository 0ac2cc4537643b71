import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SourceObjectMessage } from '../../backfill/source-object';
import type { IEventPublisher } from '../../events/events';
import { eventSinks } from '../../events/sinks';
import { createDocumentClient, createSqsClient } from '../../shared/aws-clients';
import { ConflictError } from '../../shared/errors';
import type { Powertools } from '../../shared/powertools';
import type { ImageItem } from '../../store/image-item';
import { ImageStore } from '../../store/image-store';
import type { Caller } from '../../store/owner';
import { appliedValue, type EditName, editValue, type ReanalysingEdit } from '../../store/reanalysing-edit';
import { readEditable, updatedEvent } from './edit-api';
import type { ReanalysisEnv } from './reanalysis-contract';
import { sourceMessageOf } from './source-message';

/*
 * What the edits that change the pixels (a rotation, a crop) share: the use case of their routes, where they send the
 * image to be made again, and how long its message is taken to be on its way. Each edit is an EditKind: its record
 * attributes (store/reanalysing-edit.ts), the value a request asks for, and how the API shows it.
 */

/** Where the image goes to be made again: the ingest queue, whose processor analyses it. */
export interface IReanalysisQueue {
  send(message: SourceObjectMessage): Promise<void>;
}

/**
 * How long an edit's message is taken to be on its way (`rotationSent.at`): a request for the same value sends it
 * again only once it is older, as when the request that wrote it died before it could send it, or the processor gave
 * it up. So requests for a value not made send at most one message per image in that time, which is longer than a
 * processing run can last (Lambda's 15 minutes at most).
 */
export const RESEND_AFTER_SECONDS = 15 * 60;

/** An edit's route: `Asked`, what a request asks for; `Shown`, the value as its answer shows it. */
export interface EditKind<V, Asked, Shown, N extends EditName = EditName> {
  readonly edit: ReanalysingEdit<V, N>;
  /** The value kept on the record for what was asked, of the record as read; throws a 400 for one it cannot make. */
  value(asked: Asked, item: ImageItem): V;
  /** The value as the answer shows it, of the record as read. */
  shown(value: V, item: ImageItem): Shown;
  /** What the queue's adapter logs and counts for a message sent. */
  readonly sentLog: string;
  readonly metric: string;
}

/** `PUT /images/{id}/rotation` and the like → 202 (being analysed again) or 200 (so already): `{imageId, <edit>, status}`. */
export type EditAnswer<N extends string, Shown> = { imageId: string } & { [K in N]: Shown } & {
  status: 'REANALYSING' | 'UNCHANGED';
};

export interface ReanalysisDeps {
  store: Pick<ImageStore, 'get' | 'askEdit' | 'unmarkEditSent'>;
  publisher: IEventPublisher;
  queue: IReanalysisQueue;
  now?: () => Date;
  /** This request's own token, which tells its write from another's (store/edit-ask.ts). @default a random UUID */
  token?: () => string;
}

/**
 * Edit an image's pixels as its owner asks (absolute: the value replaces the last), and have them made again:
 * 1. read the image (404 as for GET; 409 until it is PROCESSED); the value asked, as the record keeps it (400 for one
 *    that cannot be made); and the message that sends it to the processor again (409 for an object put in the bucket
 *    without an upload URL, which the processor cannot find again);
 * 2. a repeat (the value it has): made already, 200 UNCHANGED; being made (its message sent within
 *    RESEND_AFTER_SECONDS), 202 REANALYSING; either way nothing written, sent or published;
 * 3. else write the value (the value of none once undone, so no re-analysis's write can bring back an earlier one)
 *    and this request's mark of its message in one conditional update (store/edit-ask.ts), which also requires the
 *    edits it is made after as read (a crop, the turn): of requests at once, only the first writes; the others answer
 *    as a repeat, from the record as it is then (409 if it changed otherwise);
 * 4. publish `Image Updated` (`changed: [<edit>]`) when the value changed, and send the image's object to the ingest
 *    queue, to be analysed again: the processor makes the pixels with every edit, so its thumbnails, eager
 *    renditions, size, faces, text and labels are the edited picture's, records the values applied
 *    (`rotationApplied`) and publishes `Image Processed`. 202 REANALYSING. If either fails, the message's mark comes
 *    off, so the request sent again sends it (a value asked whose message is not on its way is sent by the next
 *    request for it).
 * Scale: one GetItem, one UpdateItem, one PutEvents and one SendMessage for the request that changes it; one GetItem
 * for a repeat (and a refused UpdateItem and a GetItem for one sent at the same time as the changing one). No
 * postings: such an edit changes no search term; the work is the processor's, at the queue's pace.
 */
export async function reanalyse<V, Asked, Shown, N extends EditName>(
  kind: EditKind<V, Asked, Shown, N>,
  imageId: string,
  asked: Asked,
  caller: Caller,
  deps: ReanalysisDeps,
): Promise<EditAnswer<N, Shown>> {
  const { edit } = kind;
  const item = await readEditable(imageId, caller, deps);
  const value = kind.value(asked, item);
  const message = sourceMessageOf(item, { owner: item.owner, reown: false, reprocess: true });
  const now = deps.now?.() ?? new Date();
  const resendBefore = new Date(now.getTime() - RESEND_AFTER_SECONDS * 1000).toISOString();
  const repeat = repeatAnswer(kind, item, value, resendBefore);
  if (repeat) return repeat;

  const at = now.toISOString();
  const sent = { at, token: deps.token?.() ?? randomUUID() };
  const after = (edit.after ?? []).map((earlier) => ({ edit: earlier, value: editValue(earlier, item) }));
  const written = await deps.store.askEdit(edit, { imageId, owner: item.owner, value, after, sent, resendBefore });
  if (written === false) {
    // Another request got there first: answered as a repeat is, from the record as that one left it.
    const found = repeatAnswer(kind, await readEditable(imageId, caller, deps), value, resendBefore);
    if (found) return found;
    throw new ConflictError(`image ${imageId} changed while it was being edited: try again`);
  }
  try {
    if (written === 'changed') {
      const edited: ImageItem = { ...item, [edit.name]: value, updatedAt: at };
      await deps.publisher.publish(updatedEvent(edited, [edit.name], caller.owner, at));
    }
    await deps.queue.send(message);
  } catch (error) {
    // If this fails too, the mark stays, and a request RESEND_AFTER_SECONDS later sends the message.
    await deps.store.unmarkEditSent(edit, imageId, sent).catch(() => undefined);
    throw error;
  }
  return answer(kind, item, value, 'REANALYSING');
}

/**
 * The answer to a request for the value the image has: made, UNCHANGED; its message on its way, REANALYSING. None
 * when it has another, or its message was never sent or is older than `resendBefore` (this request sends it).
 */
function repeatAnswer<V, Asked, Shown, N extends EditName>(
  kind: EditKind<V, Asked, Shown, N>,
  item: ImageItem,
  value: V,
  resendBefore: string,
): EditAnswer<N, Shown> | undefined {
  const { edit } = kind;
  if (!edit.same(item[edit.name] as V | undefined, value)) return undefined;
  if (edit.same(appliedValue(edit, item), value)) return answer(kind, item, value, 'UNCHANGED');
  const sent = item[edit.sent];
  return sent && sent.at >= resendBefore ? answer(kind, item, value, 'REANALYSING') : undefined;
}

function answer<V, Asked, Shown, N extends EditName>(
  kind: EditKind<V, Asked, Shown, N>,
  item: ImageItem,
  value: V,
  status: 'REANALYSING' | 'UNCHANGED',
): EditAnswer<N, Shown> {
  return { imageId: item.imageId, [kind.edit.name]: kind.shown(value, item), status } as EditAnswer<N, Shown>;
}

/** The adapters of an edit's routes, made once per container. */
export function reanalysisDeps(
  kind: Pick<EditKind<unknown, unknown, unknown>, 'sentLog' | 'metric'>,
  config: ReanalysisEnv,
  tools: Powertools,
): ReanalysisDeps {
  const sqs = createSqsClient(tools.tracer);
  // Counted as sent: a repeat answers REANALYSING while the one message is on its way, and sends nothing.
  const queue: IReanalysisQueue = {
    send: async (message) => {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: config.INGEST_QUEUE_URL, MessageBody: JSON.stringify(message) }),
      );
      tools.logger.info(kind.sentLog);
      tools.metrics.addMetric(kind.metric, MetricUnit.Count, 1);
    },
  };
  return {
    store: new ImageStore(createDocumentClient(tools.tracer), config.TABLE_NAME),
    publisher: eventSinks({ env: config, tracer: tools.tracer }),
    queue,
  };
}

/** The HTTP answer of an edit's route: 202 while the image is being made again, 200 when it is so already. */
export function reanalysisResponse<A extends { status: 'REANALYSING' | 'UNCHANGED' }>(answer: A) {
  return { statusCode: answer.status === 'REANALYSING' ? 202 : 200, body: answer };
}
