import { formatDate } from '../../format';
import type { ImageDetail } from '../../types';
import { CopyUrl } from './copy-url';
import { Section } from './panels';

/* Each rendition preset's signed URL, with a button to copy it. */

export function Renditions({ record }: { record: ImageDetail }) {
  return (
    <Section title="Renditions">
      <ul class="renditions">
        {Object.entries(record.renditions ?? {}).map(([preset, rendition]) => (
          <li key={preset} data-preset={preset}>
            <CopyUrl id={`rendition-${preset}`} label={preset} url={rendition.url} />
            <span class="muted">until {formatDate(rendition.expiresAt)}</span>
          </li>
        ))}
      </ul>
    </Section>
  );
}
