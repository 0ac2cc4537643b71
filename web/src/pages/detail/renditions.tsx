import { useState } from 'preact/hooks';
import { formatDate } from '../../format';
import type { ImageDetail } from '../../types';

import { Section } from './panels';

/* Each rendition preset's signed URL, with a button to copy it. */

export function Renditions({ record }: { record: ImageDetail }) {
  const [copied, setCopied] = useState<string>();
  const copy = async (preset: string, url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(`${preset}: copied`);
    } catch {
      const input = document.getElementById(`rendition-${preset}`) as HTMLInputElement | null;
      input?.focus();
      input?.select();
      setCopied(`${preset}: selected, press Ctrl+C (⌘C) to copy`);
    }
  };
  return (
    <Section title="Renditions">
      <ul class="renditions">
        {Object.entries(record.renditions ?? {}).map(([preset, rendition]) => (
          <li key={preset} data-preset={preset}>
            <label for={`rendition-${preset}`}>{preset}</label>
            <div class="copy-row">
              <input
                id={`rendition-${preset}`}
                type="text"
                readOnly
                value={rendition.url}
                onFocus={(event) => event.currentTarget.select()}
              />
              <button type="button" class="small" onClick={() => void copy(preset, rendition.url)}>
                Copy URL
              </button>
            </div>
            <span class="muted">until {formatDate(rendition.expiresAt)}</span>
          </li>
        ))}
      </ul>
      <p class="muted" role="status">
        {copied}
      </p>
    </Section>
  );
}
