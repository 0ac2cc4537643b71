import type { StepDeclaration } from '../../../../kit/processor-step-contract';
import { uses } from '../../../../kit/uses';
import { THUMBNAIL_PREFIX } from '../../../../store/keys';

/** `thumbnails`: stored under thumbnails/, and taken back for an image deleted while the run worked (its `undo`). */
export const THUMBNAILS_STEP = {
  name: 'thumbnails',
  phase: 'derive',
  contract: { uses: [uses.objects(THUMBNAIL_PREFIX, 's3:PutObject', 's3:DeleteObject')] },
} as const satisfies StepDeclaration;

/** `decode`: the core's one pass over the bytes; the processor's own variables are all it reads. */
export const DECODE_STEP = { name: 'decode', phase: 'decode' } as const satisfies StepDeclaration;

/** `store`: the record, with the processor's own uses of the results table. */
export const STORE_STEP = { name: 'store', phase: 'store' } as const satisfies StepDeclaration;

/** `publish`: the image's event, through the processor's own sinks. */
export const PUBLISH_STEP = { name: 'publish', phase: 'publish' } as const satisfies StepDeclaration;
