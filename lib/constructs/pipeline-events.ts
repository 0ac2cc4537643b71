import { Duration } from 'aws-cdk-lib';
import { type Archive, EventBus } from 'aws-cdk-lib/aws-events';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../lambdas/events/vocabulary';
import type { UseOf } from '../../lambdas/kit/uses';
import type { UseTarget } from './grant-uses';

export interface PipelineEventsProps {
  /** How long archived events can be replayed. @default Duration.days(90) */
  readonly archiveRetention?: Duration;
}

/**
 * The custom EventBridge bus the pipeline publishes `Image Processed/Rejected/Failed/Deleted` to, and an archive
 * of everything with source `EVENT_SOURCE`, so a subscriber added later can replay what it missed.
 */
export class PipelineEvents extends Construct implements UseTarget<UseOf<'bus'>> {
  public readonly bus: EventBus;
  public readonly archive: Archive;

  constructor(scope: Construct, id: string, props: PipelineEventsProps = {}) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { description: 'image-intel pipeline events' });
    this.archive = this.bus.archive('Archive', {
      description: `Every ${EVENT_SOURCE} event, for replay`,
      eventPattern: { source: [EVENT_SOURCE] },
      retention: props.archiveRetention ?? Duration.days(90),
    });
  }

  /** Grant what a function's manifest entry says it uses of this (lambdas/kit/uses.ts). */
  grantUse(grantee: IGrantable, _use: UseOf<'bus'>): void {
    this.bus.grantPutEventsTo(grantee);
  }
}
