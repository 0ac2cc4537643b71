import type { RoomManifest } from '../kit/room';
import { uses } from '../kit/uses';
import { route as clearDateTaken } from './functions/clear-date-taken/route';
import { EditEnvSchema, editEnvironment } from './functions/edit-contract';
import { route as editTags } from './functions/edit-tags/route';
import {
  RotateImageEnvSchema,
  route as rotateImage,
  environmentFor as rotateImageEnvironment,
} from './functions/rotate-image/route';
import { route as setDateTaken } from './functions/set-date-taken/route';
import { route as setFavourite } from './functions/set-favourite/route';

/** Each edit reads the record, then updates it conditionally; its postings follow in batches; `Image Updated`. */
const EDIT_USES = [
  uses.resultsItems('GetItem', 'UpdateItem'),
  uses.search('write'),
  uses.putEvents(),
  uses.webhookQueue(),
];

/**
 * The images' routes that have a manifest of their own (the older ones are in lambdas/manifest/routes.ts): what a
 * photo's owner changes after upload (docs/api.md "Edits"): its tags, its date taken (or back to its own), whether it
 * is a favourite, its rotation.
 */
export const IMAGES_ROOM: RoomManifest = {
  routes: [
    ...[editTags, setDateTaken, clearDateTaken, setFavourite].map((route) => ({
      room: 'images',
      route,
      environmentFor: editEnvironment,
      envSchema: EditEnvSchema,
      uses: EDIT_USES,
    })),
    // A rotation is an edit that changes no search term, and sends the image to the processor to be made again.
    {
      room: 'images',
      route: rotateImage,
      environmentFor: rotateImageEnvironment,
      envSchema: RotateImageEnvSchema,
      uses: [uses.resultsItems('GetItem', 'UpdateItem'), uses.putEvents(), uses.webhookQueue(), uses.ingestQueue()],
    },
  ],
};
