import { uses } from '../../../../manifest/uses';
import { THUMBNAIL_PREFIX } from '../../../../store/keys';
import type { StepContract } from '../step-contract';

/** `thumbnails`: stored under thumbnails/, and taken back for an image deleted while the run worked (its `undo`). */
export const THUMBNAILS_STEP = {
  steps: ['thumbnails'],
  uses: [uses.objects(THUMBNAIL_PREFIX, 's3:PutObject', 's3:DeleteObject')],
} satisfies StepContract;
