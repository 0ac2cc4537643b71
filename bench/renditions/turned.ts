/**
 * A rendition of an original its owner turned, as this tree's renderImage makes it and as a baseline commit's does
 * (its own sources in a worktree, bench/support/baseline.ts), alternating call by call: issue 79's shrink-on-load
 * whatever the orientation. The camera-like JPEGs (bench/support/camera-corpus.ts): a landscape (EXIF 1) and a
 * portrait stored sideways (EXIF 6), each turned a quarter by its owner, a page (1200 px wide JPEG) and a card
 * (400x225 WebP cover) of each. Prints a Markdown table of median ms; writes nothing.
 *
 * Run: npx tsx bench/renditions/turned.ts [--against <commit>] [--rounds N]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { renderImage } from '../../lambdas/core/render/render';
import type { RenditionSpec } from '../../lambdas/core/render/rendition';
import { RENDITION_DEFAULTS } from '../../lambdas/core/render/rendition-spec';
import { median } from '../../test/support/stats';
import { baselineOf } from '../support/baseline';
import { CAMERA_DIR, ensureCameraPhotos } from '../support/camera-corpus';

const SPECS: [string, RenditionSpec][] = [
  ['page', { ...RENDITION_DEFAULTS, w: 1200, fit: 'inside', format: 'jpeg', q: 80 }],
  ['card', { ...RENDITION_DEFAULTS, w: 400, h: 225, fit: 'cover', format: 'webp', q: 80 }],
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { against: { type: 'string' }, rounds: { type: 'string', default: '8' } } });
  const rounds = Number(values.rounds);
  const base = baselineOf(values.against);
  const before = (await import(path.join(base.tree, 'lambdas/core/render/render.ts'))) as {
    renderImage: typeof renderImage;
  };
  sharp.cache(false);
  await ensureCameraPhotos((line) => process.stderr.write(`${line}\n`));
  console.log(`| original, turned 90 by its owner | request | ${base.label} ms | this tree ms | speed-up |`);
  console.log('| --- | --- | --- | --- | --- |');
  for (const file of ['camera-1.jpg', 'camera-4.jpg']) {
    const bytes = await readFile(path.join(CAMERA_DIR, file));
    const { width = 0, height = 0, orientation = 1 } = await sharp(bytes).metadata();
    const sideways = orientation >= 5;
    // The record's picture: the upright photo turned a quarter.
    const image = { width: sideways ? width : height, height: sideways ? height : width, animated: false };
    for (const [name, spec] of SPECS) {
      const context = { format: spec.format as 'jpeg' | 'webp', image, maxInputPixels: 100_000_000, turn: 90 as const };
      const times: [number[], number[]] = [[], []];
      for (let round = 0; round <= rounds; round++) {
        for (const [i, render] of [before.renderImage, renderImage].entries()) {
          const started = performance.now();
          await render(bytes, spec, context);
          if (round > 0) times[i]?.push(performance.now() - started);
        }
      }
      const [was, now] = times.map(median) as [number, number];
      console.log(
        `| ${file} (EXIF ${orientation}) | ${name} | ${was.toFixed(0)} | ${now.toFixed(0)} | ${(was / now).toFixed(2)}x |`,
      );
    }
  }
}

void main();
