import { useState } from 'preact/hooks';
import { api } from '../../api';
import { displayName } from '../../format';
import type { CropChange, ImageDetail } from '../../types';
import { editProblem } from './edit-problem';
import { useSend } from './sending';

/*
 * "Crop": keeps a part of the photo (PUT /images/{id}/crop, fractions of the upright photo; DELETE undoes it). The
 * tool shows the whole original, turned as its owner turned it, with the part kept outlined; the part is set by an
 * aspect (free, the photo's own, 1:1, 4:3, 16:9: the largest centred part of that shape) and by its edges in per
 * cent. The pixels are made again by the processor, so until the record says they are (`cropApplied`), the page
 * says the photo is being cropped and reads the record again (detail.tsx), as for a rotation.
 */

type Part = CropChange;
const WHOLE: Part = { left: 0, top: 0, width: 1, height: 1 };
const same = (a: Part | undefined, b: Part | undefined) => {
  const x = a ?? WHOLE;
  const y = b ?? WHOLE;
  return x.left === y.left && x.top === y.top && x.width === y.width && x.height === y.height;
};

/** The crop its owner asked for that the processor has not made yet: the page polls until it has. */
export function cropping(record: Pick<ImageDetail, 'crop' | 'cropApplied'>): boolean {
  return !same(record.crop, record.cropApplied);
}

const ASPECTS = [
  { name: 'Free', ratio: undefined },
  { name: 'Original', ratio: 'original' },
  { name: '1:1', ratio: 1 },
  { name: '4:3', ratio: 4 / 3 },
  { name: '16:9', ratio: 16 / 9 },
] as const;
type AspectName = (typeof ASPECTS)[number]['name'];

/** The whole upright photo's size: the record's is the part its crop kept (`cropApplied`, of the upright photo). */
function wholeSize(record: ImageDetail): { width: number; height: number } | undefined {
  const metadata = record.analysis?.status === 'PROCESSED' ? record.analysis.metadata : undefined;
  if (!metadata) return undefined;
  const kept = record.cropApplied ?? WHOLE;
  return { width: metadata.width / kept.width, height: metadata.height / kept.height };
}

/** The largest part of `ratio` (width over height, in pixels) centred in a photo of `size`, in fractions. */
function centred(ratio: number, size: { width: number; height: number }): Part {
  const photo = size.width / size.height;
  const width = ratio >= photo ? 1 : ratio / photo;
  const height = ratio >= photo ? photo / ratio : 1;
  return round({ left: (1 - width) / 2, top: (1 - height) / 2, width, height });
}

/** Six decimals, as the API keeps them. */
function round(part: Part): Part {
  const r = (value: number) => Math.round(value * 1e6) / 1e6;
  return { left: r(part.left), top: r(part.top), width: r(part.width), height: r(part.height) };
}

const EDGES = [
  { key: 'left', label: 'Left %' },
  { key: 'top', label: 'Top %' },
  { key: 'width', label: 'Width %' },
  { key: 'height', label: 'Height %' },
] as const;

export function CropButton({ record, onChange }: { record: ImageDetail; onChange: () => void }) {
  const [open, setOpen] = useState(false);
  const pending = cropping(record);
  return (
    <>
      <button
        type="button"
        class="secondary"
        title="Keep a part of the photo (it is analysed again)"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">⛶</span> Crop
      </button>
      {pending && (
        <span class="muted" role="status">
          Cropping… the photo is being analysed again
        </span>
      )}
      {open && <CropTool record={record} onChange={onChange} onClose={() => setOpen(false)} />}
    </>
  );
}

function CropTool({ record, onChange, onClose }: { record: ImageDetail; onChange: () => void; onClose: () => void }) {
  const size = wholeSize(record);
  const [part, setPart] = useState<Part>(record.crop ?? WHOLE);
  const [aspect, setAspect] = useState<AspectName>('Free');
  const { busy, problem, run, setProblem } = useSend(onChange, editProblem);
  if (!size) return null;
  const ratioOf = (name: AspectName): number | undefined => {
    const ratio = ASPECTS.find((a) => a.name === name)?.ratio;
    return ratio === 'original' ? size.width / size.height : ratio;
  };
  const choose = (name: AspectName) => {
    setAspect(name);
    const ratio = ratioOf(name);
    setPart(ratio === undefined ? WHOLE : centred(ratio, size));
  };
  const setEdge = (key: keyof Part, percent: number) => {
    if (!Number.isFinite(percent)) return;
    const next = { ...part, [key]: Math.min(1, Math.max(0, percent / 100)) };
    // A shape chosen holds: the other side follows a side changed.
    const ratio = ratioOf(aspect);
    if (ratio !== undefined && key === 'width') next.height = (next.width * size.width) / ratio / size.height;
    if (ratio !== undefined && key === 'height') next.width = (next.height * size.height * ratio) / size.width;
    setPart(round(next));
  };
  const apply = () => {
    if (part.left + part.width > 1.000001 || part.top + part.height > 1.000001) {
      setProblem('The part kept must be inside the photo: left + width and top + height at most 100%.');
      return;
    }
    void run(async () => {
      await api.cropImage(record.imageId, part);
      onClose();
    });
  };
  const reset = () =>
    void run(async () => {
      await api.uncropImage(record.imageId);
      onClose();
    });
  return (
    <section class="crop-tool" aria-label="Crop the photo">
      <CropStage record={record} size={size} part={part} />
      <div class="crop-controls">
        <label>
          Aspect{' '}
          <select value={aspect} onChange={(event) => choose(event.currentTarget.value as AspectName)}>
            {ASPECTS.map(({ name }) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {EDGES.map(({ key, label }) => (
          <label key={key}>
            {label}{' '}
            <input
              type="number"
              min={0}
              max={100}
              step={0.1}
              value={Math.round(part[key] * 1000) / 10}
              onChange={(event) => setEdge(key, event.currentTarget.valueAsNumber)}
            />
          </label>
        ))}
        <button type="button" disabled={busy} onClick={apply}>
          Apply crop
        </button>
        {record.crop && !same(record.crop, WHOLE) && (
          <button type="button" class="secondary" disabled={busy} onClick={reset}>
            Reset crop
          </button>
        )}
        <button type="button" class="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

/** The whole original, turned as its owner turned it, and the part kept outlined over it. */
function CropStage({
  record,
  size,
  part,
}: {
  record: ImageDetail;
  size: { width: number; height: number };
  part: Part;
}) {
  const turn = record.rotation ?? 0;
  const sideways = turn === 90 || turn === 270;
  // Turned a quarter, the picture's box is the stage's turned: its width is the stage's height, and so on.
  const picture = sideways
    ? { width: `${(size.height / size.width) * 100}%`, height: `${(size.width / size.height) * 100}%` }
    : { width: '100%', height: '100%' };
  const pct = (fraction: number) => `${fraction * 100}%`;
  return (
    <div class="crop-stage" style={{ aspectRatio: `${size.width} / ${size.height}` }}>
      {record.urls.original && (
        <img
          src={record.urls.original}
          alt={`Uncropped ${displayName(record)}`}
          style={{ ...picture, transform: `translate(-50%, -50%) rotate(${turn}deg)` }}
        />
      )}
      <div
        class="crop-part"
        data-testid="crop-part"
        style={{ left: pct(part.left), top: pct(part.top), width: pct(part.width), height: pct(part.height) }}
      />
    </div>
  );
}
