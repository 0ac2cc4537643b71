import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, isAbort } from '../../api';
import { appPath } from '../../config';
import { displayName, thumbnailAtLeast } from '../../format';
import type { ImageDetail, ImageSummary } from '../../types';

import { Section } from './panels';

/* Copies and near-copies of the image (GET /images/{id}/similar). */

interface SimilarItem {
  imageId: string;
  distance: number;
  duplicate: boolean;
  /** What its tile shows: its name and thumbnail, from its record. */
  summary?: Pick<ImageSummary, 'imageId' | 'filename'> & { thumbnails?: Record<string, string> };
}

export function Similar({ record }: { record: ImageDetail }) {
  const [items, setItems] = useState<SimilarItem[] | undefined>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        const page = await api.similar(record.imageId, controller.signal);
        const found = page.items.filter((item) => item.imageId !== record.imageId);
        setItems(found);
        // Names and thumbnails of the few found.
        const details = await Promise.all(
          found.map((item) => api.getImage(item.imageId, controller.signal).catch(() => undefined)),
        );
        setItems(
          found.map((item, index) => {
            const detail = details[index];
            return detail
              ? {
                  ...item,
                  summary: { imageId: detail.imageId, filename: detail.filename, thumbnails: detail.urls.thumbnails },
                }
              : { ...item, summary: undefined };
          }),
        );
      } catch (error) {
        if (!isAbort(error)) setProblem(errorMessage(error));
      }
    })();
    return () => controller.abort();
  }, [record.imageId]);
  return (
    <Section title="Similar images">
      {problem && <p class="error">{problem}</p>}
      {!items && !problem && <p class="muted">Looking…</p>}
      {items && items.length === 0 && <p class="muted">None found.</p>}
      {items && items.length > 0 && (
        <ul class="similar" aria-label="Similar images">
          {items.map((item) => {
            const thumb = item.summary?.thumbnails && thumbnailAtLeast(item.summary.thumbnails, 128);
            return (
              <li key={item.imageId} data-distance={item.distance}>
                <a class="similar-link" href={appPath(`images/${item.imageId}`)}>
                  {thumb ? <img src={thumb} alt="" loading="lazy" width={64} height={64} /> : <span />}
                  <span class="similar-text">
                    <span class="similar-name" data-similar="name">
                      {item.summary ? displayName(item.summary) : item.imageId}
                    </span>
                    <span class="similar-caption" data-similar="caption">
                      {item.duplicate ? 'exact copy' : `distance ${item.distance}`}
                    </span>
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}
