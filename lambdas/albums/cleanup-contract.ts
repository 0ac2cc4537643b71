import { z } from 'zod';
import type { ImageCleanupContract } from '../kit/image-cleanup';
import { uses } from '../kit/uses';
import { ALBUMS_TABLE, type AlbumsWiring, albumsTableOf } from './table-design';

/** The image leaves the albums it is in (each album's count lowered). */
export const ALBUMS_CLEANUP = {
  name: 'albums',
  envShape: {
    /** The albums table: an image deleted for good leaves its albums. */
    ALBUMS_TABLE: z.string().min(1),
  },
  environmentFor: (wiring: { readonly albums?: AlbumsWiring }) => ({ ALBUMS_TABLE: albumsTableOf(wiring) }),
  uses: [
    // Its albums (the images' index), each membership deleted with its album's count lowered (a transaction).
    uses.declaredQuery(ALBUMS_TABLE.name, 'byImageAlbums'),
    uses.declaredItems(ALBUMS_TABLE.name, 'DeleteItem', 'UpdateItem'),
  ],
} as const satisfies ImageCleanupContract<{ readonly albums?: AlbumsWiring }>;
