import { appPath } from '../../config';
import { thumbnailAtLeast } from '../../format';
import type { Box, ImageDetail, ImagePeopleDetail } from '../../types';
import { FaceCrop } from '../people/face-crop';
import { personName, skippedInWords, thumbnailSideFor } from '../people/faces';
import { Section } from './panels';

/*
 * Who is in the image (face grouping on, docs/people.md): a chip per grouped face, its crop and its person's name,
 * linking to the person; and the faces found but not grouped, in words.
 */

const CHIP_PX = 40;

export function PeoplePanel({ record, people }: { record: ImageDetail; people: ImagePeopleDetail }) {
  const faces = record.vision?.faces ?? [];
  const thumbnails = record.urls.thumbnails ?? {};
  const skipped = skippedInWords(people.skipped);
  const grouped = people.faces
    .map((entry) => ({ ...entry, box: faces[entry.face]?.box }))
    .filter((entry): entry is typeof entry & { box: Box } => entry.box !== undefined);
  // No face found: the Faces panel is not there either.
  if (grouped.length === 0 && skipped.length === 0) return null;
  return (
    <Section title="People">
      {grouped.length > 0 && (
        <ul class="chips" aria-label="People in this image">
          {grouped.map((entry) => (
            <li key={entry.face} data-face={entry.face}>
              <a class="chip" href={appPath(`people/${entry.personId}`)}>
                <FaceCrop
                  src={thumbnailAtLeast(thumbnails, thumbnailSideFor(entry.box, CHIP_PX))}
                  box={entry.box}
                  size={CHIP_PX}
                />
                <span>{personName(entry.name)}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {skipped.length > 0 && <p class="muted">{skipped.join('; ')}.</p>}
    </Section>
  );
}
