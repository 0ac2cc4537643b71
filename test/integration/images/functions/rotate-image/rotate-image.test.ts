import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SourceObjectMessage } from '../../../../../lambdas/backfill/source-object';
import {
  RESEND_AFTER_SECONDS,
  type RotateImageDeps,
  rotateImage,
} from '../../../../../lambdas/images/functions/rotate-image/rotate-image';
import { createDeclaredTable } from '../../../../../lambdas/local/tables';
import type { ImageEvent } from '../../../../../lambdas/manifest/events';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { ImageStore } from '../../../../../lambdas/store/image-store';
import { ROTATION_EDIT } from '../../../../../lambdas/store/reanalysing-edit';
import { RESULTS_TABLE } from '../../../../../lambdas/store/table-design';
import { TEST_USER } from '../../../../support/identities';
import { imageItem, processedAnalysis } from '../../../../support/items';
import { peopleMoto } from '../../../../support/people-table';

/**
 * Requests for one rotation sent at once, as DynamoDB (moto) judges their writes: only the request whose write changes
 * the rotation sends the image to be analysed again; the others, concurrent or later, send and publish nothing. On the
 * run's shared moto, in a table of this file's own.
 */
jest.setTimeout(60_000);

const caller = { owner: TEST_USER.sub, admin: false };
let store: ImageStore;
let put: (item: ImageItem) => Promise<void>;

beforeAll(async () => {
  const moto = peopleMoto();
  const tableName = `rotate-${randomUUID().slice(0, 8)}`;
  await createDeclaredTable(moto.dynamodb, tableName, RESULTS_TABLE.design);
  store = new ImageStore(moto.client, tableName);
  put = async (item) => {
    await moto.client.send(new PutCommand({ TableName: tableName, Item: item }));
  };
});

/** A PROCESSED record of an upload, never turned, with an id of its own (its upload key names it). */
async function uploaded(fields: Partial<ImageItem> = {}): Promise<ImageItem> {
  const imageId = `01J${randomUUID().replace(/-/g, '').slice(0, 23).toUpperCase()}`;
  const item = imageItem({ imageId, analysis: processedAnalysis({ width: 4, height: 3 }), ...fields });
  await put(item);
  return item;
}

/** The route's use case on the real store, its events and messages kept; `now` fixed, or the clock's. */
function world(now?: () => Date, failSends = 0) {
  const events: ImageEvent[] = [];
  const sent: SourceObjectMessage[] = [];
  let failing = failSends;
  const deps: RotateImageDeps = {
    store,
    publisher: { publish: async (event) => void events.push(event as ImageEvent) },
    queue: {
      send: async (message) => {
        if (failing-- > 0) throw new Error('the queue is down');
        sent.push(message);
      },
    },
    ...(now && { now }),
  };
  return { deps, events, sent };
}

const tenAtOnce = (imageId: string, deps: RotateImageDeps) =>
  Promise.allSettled(Array.from({ length: 10 }, () => rotateImage(imageId, { degrees: 90 }, caller, deps)));

describe('PUT /images/{id}/rotation sent ten times at once', () => {
  it('sends the image to be analysed again once, however close together the requests are', async () => {
    // The same millisecond for all ten: a write's time cannot tell it from another's.
    const at = new Date('2026-11-28T10:00:00.000Z');
    const image = await uploaded();
    const { deps, events, sent } = world(() => at);
    const answers = await tenAtOnce(image.imageId, deps);
    expect(answers.map((answer) => answer.status === 'fulfilled' && answer.value.status)).toEqual(
      Array(10).fill('REANALYSING'),
    );
    expect([sent.length, events.length]).toEqual([1, 1]);
    expect(await store.get(image.imageId)).toMatchObject({ rotation: 90, rotationSent: { at: at.toISOString() } });
  });

  it('sends once on the clock too, and a repeat later sends nothing while the turn is being made', async () => {
    const image = await uploaded();
    const { deps, events, sent } = world();
    const answers = await tenAtOnce(image.imageId, deps);
    expect(answers.filter((answer) => answer.status === 'fulfilled')).toHaveLength(10);
    expect(await rotateImage(image.imageId, { degrees: 90 }, caller, deps)).toMatchObject({ status: 'REANALYSING' });
    expect([sent.length, events.length]).toEqual([1, 1]);
  });

  it('answers UNCHANGED, sending nothing, once the turn is made', async () => {
    const image = await uploaded({ rotation: 90, rotationApplied: 90 });
    const { deps, sent } = world();
    const answers = await tenAtOnce(image.imageId, deps);
    expect(answers.map((answer) => answer.status === 'fulfilled' && answer.value.status)).toEqual(
      Array(10).fill('UNCHANGED'),
    );
    expect(sent).toEqual([]);
  });
});

describe('a turn whose message is not on its way', () => {
  it('is sent by the request sent again after a failed send, and by that one only', async () => {
    const image = await uploaded();
    const { deps, events, sent } = world(undefined, 1);
    await expect(rotateImage(image.imageId, { degrees: 90 }, caller, deps)).rejects.toThrow('the queue is down');
    const answers = await tenAtOnce(image.imageId, deps);
    expect(answers.filter((answer) => answer.status === 'fulfilled')).toHaveLength(10);
    // The turn was announced by the first request, which wrote it; the message went once, with a retry.
    expect([sent.length, events.length]).toEqual([1, 1]);
  });

  it(`is sent again once by a repeat ${RESEND_AFTER_SECONDS / 60} minutes after its message, never sooner`, async () => {
    const image = await uploaded();
    const start = Date.parse('2026-11-28T10:00:00.000Z');
    let clock = start;
    const { deps, sent } = world(() => new Date(clock));
    await rotateImage(image.imageId, { degrees: 90 }, caller, deps);
    clock = start + RESEND_AFTER_SECONDS * 1000;
    await tenAtOnce(image.imageId, deps);
    expect(sent).toHaveLength(1);
    clock += 1;
    await tenAtOnce(image.imageId, deps);
    expect(sent).toHaveLength(2);
  });
});

describe('requests for different turns', () => {
  it('send the image once for each change of its rotation', async () => {
    const image = await uploaded();
    const { deps, sent, events } = world();
    for (const degrees of [90, 180, 180, 90] as const) await rotateImage(image.imageId, { degrees }, caller, deps);
    expect(events.map((event) => (event.detail as { rotation?: number }).rotation)).toEqual([90, 180, 90]);
    expect(sent).toHaveLength(3);
  });
});

describe("the store's write of a turn", () => {
  it('takes a retried write whose first attempt landed for done, and another request of the same time for another', async () => {
    const image = await uploaded();
    const at = '2026-11-28T10:00:00.000Z';
    const ask = {
      imageId: image.imageId,
      owner: image.owner,
      value: 90 as const,
      after: [],
      sent: { at, token: 'first' },
      resendBefore: '2026-11-28T09:45:00.000Z',
    };
    expect(await store.askEdit(ROTATION_EDIT, ask)).toBe('changed');
    // The same request again, as the SDK sends it when the answer was lost: its condition fails on what it wrote.
    expect(await store.askEdit(ROTATION_EDIT, ask)).toBe('changed');
    // Another request in the same millisecond: its message is not to be sent.
    expect(await store.askEdit(ROTATION_EDIT, { ...ask, sent: { at, token: 'second' } })).toBe(false);
    expect(await store.get(image.imageId)).toMatchObject({ rotation: 90, rotationSent: { at, token: 'first' } });
  });
});
