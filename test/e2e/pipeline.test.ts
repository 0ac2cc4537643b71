import { createHash, randomBytes } from 'node:crypto';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import pLimit from 'p-limit';
import { ulid } from 'ulid';
import { fixture } from '../fixtures';
import { schemaErrors } from '../support/event-schemas';
import { clientsFor, EventCollector, eventually, messagesHandled } from './support';
import { loadTarget } from './target';

const target = loadTarget();
const { api, admin, s3, sqs, events } = clientsFor(target);
const collector = new EventCollector(sqs, events, target.eventBus);
const WAIT = target.timeoutSeconds * 1000;
/**
 * The burst: three times what the processor holds at once (batches of 10, two at a time), so most of it waits in the
 * queue. It was 200, which the latency bench sends (bench/latency: its drain time, new against old); here it checks
 * that none is lost and none processed twice, which 60 does at a third of the CPU on a runner the e2e files share.
 */
const BURST = 60;
jest.setTimeout(WAIT * 2);

beforeAll(() => collector.start());
afterAll(() => collector.stop());

/** Bytes no other test (or earlier run) uploaded: a real photo with a few random bytes appended after its end. */
function unique(name: string): Buffer {
  return Buffer.concat([fixture(name), randomBytes(16)]);
}

async function exists(key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

describe('the pipeline, end to end', () => {
  it('processes a photo uploaded through the API: record, thumbnails, presigned URLs and event', async () => {
    const bytes = unique('photos/pier.jpg');
    const imageId = await api.upload(bytes, { filename: 'pier.jpg' });
    const image = await api.waitForFinal(imageId, WAIT);

    expect(image).toMatchObject({
      status: 'PROCESSED',
      filename: 'pier.jpg',
      analysis: { metadata: { format: 'jpeg', width: 1280, height: 800 } },
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    const analysis = image.analysis as { palette: unknown[]; hashes: { phash: string } };
    expect(analysis.palette.length).toBeGreaterThanOrEqual(3);
    expect(analysis.hashes.phash).toMatch(/^[0-9a-f]{16}$/);
    for (const key of Object.values(image.thumbnails as Record<string, string>)) expect(await exists(key)).toBe(true);

    const original = await fetch(image.urls?.original as string);
    expect(original.status).toBe(200);
    expect(Buffer.from(await original.arrayBuffer()).equals(bytes)).toBe(true);
    const thumbnail = await fetch(image.urls?.thumbnails?.['512'] as string);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');

    const event = await collector.waitFor(imageId, 'Image Processed', WAIT);
    expect(schemaErrors('Image Processed', event.detail)).toEqual([]);
    expect(event.detail).toMatchObject({ version: 1, status: 'PROCESSED', summary: { width: 1280, height: 800 } });
  });

  it('keeps the tags and metadata of an upload on its record and carries them in Image Processed', async () => {
    const imageId = await api.upload(unique('photos/kite.jpg'), {
      filename: 'kite.jpg',
      tags: [' kite ', 'sky', 'kite', 'été'],
      metadata: { album: 'summer', 'camera.model': 'X100', note: '🪁 over the pier' },
    });
    const expected = {
      tags: ['kite', 'sky', 'été'],
      metadata: { album: 'summer', 'camera.model': 'X100', note: '🪁 over the pier' },
    };
    const image = await api.waitForFinal(imageId, WAIT);
    expect(image).toMatchObject({ status: 'PROCESSED', ...expected });
    const event = await collector.waitFor(imageId, 'Image Processed', WAIT);
    expect(schemaErrors('Image Processed', event.detail)).toEqual([]);
    expect(event.detail).toMatchObject(expected);
  });

  it.each([
    ['a corrupt JPEG', 'bad/truncated.jpg', 'CORRUPT_IMAGE'],
    ['a text file that claims to be a JPEG', 'bad/text.jpg', 'UNSUPPORTED_FORMAT'],
  ])('records %s as REJECTED once, with an Image Rejected event', async (_, name, code) => {
    const imageId = await api.upload(fixture(name), { contentType: 'image/jpeg', filename: name });
    const image = await api.waitForFinal(imageId, WAIT);
    expect(image).toMatchObject({ status: 'REJECTED', rejection: { code }, attempts: 1 });
    const event = await collector.waitFor(imageId, 'Image Rejected', WAIT);
    expect(schemaErrors('Image Rejected', event.detail)).toEqual([]);
  });

  it('marks the second upload of the same bytes as a duplicate of the first', async () => {
    const bytes = unique('photos/leaf.jpg');
    const first = await api.upload(bytes);
    await api.waitForFinal(first, WAIT);
    const second = await api.upload(bytes);
    const image = await api.waitForFinal(second, WAIT);
    expect(image).toMatchObject({ status: 'PROCESSED', duplicateOf: first });
    const event = await collector.waitFor(second, 'Image Processed', WAIT);
    expect(event.detail).toMatchObject({ summary: { duplicateOf: first } });
  });

  it('keeps one record and one event when S3 notification is delivered again', async () => {
    const imageId = await api.upload(unique('photos/kite.jpg'));
    const before = await api.waitForFinal(imageId, WAIT);
    await collector.waitFor(imageId, 'Image Processed', WAIT);
    const { ETag } = await s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: before.key as string }));
    const replay = {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          eventTime: new Date().toISOString(),
          eventName: 'ObjectCreated:Post',
          s3: { bucket: { name: target.bucket }, object: { key: before.key, eTag: ETag?.replace(/"/g, '') } },
        },
      ],
    };
    const sent = [];
    for (let i = 0; i < 2; i++) {
      const { MessageId } = await sqs.send(
        new SendMessageCommand({ QueueUrl: target.queueUrl, MessageBody: JSON.stringify(replay) }),
      );
      sent.push(MessageId as string);
    }
    // Its own two messages, not the whole queue: other files keep the runner's queue busy.
    await messagesHandled(target, sqs, target.queueUrl, sent, WAIT);

    const after = await api.get(imageId);
    expect(after?.updatedAt).toBe(before.updatedAt);
    expect(collector.of(imageId, 'Image Processed')).toHaveLength(1);
  });

  it('sends a message that keeps failing to the DLQ after the redrive count, and records it FAILED', async () => {
    // A notification for an object in a bucket that does not exist: the read fails on every attempt.
    const imageId = ulid();
    const bucket = `e2e-missing-${randomBytes(4).toString('hex')}`;
    const notification = {
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          eventTime: new Date().toISOString(),
          s3: { bucket: { name: bucket }, object: { key: `uploads/${imageId}.jpg`, size: 10 } },
        },
      ],
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: target.queueUrl, MessageBody: JSON.stringify(notification) }));

    const dlqTimeout = target.dlqTimeoutSeconds * 1000;
    // No upload URL was issued for it, so the image has no owner: an admin sees it.
    const image = await eventually('the FAILED record', dlqTimeout, async () => {
      const found = await admin.get(imageId);
      return found?.status === 'FAILED' ? found : undefined;
    });
    // The original's bucket is not the pipeline's, so the record names it as the source.
    expect(image).toMatchObject({ sourceBucket: bucket, attempts: 5 });
    const dead = await eventually('the message in the DLQ', dlqTimeout, async () => {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: target.dlqUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
      );
      return Messages.find((m) => m.Body?.includes(imageId));
    });
    expect(JSON.parse(dead.Body as string).Records[0].s3.bucket.name).toBe(bucket);
    const event = await collector.waitFor(imageId, 'Image Failed', WAIT);
    expect(schemaErrors('Image Failed', event.detail)).toEqual([]);
  });

  it('deletes the original, the thumbnails and the record, and publishes Image Deleted', async () => {
    const imageId = await api.upload(unique('photos/cups.jpg'));
    const image = await api.waitForFinal(imageId, WAIT);
    const keys = [image.key as string, ...Object.values(image.thumbnails as Record<string, string>)];
    await api.delete(imageId, { permanently: true });
    expect(await api.get(imageId)).toBeUndefined();
    const left = [];
    for (const key of keys) if (await exists(key)) left.push(key);
    expect({ left, record: await api.get(imageId) }).toEqual({ left: [], record: undefined });
    const event = await collector.waitFor(imageId, 'Image Deleted', WAIT);
    expect(schemaErrors('Image Deleted', event.detail)).toEqual([]);
  });

  it(
    `processes a burst of ${BURST} uploads, none lost and none twice`,
    async () => {
      const photos = ['photos/boats.jpg', 'photos/cups.jpg', 'photos/forest.jpg', 'photos/kite.jpg', 'photos/leaf.jpg'];
      const started = Date.now();
      const ids: string[] = [];
      const queue = Array.from({ length: BURST }, (_, i) => unique(photos[i % photos.length] as string));
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          for (let bytes = queue.pop(); bytes; bytes = queue.pop()) ids.push(await api.upload(bytes));
        }),
      );
      const uploadedMs = Date.now() - started;
      // Wait on the completion events, as a subscriber would: polling each record would mostly measure the poll.
      const finals = new Set(['Image Processed', 'Image Rejected', 'Image Failed']);
      await eventually(`a completion event for all ${BURST} images`, WAIT * 4, async () => {
        const done = new Set(collector.events.filter((e) => finals.has(e.detailType)).map((e) => e.detail.imageId));
        return ids.every((id) => done.has(id)) ? true : undefined;
      });
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `burst: ${BURST} uploads sent in ${(uploadedMs / 1000).toFixed(1)} s, all processed after ${seconds.toFixed(1)} s: ` +
          `${(BURST / seconds).toFixed(1)} images/s end to end`,
      );
      // Read back as a client would, a few at a time: 200 GETs at once on the runner's one process, behind the rest of
      // the suite on 2 cores, once went past a function's 29 s and were answered 502, as API Gateway would.
      const limit = pLimit(10);
      const statuses = await Promise.all(ids.map((id) => limit(async () => (await api.get(id))?.status)));
      expect(new Set(ids).size).toBe(BURST);
      expect(statuses.filter((status) => status !== 'PROCESSED')).toEqual([]);
      expect(ids.flatMap((id) => collector.of(id, 'Image Processed'))).toHaveLength(BURST);
      // The sends and the wait for the events (WAIT * 4): past the file's WAIT * 2, jest would end the test first and
      // say only that it timed out, not how many images had no event.
    },
    WAIT * 5,
  );
});
