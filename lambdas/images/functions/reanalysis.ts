import type { SourceObjectMessage } from '../../backfill/source-object';

/*
 * What the edits that change the pixels (a rotation, a crop) share: where they send the image to be made again, and
 * how long its message is taken to be on its way.
 */

/** Where the image goes to be made again: the ingest queue, whose processor analyses it. */
export interface IReanalysisQueue {
  send(message: SourceObjectMessage): Promise<void>;
}

/**
 * How long a rotation's message is taken to be on its way (`rotationSent.at`): a request for the same turn sends it
 * again only once it is older, as when the request that wrote it died before it could send it, or the processor gave
 * it up. So requests for a turn not made send at most one message per image in that time, which is longer than a
 * processing run can last (Lambda's 15 minutes at most).
 */
export const RESEND_AFTER_SECONDS = 15 * 60;
