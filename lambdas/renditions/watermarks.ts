import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Watermark } from '../core/render/rendition';
import type { WatermarkSetting } from '../settings/renditions';
import { BadRequestError } from '../shared/errors';

/**
 * The configured watermarks as the renderer draws them, for the render function and the processor's eager presets
 * alike. Each is read once per container, when first drawn, and kept: a text as it is, an image from its path under
 * `root`. The path is what the function's `RENDITION_SETTINGS` says (render-image/contract.ts `WatermarkFiles`): the
 * project's own path locally, `watermarkAssetPath` in the function's asset when the stack bundled it. A read that
 * fails is not kept, so the next rendition tries again (a file that appears later, a passing I/O error).
 */
export function watermarkReader(
  watermarks: Readonly<Record<string, WatermarkSetting>>,
  root: string = functionRoot(),
): (name: string) => Promise<Watermark> {
  const read = new Map<string, Promise<Watermark>>();
  return (name) => {
    let loading = read.get(name);
    if (!loading) {
      loading = load(watermarks[name], name, root);
      read.set(name, loading);
      loading.catch(() => read.delete(name));
    }
    return loading;
  };
}

/** Where bundled files are: the function's asset in AWS (`LAMBDA_TASK_ROOT`), the project when run locally. */
function functionRoot(): string {
  return process.env.LAMBDA_TASK_ROOT ?? process.cwd();
}

async function load(mark: WatermarkSetting | undefined, name: string, root: string): Promise<Watermark> {
  if (mark?.text !== undefined) return { kind: 'text', text: mark.text };
  if (mark?.image !== undefined) return { kind: 'image', data: await readFile(path.join(root, mark.image)) };
  // The spec check already refuses a name the settings lack (its limits list them), so this is a 400 for a caller
  // who got past it rather than a 500.
  throw new BadRequestError(`watermark: no watermark ${name} is configured`);
}
