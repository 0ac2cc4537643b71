import type { ProcessorDeps } from './ports';

/** Delete objects a run wrote for an image that was deleted meanwhile (a step's `undo`, step.ts). */
export async function takeBack(deps: ProcessorDeps, bucket: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const remover = deps.staleRenditions?.remover;
  if (!remover) throw new Error(`${keys.length} objects to take back, and nothing to delete them with`);
  await remover.deleteObjects(bucket, keys);
}
