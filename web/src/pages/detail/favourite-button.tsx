import { useState } from 'preact/hooks';
import { api } from '../../api';
import type { ImageDetail } from '../../types';
import { editProblem } from './edit-problem';

/*
 * A star that marks the image its owner's favourite, or unmarks it (PUT /images/{id}/favourite): a toggle button,
 * pressed while it is one. The gallery's Favourites filter (favourite=true) finds it at once.
 */

export function FavouriteButton({ record, onChange }: { record: ImageDetail; onChange: () => void }) {
  const favourite = record.favourite === true;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const toggle = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await api.setFavourite(record.imageId, { favourite: !favourite });
      onChange();
    } catch (error) {
      setProblem(editProblem(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        class={`star secondary${favourite ? ' on' : ''}`}
        aria-pressed={favourite}
        title={favourite ? 'A favourite: press to unmark it' : 'Mark it a favourite'}
        disabled={busy}
        onClick={() => void toggle()}
      >
        <span aria-hidden="true">{favourite ? '★' : '☆'}</span> Favourite
      </button>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
