import { readdirSync } from 'node:fs';
import * as path from 'node:path';

/** The repository's root. */
export const ROOT = path.resolve(__dirname, '../..');

/** The files under `dir` (relative to the root, and returned so) whose name matches `pattern`, skipping `skip` folders. */
export function filesUnder(dir: string, pattern: RegExp, skip: string[] = []): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return skip.includes(entry.name) ? [] : filesUnder(file, pattern, skip);
    return pattern.test(entry.name) ? [file] : [];
  });
}
