import { formatDate } from '../../format';
import type { ImageDetail } from '../../types';
import { CopyUrl } from './copy-url';
import { Section } from './panels';

/* Each rendition preset's signed URL, and a public preset's stable one, with a button to copy each. */

export function Renditions({ record }: { record: ImageDetail }) {
  return (
    <Section title="Renditions">
      <ul class="renditions">
        {Object.entries(record.renditions ?? {}).map(([preset, rendition]) => (
          <li key={preset} data-preset={preset}>
            <CopyUrl id={`rendition-${preset}`} label={preset} url={rendition.url} />
            <span class="muted">until {formatDate(rendition.expiresAt)}</span>
            {rendition.publicUrl && (
              <CopyUrl id={`rendition-${preset}-public`} label={`${preset}, public`} url={rendition.publicUrl} />
            )}
          </li>
        ))}
      </ul>
    </Section>
  );
}
