import { api } from '../../api';
import type { ImageDetail } from '../../types';
import { editProblem } from './edit-problem';
import { useSend } from './sending';

/*
 * A star that marks the image its owner's favourite, or unmarks it (PUT /images/{id}/favourite): a toggle button,
 * pressed while it is one. The gallery's Favourites filter (favourite=true) finds it at once.
 */

export function FavouriteButton({ record, onChange }: { record: ImageDetail; onChange: () => void }) {
  const favourite = record.favourite === true;
  const { busy, problem, run } = useSend(onChange, editProblem);
  const toggle = () => run(() => api.setFavourite(record.imageId, { favourite: !favourite }));
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
