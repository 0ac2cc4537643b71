import { ALBUMS_ROOM } from '../albums/room';
import { IMAGES_ROOM } from '../images/room';
import type { RoomManifest } from '../kit/room';
import { PEOPLE_ROOM } from '../people/room';
import { PLACES_ROOM } from '../places/room';
import { POLICY_ROOM } from '../policy/room';
import { WEBHOOKS_ROOM } from '../webhooks/room';

/** The rooms that say what they add in a manifest of their own (room.ts), in the order their routes are listed. */
export const ROOMS: readonly RoomManifest[] = [
  POLICY_ROOM,
  PLACES_ROOM,
  IMAGES_ROOM,
  PEOPLE_ROOM,
  WEBHOOKS_ROOM,
  ALBUMS_ROOM,
];
