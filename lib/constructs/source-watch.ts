import { createHash } from 'node:crypto';
import { Duration } from 'aws-cdk-lib';
import { type EventPattern, Match, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SourceBucket } from '../../lambdas/settings';

export interface SourceWatchProps {
  /** The `sourceBuckets` entries to watch: one rule each. */
  readonly sources: readonly SourceBucket[];
  /** The ingest queue the events go to: the processor takes them as a backfill's objects. */
  readonly queue: IQueue;
  /**
   * Where an event EventBridge could not deliver after its retries goes. Its policy gets a statement for each rule.
   * @default - none: an undelivered event is dropped
   */
  readonly deadLetterQueue?: IQueue;
  /** How long EventBridge keeps trying to deliver an event. @default Duration.hours(24) */
  readonly maxEventAge?: Duration;
}

/**
 * `watchSourceBuckets`: each source bucket's new objects fed to the ingest queue as they are written. One rule per
 * `sourceBuckets` entry on the account's default event bus, where S3 sends its events: `aws.s3`, `Object Created`,
 * the entry's bucket and, when it has one, keys under its prefix. The event goes to the queue whole, and the
 * processor gives the object the image id and the owner a backfill would (lambdas/backfill/object-created.ts), so a
 * watched object later backfilled, or backfilled then reported, is recorded once.
 *
 * The buckets are not the stack's, and it leaves them as they are: each bucket's owner must turn on its
 * EventBridge notifications, which every rule relies on (without them no event is sent, and nothing fails):
 *
 *     aws s3api put-bucket-notification-configuration --bucket B \
 *       --notification-configuration '{"EventBridgeConfiguration":{}}'
 *
 * That call replaces the bucket's whole notification configuration: merge it into an existing one
 * (docs/deploy.md#watching-source-buckets). S3 sends a bucket's events to the default bus of the bucket's own
 * account and Region, so a bucket elsewhere needs its account to forward them here.
 *
 * The SqsQueue target adds a statement to the queue's policy letting `events.amazonaws.com` send for this rule only
 * (`aws:SourceArn`). The ingest queue is encrypted with SQS's own keys (SSE-SQS), which EventBridge can send to; a
 * queue encrypted with a customer managed KMS key would also need that key's policy to let EventBridge use it
 * (the target grants it when the key is the stack's), and one with the AWS managed `alias/aws/sqs` key cannot take
 * EventBridge's messages at all.
 */
export class SourceWatch extends Construct {
  /** The rules, in the order of `sources`. */
  public readonly rules: Rule[];

  constructor(scope: Construct, id: string, props: SourceWatchProps) {
    super(scope, id);
    const target = new SqsQueue(props.queue, {
      deadLetterQueue: props.deadLetterQueue,
      maxEventAge: props.maxEventAge ?? Duration.hours(24),
    });
    this.rules = props.sources.map(
      (source) =>
        // Named by what it watches, not by its place in the list, so reordering the setting replaces no rule.
        new Rule(this, ruleId(source), {
          description: `New objects of ${source.bucket}/${source.prefix} to the ingest queue (watchSourceBuckets)`,
          eventPattern: objectCreatedPattern(source),
          targets: [target],
        }),
    );
  }
}

/** The `Object Created` events of a source bucket, under its prefix when it has one. */
export function objectCreatedPattern(source: SourceBucket): EventPattern {
  return {
    source: ['aws.s3'],
    detailType: ['Object Created'],
    detail: {
      bucket: { name: [source.bucket] },
      ...(source.prefix && { object: { key: Match.prefix(source.prefix) } }),
    },
  };
}

/** `Watch` and a hash of bucket and prefix: stable, and within a construct id's characters whatever the prefix. */
function ruleId(source: SourceBucket): string {
  return `Watch${createHash('sha256').update(`${source.bucket}/${source.prefix}`).digest('hex').slice(0, 12)}`;
}
