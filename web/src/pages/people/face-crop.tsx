import type { Box } from '../../types';
import { faceCropStyle } from './faces';

/* A face cut out of a picture of its image (faces.ts says how), decorative: its name is said beside it. */

export function FaceCrop({ src, box, size }: { src?: string; box: Box; size: number }) {
  return (
    <span class="face-crop" style={{ width: `${size}px`, height: `${size}px` }} aria-hidden="true">
      {src && <img src={src} alt="" loading="lazy" decoding="async" style={faceCropStyle(box)} />}
    </span>
  );
}
