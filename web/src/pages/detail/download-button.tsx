import { useState } from 'preact/hooks';
import { ActionButton } from '../../action-button';
import { api, errorMessage } from '../../api';
import type { ImageDetail } from '../../types';

/*
 * Download the original: a link the page was given expires within minutes (downloadUrlTtlSeconds), so each click
 * asks the API for a fresh one, which S3 answers as a download under the file's name.
 */

export function DownloadButton({ record }: { record: ImageDetail }) {
  const [problem, setProblem] = useState<string>();
  if (!record.urls.original) return null;
  return (
    <>
      <ActionButton
        class="secondary"
        action={async () => {
          setProblem(undefined);
          try {
            const fresh = await api.getImage(record.imageId);
            const url = fresh.urls.download ?? fresh.urls.original;
            if (url) location.assign(url);
            else setProblem('The original is not there any more.');
          } catch (error) {
            setProblem(errorMessage(error));
          }
        }}
      >
        Download
      </ActionButton>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
