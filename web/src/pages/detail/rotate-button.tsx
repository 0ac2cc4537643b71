import { useState } from 'preact/hooks';
import { api } from '../../api';
import type { ImageDetail } from '../../types';
import { editProblem } from './edit-problem';
import { useSend } from './sending';

/*
 * "Rotate": turns the photo a quarter clockwise each press (PUT /images/{id}/rotation with the absolute degrees its
 * record asks for, plus 90). The pixels are made again by the processor, so until the record says they are
 * (`rotationApplied`), the button says the photo is being turned and the page reads the record again (detail.tsx).
 */

/** The turn its owner asked for that the processor has not made yet: the page polls until it has. */
export function turning(record: Pick<ImageDetail, 'rotation' | 'rotationApplied'>): boolean {
  return (record.rotation ?? 0) !== (record.rotationApplied ?? 0);
}

export function RotateButton({ record, onChange }: { record: ImageDetail; onChange: () => void }) {
  const { busy, problem, run } = useSend(onChange, editProblem);
  // The turn the API took, said until a record read since shows it made: the record read before may not ask it yet.
  const [sent, setSent] = useState<number>();
  const pending = turning(record) || (sent !== undefined && (record.rotationApplied ?? 0) !== sent);
  const rotate = () =>
    run(async () => {
      const degrees = (((record.rotation ?? 0) + 90) % 360) as 0 | 90 | 180 | 270;
      const answer = await api.rotateImage(record.imageId, { degrees });
      setSent(answer.status === 'REANALYSING' ? answer.rotation : undefined);
    });
  return (
    <>
      <button
        type="button"
        class="secondary"
        title="Turn the photo a quarter clockwise (it is analysed again)"
        disabled={busy}
        onClick={() => void rotate()}
      >
        <span aria-hidden="true">↻</span> Rotate
      </button>
      {pending && (
        <span class="muted" role="status">
          Turning… the photo is being analysed again
        </span>
      )}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
