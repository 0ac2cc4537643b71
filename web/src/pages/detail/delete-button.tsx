import { useState } from 'preact/hooks';
import { ActionButton } from '../../action-button';
import { api, errorMessage } from '../../api';
import { appPath, useConfig } from '../../config';
import { ConfirmedDelete } from '../../confirmed-delete';
import { displayName, formatDate } from '../../format';
import type { ImageDetail } from '../../types';

/*
 * With the trash on (`trashDays` > 0): Move to trash at once (it is undone as easily: the page then shows the image
 * in the trash with Restore, and Delete now behind a confirmation). With it off: Delete for good, confirmed.
 */

export function DeleteButton({ record, onChange }: { record: ImageDetail; onChange: () => void }) {
  const { trashDays } = useConfig();
  const [problem, setProblem] = useState<string>();
  if (record.status === 'TRASHED') return <TrashedNotice record={record} onChange={onChange} />;
  if (trashDays === 0) return <DeleteForGood record={record} />;
  return (
    <>
      <ActionButton
        class="danger"
        action={async () => {
          try {
            await api.trashImage(record.imageId);
            onChange();
          } catch (error) {
            setProblem(errorMessage(error));
          }
        }}
      >
        Move to trash
      </ActionButton>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}

/** The image is in the trash: when it goes for good, Restore (the Undo), and Delete now. */
function TrashedNotice({ record, onChange }: { record: ImageDetail; onChange: () => void }) {
  const [problem, setProblem] = useState<string>();
  return (
    <div class="trashed-notice" role="status">
      <p>
        In the trash{record.purgeAt ? `: deleted for good after ${formatDate(record.purgeAt)}` : ''}.{' '}
        <a href={appPath('trash')}>See the trash</a>
      </p>
      <ActionButton
        class="secondary"
        action={async () => {
          try {
            await api.restoreImage(record.imageId);
            onChange();
          } catch (error) {
            setProblem(errorMessage(error));
          }
        }}
      >
        Undo: restore
      </ActionButton>
      <DeleteForGood record={record} />
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

function DeleteForGood({ record }: { record: ImageDetail }) {
  return (
    <ConfirmedDelete
      id="delete"
      title="Delete this image for good?"
      text={`${displayName(record)} and its thumbnails and renditions are removed for good.`}
      confirm="Delete"
      remove={() => api.deleteForGood(record.imageId)}
      then={appPath()}
      replace
    />
  );
}
