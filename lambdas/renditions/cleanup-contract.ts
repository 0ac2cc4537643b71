import type { ImageCleanupContract } from '../kit/image-cleanup';
import { uses } from '../kit/uses';
import { RENDITION_PREFIX } from '../store/keys';

/** The image's stored renditions: listed under `renditions/<id>/` (no record names them), then deleted. */
export const RENDITIONS_CLEANUP = {
  name: 'renditions',
  envShape: {},
  environmentFor: (_wiring: unknown) => ({}),
  uses: [uses.list(RENDITION_PREFIX), uses.objects(RENDITION_PREFIX, 's3:DeleteObject')],
} as const satisfies ImageCleanupContract<unknown>;
