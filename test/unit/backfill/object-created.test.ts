import { ObjectCreatedEventSchema, toWatchedObject } from '../../../lambdas/backfill/object-created';
import { PoisonMessageError, parseMessage } from '../../../lambdas/ingest/functions/processor/s3-event';
import { parseDeploymentSettings } from '../../../lambdas/settings';

const { sourceBuckets: SOURCES } = parseDeploymentSettings({ sourceBuckets: 'photos/2019/=studio,archive' });

/** AWS's example of the event ("EventBridge event message structure"), with our bucket and key. */
const AWS_EVENT = {
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '111122223333',
  time: '2021-11-12T00:00:00Z',
  region: 'ca-central-1',
  resources: ['arn:aws:s3:::photos'],
  detail: {
    version: '0',
    bucket: { name: 'photos' },
    object: {
      key: '2019/a+b %41.jpg',
      size: 5,
      etag: 'b1946ac92492d2347c6235b4d2611184',
      'version-id': 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
      sequencer: '617f08299329d189',
    },
    'request-id': 'N4N7GDK58NMKJ12R',
    requester: '123456789012',
    'source-ip-address': '1.2.3.4',
    reason: 'PutObject',
  },
};

/** What moto 5.2 delivers for the same write: `eTag`, epoch seconds for `time`, a null version id. */
const MOTO_EVENT = {
  ...AWS_EVENT,
  time: 1636675200.123,
  detail: {
    ...AWS_EVENT.detail,
    object: { key: '2019/a+b %41.jpg', size: 5, eTag: 'b1946ac9', 'version-id': null, sequencer: '617f' },
  },
};

describe("S3's Object Created event from EventBridge", () => {
  it.each([
    ['AWS', AWS_EVENT],
    ['moto', MOTO_EVENT],
  ])('takes the shape %s sends, the key as written, with its source entry', (_name, event) => {
    expect(parseMessage(JSON.stringify(event), SOURCES)).toEqual({
      kind: 'watched',
      watched: { bucket: 'photos', key: '2019/a+b %41.jpg', size: 5, source: SOURCES[0] },
    });
  });

  it('is no object of this deployment outside every source entry', () => {
    const elsewhere = { ...AWS_EVENT, detail: { ...AWS_EVENT.detail, bucket: { name: 'other' } } };
    expect(parseMessage(JSON.stringify(elsewhere), SOURCES)).toMatchObject({ kind: 'unwatched' });
    const parsed = ObjectCreatedEventSchema.parse({
      ...AWS_EVENT,
      detail: { ...AWS_EVENT.detail, object: { key: '2018/a.jpg' } },
    });
    expect(toWatchedObject(parsed, SOURCES)).toBe('photos/2018/a.jpg is under no sourceBuckets entry');
  });

  it('is refused as poison when it is another S3 event or lacks its object', () => {
    const deleted = { ...AWS_EVENT, 'detail-type': 'Object Deleted' };
    expect(() => parseMessage(JSON.stringify(deleted), SOURCES)).toThrow(PoisonMessageError);
    const keyless = { ...AWS_EVENT, detail: { bucket: { name: 'photos' }, object: {} } };
    expect(() => parseMessage(JSON.stringify(keyless), SOURCES)).toThrow(/detail\.object\.key/);
  });
});
