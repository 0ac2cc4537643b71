import { z } from 'zod';
import type { StepDeclaration, StepWiring } from '../../kit/processor-step-contract';
import { uses } from '../../kit/uses';
import { LIVE_TABLE, type LiveWiring, liveTableOf } from '../table-design';

const contract = {
  env: { LIVE_TABLE: z.string().min(1) },
  environment: (wiring: StepWiring & { readonly live?: LiveWiring }) => ({ LIVE_TABLE: liveTableOf(wiring) }),
};

/**
 * `live-video`: a Live Photo's MOV is kept aside before any decode (it is no picture), paired with its still if that
 * is stored already, and its upload's record deleted (lambdas/live/live-photos.ts).
 */
export const LIVE_VIDEO_STEP = {
  name: 'live-video',
  phase: 'arrive',
  contract: {
    ...contract,
    uses: [
      // The MOV's item put (conditionally) and told its still; its posting put, its name's postings read (one
      // bounded query); the still's record updated (its motion), the MOV's upload record deleted if PENDING.
      uses.declaredItems(LIVE_TABLE.name, 'GetItem', 'PutItem', 'UpdateItem'),
      uses.declaredQuery(LIVE_TABLE.name, 'table'),
      uses.resultsItems('UpdateItem', 'DeleteItem'),
    ],
  },
} as const satisfies StepDeclaration;

/** `live-still`: a stored HEIC or JPEG still is paired with its MOV if that came first, once its event is out. */
export const LIVE_STILL_STEP = {
  name: 'live-still',
  phase: 'published',
  contract: {
    ...contract,
    uses: [
      // Its posting put, its name's postings read (one bounded query); the MOV's item told its still; the record's
      // motion set.
      uses.declaredItems(LIVE_TABLE.name, 'PutItem', 'UpdateItem'),
      uses.declaredQuery(LIVE_TABLE.name, 'table'),
      uses.resultsItems('UpdateItem'),
    ],
  },
} as const satisfies StepDeclaration;
