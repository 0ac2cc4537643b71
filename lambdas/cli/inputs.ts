import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Expands the command line's files and folders into files, in the order given; a folder contributes its files
 * recursively, sorted, hidden entries skipped. A path that does not exist is kept so that it gets its own record.
 */
export async function expandInputs(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) files.push(...(await walk(path)));
    else files.push(path);
  }
  return files;
}

async function walk(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => !entry.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/**
 * Runs `work` over `items` with at most `concurrency` in flight and hands each result to `emit` in input order,
 * as soon as it and every earlier one are done.
 */
export async function mapInOrder<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
  emit: (result: R, index: number) => void,
): Promise<void> {
  const done = new Map<number, R>();
  let next = 0;
  let emitted = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      done.set(index, await work(items[index] as T));
      while (done.has(emitted)) {
        emit(done.get(emitted) as R, emitted);
        done.delete(emitted++);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
