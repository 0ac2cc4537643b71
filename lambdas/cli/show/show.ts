import type { ImageDetail } from '../../images/functions/get-image/get-image';
import type { LikelyResult } from '../../search/likely';
import { labelsOf, normalizeName } from '../../store/labels';
import { type ApiFlags, type CommandIo, runApiCommand } from '../api-command';
import { table } from '../table';

/*
 * `image-intel show <id>`: one image as its page in the web app says it (GET /images/{id}): its name and status,
 * its labels, objects, faces and text with their confidence, then what the models possibly saw (its likely
 * matches, which a search finds after the sure ones) under "Possibly".
 */

export interface ShowFlags extends ApiFlags {
  json?: boolean;
}

/** A confidence as the web app shows it: `57.4%`. */
export function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

/** One likely match's row: its name, confidence and whether it is an object (boxed on the page) or a label. */
export function likelyRow(match: LikelyResult): string[] {
  return [match.name, percent(match.confidence), match.field];
}

/** A titled section of rows lined up in columns, each indented under its title; `none` for no rows. */
function section(title: string, rows: string[][]): string[] {
  if (rows.length === 0) return [`${title}: none`];
  // table() lines up columns under a header: an empty one, dropped.
  const columns = Math.max(...rows.map((row) => row.length));
  return [
    `${title}:`,
    ...table(Array(columns).fill(''), rows)
      .slice(1)
      .map((line) => `  ${line}`),
  ];
}

/** The lines `show` prints of an image, for people. */
export function imageLines(image: ImageDetail): string[] {
  const lines = [`${image.filename ?? image.imageId}  ${image.status}  ${image.imageId}`];
  const why = image.rejection ?? image.error ?? image.visionError;
  if (why) lines.push(`${image.visionError ? 'vision failed' : image.status.toLowerCase()}: ${why.message}`);
  const vision = image.vision;
  if (image.status !== 'PROCESSED') return lines;
  // The labels as they are now (the owner's corrections applied), the model's with their confidence.
  const confidence = new Map((vision?.labels ?? []).map((label) => [normalizeName(label.name), label.confidence]));
  const labels = labelsOf(image).map(({ name, source }) => {
    const score = confidence.get(normalizeName(name));
    return [name, source === 'model' && score !== undefined ? percent(score) : '', source];
  });
  lines.push(...section('Labels', labels));
  lines.push(
    ...section(
      'Objects',
      (vision?.objects ?? []).map((object) => [object.name, percent(object.confidence)]),
    ),
  );
  lines.push(
    ...section(
      'Faces',
      (vision?.faces ?? []).map((face, index) => [`face ${index + 1}`, percent(face.confidence)]),
    ),
  );
  lines.push(
    ...section(
      'Text',
      (vision?.text.lines ?? []).map((line) => [line.text, percent(line.confidence)]),
    ),
  );
  lines.push(...section('Possibly', (image.likely ?? []).map(likelyRow)));
  return lines;
}

/** `show ID`: the image in words, or with `--json` as the API answers it. */
export function showCommand(imageId: string, flags: ShowFlags, io: CommandIo = {}): Promise<number> {
  return runApiCommand(flags, io, async (client, out) => {
    const image = (await client.call('GET', `/images/${encodeURIComponent(imageId)}`)) as ImageDetail;
    if (flags.json) return out(JSON.stringify(image));
    for (const line of imageLines(image)) out(line);
  });
}
