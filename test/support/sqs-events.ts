import type { SQSEvent, SQSRecord } from 'aws-lambda';

let sequence = 0;

/** The body S3 puts on the queue for one ObjectCreated event (keys arrive form-encoded, as S3 sends them). */
export function s3Notification(options: {
  bucket?: string;
  key: string;
  eTag?: string;
  size?: number;
  eventName?: string;
  eventTime?: string;
}): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'eu-west-1',
        eventTime: options.eventTime ?? '2026-11-22T10:00:00.000Z',
        eventName: options.eventName ?? 'ObjectCreated:Post',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: options.bucket ?? 'images', arn: `arn:aws:s3:::${options.bucket ?? 'images'}` },
          object: { key: options.key, size: options.size ?? 1000, eTag: options.eTag ?? 'etag-1', sequencer: '0A1B' },
        },
      },
    ],
  });
}

/** An SQS record as the event source mapping delivers it. */
export function sqsRecord(body: string, options: { receiveCount?: number; messageId?: string } = {}): SQSRecord {
  sequence += 1;
  return {
    messageId: options.messageId ?? `message-${sequence}`,
    receiptHandle: `receipt-${sequence}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: '1795000000000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1795000000000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:ingest',
    awsRegion: 'eu-west-1',
  };
}

export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}
