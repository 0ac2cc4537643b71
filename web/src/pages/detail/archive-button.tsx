import { api } from '../../api';
import type { ImageDetail } from '../../types';
import { editProblem } from './edit-problem';
import { useSend } from './sending';

/*
 * Archives the image, or brings it back (PUT /images/{id}/archived): a toggle button, pressed while it is archived.
 * An archived photo leaves the gallery's timeline; `archived=true` lists it.
 */

export function ArchiveButton({ record, onChange }: { record: ImageDetail; onChange: () => void }) {
  const archived = record.archived === true;
  const { busy, problem, run } = useSend(onChange, editProblem);
  const toggle = () => run(() => api.setArchived(record.imageId, { archived: !archived }));
  return (
    <>
      <button
        type="button"
        class="secondary"
        aria-pressed={archived}
        title={archived ? 'Archived: press to bring it back to the timeline' : 'Archive it: out of the timeline'}
        disabled={busy}
        onClick={() => void toggle()}
      >
        Archive
      </button>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
