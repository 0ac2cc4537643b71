import { SEARCH_FILTERS } from '../../../../lambdas/search/filters';
import type { ImageDetail } from '../../types';
import { Facts, Section } from './panels';

/* The core's quality scores and flags (docs/record.md#quality); nothing for an image analysed before them. */

type Quality = NonNullable<Extract<ImageDetail['analysis'], { status: 'PROCESSED' }>['quality']>;

const NAMES: Readonly<Record<string, string>> = SEARCH_FILTERS.quality.names;
const share = (value: number) => `${Math.round(value * 1000) / 10} %`;

export function QualityPanel({ quality }: { quality: Quality }) {
  const { exposure } = quality;
  return (
    <Section title="Quality">
      <p class={quality.flags.length > 0 ? 'quality' : undefined}>
        {quality.flags.length > 0 ? quality.flags.map((flag) => NAMES[flag] ?? flag).join(' · ') : 'No quality flag.'}
      </p>
      <Facts
        rows={[
          ['Sharpness', quality.sharpness],
          ['Exposure', `mean ${exposure.mean}, range ${exposure.darkest}–${exposure.brightest}`],
          ['Clipped', `${share(exposure.shadowsClipped)} shadows, ${share(exposure.highlightsClipped)} highlights`],
          ['Contrast (RMS)', quality.contrast],
          ['Colourfulness', quality.colourfulness],
          ['Entropy', `${quality.entropy} bits`],
        ]}
      />
    </Section>
  );
}
