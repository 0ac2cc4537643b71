import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { z } from 'zod';
import type { SameType } from '../../api/schemas';
import {
  type Crop,
  FULL_FRAME,
  isFullFrame,
  normalCrop,
  sameCrop,
  tooSmall,
  turnCrop,
  uncroppedSize,
  unturnCrop,
} from '../../core/crop';
import type { IEventPublisher } from '../../events/events';
import { eventSinks } from '../../events/sinks';
import { createDocumentClient, createSqsClient } from '../../shared/aws-clients';
import { BadRequestError, ConflictError } from '../../shared/errors';
import type { Powertools } from '../../shared/powertools';
import type { ImageItem } from '../../store/image-item';
import { ImageStore } from '../../store/image-store';
import type { Caller } from '../../store/owner';
import type { CropAnswerSchema, CropImageEnv } from './crop-image/route';
import { readEditable, updatedEvent } from './edit-api';
import { type IReanalysisQueue, RESEND_AFTER_SECONDS } from './reanalysis';
import { sourceMessageOf } from './source-message';

/*
 * `PUT` and `DELETE /images/{id}/crop` (crop-image, uncrop-image): the use case they share, and their adapters.
 */

/** `PUT` or `DELETE /images/{id}/crop` → 202 (being analysed again, cut) or 200 (cut so already). */
export interface CropAnswer {
  imageId: string;
  /** Of the upright photo. */
  crop: Crop;
  status: 'REANALYSING' | 'UNCHANGED';
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<CropAnswer, z.output<typeof CropAnswerSchema>> = true;

export interface CropImageDeps {
  store: Pick<ImageStore, 'get' | 'askCrop' | 'unmarkCropSent'>;
  publisher: IEventPublisher;
  queue: IReanalysisQueue;
  now?: () => Date;
  /** This request's own token, which tells its write from another's (crop-ask.ts). @default a random UUID */
  token?: () => string;
}

/**
 * Keep a part of an image, as its owner asks (absolute; none, or the whole photo, undoes), exactly as a rotation is
 * made (rotate-image/rotate-image.ts, which says why each step is so):
 * 1. read the image (404 as for GET; 409 until it is PROCESSED), and the message that sends it to the processor;
 * 2. the crop asked is of the upright photo (after the owner's `rotation`): kept as the same part of the photo
 *    before the turn (core/crop.ts), so a later turn keeps it; one keeping under MIN_CROP_PIXELS a side of the
 *    photo is refused (400);
 * 3. a repeat (the crop it has): made already, 200 UNCHANGED; its message on its way, 202 REANALYSING; nothing
 *    written, sent or published;
 * 4. else write `crop` and this request's `cropSent` in one conditional update (store/crop-ask.ts), which also
 *    requires the rotation read: of requests at once, only the first writes;
 * 5. publish `Image Updated` (`changed: ["crop"]`) when the crop changed, and send the image's object to the ingest
 *    queue to be analysed again, cut (`cropApplied`). If either fails, the message's mark comes off.
 * Scale: as a rotation's, one GetItem, one UpdateItem, one PutEvents and one SendMessage.
 */
export async function cropImage(
  imageId: string,
  asked: Crop | undefined,
  caller: Caller,
  deps: CropImageDeps,
): Promise<CropAnswer> {
  const item = await readEditable(imageId, caller, deps);
  const turn = item.rotation ?? 0;
  const upright = normalCrop(asked ?? FULL_FRAME);
  const crop = unturnCrop(upright, turn);
  if (!isFullFrame(crop)) checkSize(item, upright);
  const message = sourceMessageOf(item, { owner: item.owner, reown: false, reprocess: true });
  const now = deps.now?.() ?? new Date();
  const resendBefore = new Date(now.getTime() - RESEND_AFTER_SECONDS * 1000).toISOString();
  const repeat = repeatAnswer(item, crop, resendBefore);
  if (repeat) return repeat;

  const at = now.toISOString();
  const sent = { at, token: deps.token?.() ?? randomUUID() };
  const written = await deps.store.askCrop({ imageId, owner: item.owner, crop, rotation: turn, sent, resendBefore });
  if (written === false) {
    // Another request got there first: answered as a repeat is, from the record as that one left it.
    const found = repeatAnswer(await readEditable(imageId, caller, deps), crop, resendBefore);
    if (found) return found;
    throw new ConflictError(`image ${imageId} changed while it was being edited: try again`);
  }
  try {
    if (written === 'cropped') {
      await deps.publisher.publish(updatedEvent({ ...item, crop, updatedAt: at }, ['crop'], caller.owner, at));
    }
    await deps.queue.send(message);
  } catch (error) {
    // If this fails too, the mark stays, and a request RESEND_AFTER_SECONDS later sends the message.
    await deps.store.unmarkCropSent(imageId, sent).catch(() => undefined);
    throw error;
  }
  return { imageId, crop: turnCrop(crop, turn), status: 'REANALYSING' };
}

/** A crop keeping under MIN_CROP_PIXELS a side of the full-size photo is refused: it would make no picture. */
function checkSize(item: ImageItem, upright: Crop): void {
  const analysis = item.analysis?.status === 'PROCESSED' ? item.analysis : undefined;
  if (!analysis) return;
  const size = uncroppedSize(analysis.metadata, item.cropApplied, item.rotationApplied ?? 0, item.rotation ?? 0);
  const problem = tooSmall(upright, size);
  if (problem) throw new BadRequestError(problem);
}

/**
 * The answer to a request for the crop the image has: made, UNCHANGED; its message on its way, REANALYSING. None
 * when it has another, or its message was never sent or is older than `resendBefore` (this request sends it).
 */
function repeatAnswer(item: ImageItem, crop: Crop, resendBefore: string): CropAnswer | undefined {
  if (!sameCrop(item.crop, crop)) return undefined;
  const { imageId } = item;
  const upright = turnCrop(crop, item.rotation ?? 0);
  if (sameCrop(item.cropApplied, crop)) return { imageId, crop: upright, status: 'UNCHANGED' };
  const sent = item.cropSent;
  return sent && sent.at >= resendBefore ? { imageId, crop: upright, status: 'REANALYSING' } : undefined;
}

/** The adapters of `PUT` and `DELETE /images/{id}/crop`, made once per container: a rotation's. */
export function cropDeps(config: CropImageEnv, tools: Powertools): CropImageDeps {
  const sqs = createSqsClient(tools.tracer);
  // Counted as sent: a repeat answers REANALYSING while the one message is on its way, and sends nothing.
  const queue: IReanalysisQueue = {
    send: async (message) => {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: config.INGEST_QUEUE_URL, MessageBody: JSON.stringify(message) }),
      );
      tools.logger.info('image sent to be analysed again, cropped');
      tools.metrics.addMetric('ImagesCropped', MetricUnit.Count, 1);
    },
  };
  return {
    store: new ImageStore(createDocumentClient(tools.tracer), config.TABLE_NAME),
    publisher: eventSinks({ env: config, tracer: tools.tracer }),
    queue,
  };
}
