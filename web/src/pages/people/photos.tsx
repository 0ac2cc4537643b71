import { api } from '../../api';
import { ListStatus, LoadMore } from '../../load-more';
import { usePaged } from '../../paged';
import type { ImageSummary } from '../../types';
import { Card } from '../gallery/card';
import { countOf } from './faces';

/* The photos a person is in: the gallery's tiles for `GET /images?person=<id>`, newest first, page by page. */

const PAGE_SIZE = '24';
const idOf = (item: ImageSummary) => item.imageId;

export function PersonPhotos({ personId }: { personId: string }) {
  const list = usePaged(
    personId,
    (cursor, signal) => {
      const query = new URLSearchParams({ person: personId, limit: PAGE_SIZE });
      if (cursor) query.set('cursor', cursor);
      return api.listImages(query, signal);
    },
    idOf,
  );
  return (
    <section aria-labelledby="person-photos">
      <h2 id="person-photos">Photos</h2>
      <ListStatus list={list} empty="No photos found." counted={(count) => countOf(count, 'photo')} />
      <ul class="grid" aria-label="Photos">
        {list.items.map((item) => (
          <Card key={item.imageId} item={item} />
        ))}
      </ul>
      <LoadMore list={list} />
    </section>
  );
}
