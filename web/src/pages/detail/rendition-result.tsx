import { useState } from 'preact/hooks';
import { formatDate } from '../../format';
import { CopyUrl } from './copy-url';

/*
 * A rendition the builder had signed: the image its URL makes (the first request renders it), its size once loaded,
 * the signed URL to copy, and when it stops working.
 */

type Loading = { state: 'loading' } | { state: 'loaded'; width: number; height: number } | { state: 'failed' };

export function RenditionResult({ url, expiresAt }: { url: string; expiresAt: string }) {
  const [loading, setLoading] = useState<Loading>({ state: 'loading' });
  return (
    <div class="builder-result">
      <figure>
        <img
          src={url}
          alt="The rendition"
          onLoad={(event) =>
            setLoading({
              state: 'loaded',
              width: event.currentTarget.naturalWidth,
              height: event.currentTarget.naturalHeight,
            })
          }
          onError={() => setLoading({ state: 'failed' })}
        />
        <figcaption class="muted">
          <span role="status">
            {loading.state === 'loading' && 'Rendering…'}
            {loading.state === 'loaded' && `${loading.width} × ${loading.height} px`}
            {loading.state === 'failed' && 'The rendition did not load: open the URL to see what its server answers.'}
          </span>
        </figcaption>
      </figure>
      <div class="builder-url">
        <CopyUrl id="rendition-made" label="Signed URL" url={url} />
        <p class="muted">Expires {formatDate(expiresAt)}; ask again for a new one.</p>
      </div>
    </div>
  );
}
