import { useState } from 'preact/hooks';
import { api } from '../../api';
import type { ImageDetail } from '../../types';
import { takenInWords } from '../gallery/timeline';
import { editProblem } from './edit-problem';
import { Facts, Section } from './panels';
import { useSend } from './sending';

/*
 * When the photo was taken, and its owner's say in it (docs/api.md "Edits"): the date taken now and where it comes
 * from (its owner, the photo's EXIF, or nothing: it sorts by its upload); a form that sets it as the local time where
 * it was taken with that place's offset from UTC, or with none (PUT /images/{id}/taken), and a button back to the
 * photo's own date (DELETE /images/{id}/taken). The timeline and the date filters follow at once.
 *
 * "No offset" is a local time of no known zone, as a camera records one (EXIF's date has none): the form starts from
 * it for a date that has none, so changing only the time does not give the photo an offset its owner never chose.
 */

/** The offset select's value for a local time without an offset. */
const NO_OFFSET = '';

/** `+02:00` for a number of minutes east of UTC, and back. */
function offsetOf(minutes: number): string {
  const whole = Math.abs(minutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(whole / 60))}:${pad(whole % 60)}`;
}
const minutesOf = (offset: string) =>
  offset === 'Z'
    ? 0
    : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));

/** The offsets from UTC in use somewhere: every whole hour from -12 to +14, and the half and quarter hours. */
const OFFSET_MINUTES = [
  ...Array.from({ length: 27 }, (_, index) => (index - 12) * 60),
  ...[-570, -210, 210, 270, 330, 345, 390, 525, 570, 630, 765],
];

/** The browser's offset from UTC at a local date-time (`YYYY-MM-DDTHH:MM:SS`, read as the browser's local time). */
function browserOffsetAt(local: string): string {
  const date = new Date(local);
  return offsetOf(Number.isNaN(date.getTime()) ? -new Date().getTimezoneOffset() : -date.getTimezoneOffset());
}

/** The browser's local time of an instant (`createdAt`), as a datetime-local field shows one. */
function browserLocal(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * What the form starts from: the owner's date and its offset (or none), else the EXIF date with none (a camera's
 * clock says no zone), else the upload, an instant, as the browser's local time and offset.
 */
function startingPoint(record: ImageDetail, exif: string | undefined): { local: string; offset: string } {
  const corrected = record.takenCorrection;
  if (corrected) {
    const offset = corrected.offset === undefined ? NO_OFFSET : corrected.offset === 'Z' ? '+00:00' : corrected.offset;
    return { local: corrected.takenAt, offset };
  }
  if (exif) return { local: exif, offset: NO_OFFSET };
  const local = browserLocal(record.createdAt);
  return { local, offset: browserOffsetAt(local) };
}

export function DateTakenPanel({ record, onChange }: { record: ImageDetail; onChange: () => void }) {
  const analysis = record.analysis?.status === 'PROCESSED' ? record.analysis : undefined;
  const exif = analysis?.metadata.exif?.takenAt;
  const corrected = record.takenCorrection;
  const start = startingPoint(record, exif);
  const [local, setLocal] = useState(start.local);
  const [offset, setOffset] = useState(start.offset);
  const { busy, problem, run } = useSend(onChange, editProblem);
  // One the record has outside the list (the API takes any up to ±14:00) is offered too.
  const offsets = [...new Set([...OFFSET_MINUTES, ...(start.offset ? [minutesOf(start.offset)] : [])])]
    .sort((a, b) => a - b)
    .map(offsetOf);

  const source = corrected
    ? 'Set by its owner'
    : exif
      ? 'From the photo’s EXIF (the camera’s clock)'
      : 'None in the photo: it sorts by its upload';
  return (
    <Section title="Date taken">
      <Facts
        rows={[
          [
            'Taken',
            corrected
              ? `${takenInWords(corrected.takenAt)}${
                  corrected.offset === undefined
                    ? ' (no offset)'
                    : ` (UTC${corrected.offset === 'Z' ? '' : corrected.offset})`
                }`
              : exif && takenInWords(exif),
          ],
          ['Source', source],
          ['EXIF says', corrected && (exif ? takenInWords(exif) : 'no date')],
        ]}
      />
      <form
        class="date-taken-form"
        aria-label="Set the date taken"
        onSubmit={(event) => {
          event.preventDefault();
          // The field leaves out seconds that are zero; the API takes a date-time with or without them, and with an
          // offset or none (NO_OFFSET adds nothing).
          void run(() => api.setDateTaken(record.imageId, { takenAt: `${local}${offset}` }));
        }}
      >
        <label class="field">
          <span>Date and time</span>
          <input
            type="datetime-local"
            step={1}
            required
            value={local}
            onInput={(event) => setLocal(event.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>Offset from UTC</span>
          <select value={offset} onChange={(event) => setOffset(event.currentTarget.value)}>
            <option value={NO_OFFSET}>No offset (local time)</option>
            {offsets.map((one) => (
              <option key={one} value={one}>
                UTC{one}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy || local === ''}>
          Set the date
        </button>
        {corrected && (
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() => void run(() => api.clearDateTaken(record.imageId))}
          >
            Use the photo’s own date
          </button>
        )}
      </form>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </Section>
  );
}
