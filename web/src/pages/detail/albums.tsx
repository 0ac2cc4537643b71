import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, isAbort } from '../../api';
import { appPath } from '../../config';
import type { ImageAlbums } from '../../types';
import { ShareButton } from '../albums/share-dialog';
import { Section } from './panels';

/*
 * The photo page's albums: those it is in (`GET /images/{id}/albums`), each a link to its page, and Share… for a
 * link to this one photo. It is added to an album from the Gallery's selection.
 */

export function AlbumsPanel({ imageId, name }: { imageId: string; name: string }) {
  const [albums, setAlbums] = useState<ImageAlbums['items']>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    api
      .imageAlbums(imageId, controller.signal)
      .then((answer) => setAlbums(answer.items))
      .catch((error) => {
        if (!isAbort(error)) setProblem(`Its albums could not be read: ${errorMessage(error)}`);
      });
    return () => controller.abort();
  }, [imageId]);
  return (
    <Section title="Albums">
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {albums === undefined ? (
        !problem && <p class="muted">Loading…</p>
      ) : albums.length === 0 ? (
        <p class="muted">In no album: add it from the Gallery’s selection.</p>
      ) : (
        <ul class="plain" aria-label="In albums">
          {albums.map((album) => (
            <li key={album.albumId}>
              <a href={appPath(`albums/${album.albumId}`)}>{album.name}</a>
            </li>
          ))}
        </ul>
      )}
      <ShareButton target={{ kind: 'image', id: imageId }} what={name} />
    </Section>
  );
}
