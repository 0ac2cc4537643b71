import { useState } from 'preact/hooks';
import { api } from '../../api';
import { appPath } from '../../config';
import { thumbnailAtLeast } from '../../format';
import type { Box, FaceAssignment, ImageDetail, ImagePeopleDetail } from '../../types';
import { FaceCrop } from '../people/face-crop';
import { personName, skippedInWords, thumbnailSideFor } from '../people/faces';
import { FacePicker } from './face-picker';
import { Section } from './panels';

/*
 * Who is in the image (face grouping on, docs/people.md): a chip per face in a person, its crop and its person's
 * name, linking to the person, with "Someone else…" to give the face to another person; the faces found in no person
 * (taken out with "Not this person", or too small to group), each with "Who is this?"; the faces not described, in
 * words; and "Tag a face", which lets the owner draw a face the detector missed over the photo (face-drawing.tsx).
 */

const CHIP_PX = 40;

/** A face the picker is open for: its index, and the person it is in now (if any). */
interface Picking {
  face: number;
  label: string;
  current?: string;
}

export function PeoplePanel({
  record,
  people,
  onChange,
  onTag,
  readOnly = false,
}: {
  record: ImageDetail;
  people: ImagePeopleDetail;
  onChange: () => void;
  /** Start drawing a face over the photo; undefined while drawing. */
  onTag?: () => void;
  /** Another owner's photo (a partner's): who is in it, named, with no link to their people and nothing to change. */
  readOnly?: boolean;
}) {
  const [picking, setPicking] = useState<Picking>();
  const [done, setDone] = useState<string>();
  const faces = record.vision?.faces ?? [];
  const thumbnails = record.urls.thumbnails ?? {};
  const skipped = skippedInWords(people, faces.length);
  const grouped = people.faces
    .map((entry) => ({ ...entry, box: entry.box ?? faces[entry.face]?.box }))
    .filter((entry): entry is typeof entry & { box: Box } => entry.box !== undefined);
  const named = new Set(people.faces.map((entry) => entry.face));
  const unnamed = faces.flatMap((face, index) => (named.has(index) ? [] : [{ face: index, box: face.box }]));
  const crop = (box: Box) => (
    <FaceCrop src={thumbnailAtLeast(thumbnails, thumbnailSideFor(box, CHIP_PX))} box={box} size={CHIP_PX} />
  );

  const assign = async (target: FaceAssignment) => {
    if (!picking) return;
    const answer = await api.assignFace(record.imageId, picking.face, target);
    setDone(`${picking.label} is now ${personName(answer.person.name)}.`);
    onChange();
  };

  return (
    <Section title="People">
      {grouped.length > 0 && (
        <ul class="chips" aria-label="People in this image">
          {grouped.map((entry) => (
            <li key={entry.face} data-face={entry.face} class="face-chip">
              {readOnly ? (
                <span class="chip">
                  {crop(entry.box)}
                  <span>{personName(entry.name)}</span>
                </span>
              ) : (
                <a class="chip" href={appPath(`people/${entry.personId}`)}>
                  {crop(entry.box)}
                  <span>{personName(entry.name)}</span>
                </a>
              )}
              {!readOnly && (
                <button
                  type="button"
                  class="secondary small"
                  aria-label={`Someone else: not ${personName(entry.name)}`}
                  onClick={() => {
                    setDone(undefined);
                    setPicking({ face: entry.face, label: personName(entry.name), current: entry.personId });
                  }}
                >
                  Someone else…
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {unnamed.length > 0 && (
        <ul class="chips" aria-label="Faces in no person">
          {unnamed.map((entry) => (
            <li key={entry.face} data-face={entry.face} class="face-chip">
              <span class="chip">
                {crop(entry.box)}
                <span>Face {entry.face + 1}</span>
              </span>
              {!readOnly && (
                <button
                  type="button"
                  class="small"
                  aria-label={`Who is this? Face ${entry.face + 1}`}
                  onClick={() => {
                    setDone(undefined);
                    setPicking({ face: entry.face, label: `Face ${entry.face + 1}` });
                  }}
                >
                  Who is this?
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {skipped.length > 0 && <p class="muted">{skipped.join('; ')}.</p>}
      {!readOnly && record.status === 'PROCESSED' && (
        <p>
          <button type="button" class="secondary small" disabled={!onTag} onClick={() => onTag?.()}>
            Tag a face
          </button>{' '}
          {!onTag && <span class="muted">Drag over the photo around the face; Escape cancels.</span>}
        </p>
      )}
      {done && <p role="status">{done}</p>}
      {picking && (
        <FacePicker
          title={picking.current ? `Who is this, if not ${picking.label}?` : `Who is this? ${picking.label}`}
          current={picking.current}
          onPick={assign}
          onClose={() => setPicking(undefined)}
        />
      )}
    </Section>
  );
}
