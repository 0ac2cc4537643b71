import { useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ActionButton } from '../../action-button';
import { api, errorMessage } from '../../api';
import { appPath } from '../../config';
import { displayName } from '../../format';
import type { ImageDetail } from '../../types';

/* Delete, behind a confirmation dialog; back to the gallery once done. */

export function DeleteButton({ record }: { record: ImageDetail }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { route } = useLocation();
  const [problem, setProblem] = useState<string>();
  const name = displayName(record);
  return (
    <>
      <button
        type="button"
        class="danger"
        onClick={() => {
          setProblem(undefined);
          dialog.current?.showModal();
        }}
      >
        Delete
      </button>
      <dialog ref={dialog} aria-labelledby="delete-title" aria-describedby="delete-text">
        <h2 id="delete-title">Delete this image?</h2>
        <p id="delete-text">{name} and its thumbnails and renditions are removed for good.</p>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <div class="dialog-buttons">
          <button type="button" class="secondary" onClick={() => dialog.current?.close()} autofocus>
            Cancel
          </button>
          <ActionButton
            class="danger"
            action={async () => {
              try {
                await api.deleteImage(record.imageId);
                dialog.current?.close();
                route(appPath(), true);
              } catch (error) {
                setProblem(errorMessage(error));
              }
            }}
          >
            Delete
          </ActionButton>
        </div>
      </dialog>
    </>
  );
}
