import type { Command } from 'commander';
import { positiveInt } from '../arguments';
import { RENDER_EXIT_HELP, type RenderFlags, renditionOptions } from './flags';

/** `image-intel render <file> -o <file>`: one rendition of a local file, no AWS; render.ts (sharp) loads when it runs. */
export function addRenderCommand(program: Command, exit: (code: number) => void): void {
  const render = program
    .command('render')
    .description(
      'render one rendition of a local image file, no AWS: the spec of POST /images/{id}/renditions as flags ' +
        '(docs/renditions.md)',
    )
    .summary('render one rendition of a local image file')
    .argument('<file>', 'an image file')
    .requiredOption(
      '-o, --output <file>',
      'where to write it (- : stdout); its extension (.jpg .jpeg .png .webp .avif; any other is refused) gives the format',
    );
  // A flag per rendition parameter (core/render/rendition-params.ts), in the URL's order.
  for (const { flags, help } of renditionOptions()) render.option(flags, help);
  render
    .option('--watermark-text <text>', 'a text drawn as the watermark (--watermark: an image file)')
    .option('--max-pixels <n>', 'refuse images with more pixels than this (default 100000000)', positiveInt)
    .addHelpText('after', RENDER_EXIT_HELP)
    .action(async (file: string, flags: RenderFlags) => {
      const { renderCommand } = await import('./render');
      exit(await renderCommand(file, flags));
    });
}
