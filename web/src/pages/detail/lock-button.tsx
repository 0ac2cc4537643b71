import { useRef } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api } from '../../api';
import { appPath } from '../../config';
import type { ImageDetail } from '../../types';
import { LockDialog } from '../locked/lock-dialog';
import { editProblem } from './edit-problem';
import { useSend } from './sending';

/*
 * Moves the photo into the locked folder (PUT /images/{id}/locked), behind a confirmation that says where it goes
 * out of (and sets a PIN first if there is none: lock-dialog.tsx); then back to the gallery, which no longer shows
 * it. A locked photo, opened from the Locked page with its token, offers the way out instead.
 */

export function LockButton({ record, name, onChange }: { record: ImageDetail; name: string; onChange: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { route } = useLocation();
  const { busy, problem, run } = useSend(onChange, editProblem);
  if (record.locked === true) {
    return (
      <>
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() => void run(() => api.setLocked(record.imageId, { locked: false }))}
        >
          Unlock
        </button>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
      </>
    );
  }
  return (
    <>
      <button type="button" class="secondary" onClick={() => dialog.current?.showModal()}>
        Lock…
      </button>
      <LockDialog
        dialog={dialog}
        id="lock-image"
        what={name}
        lock={async () => {
          await api.setLocked(record.imageId, { locked: true });
          route(appPath(), true);
        }}
      />
    </>
  );
}
