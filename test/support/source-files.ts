import { existsSync, readdirSync } from 'node:fs';
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

/** Every deployed function's folder, `<room>/functions/<name>` (under lambdas/). */
export function functionFolders(): string[] {
  const lambdas = path.join(ROOT, 'lambdas');
  return readdirSync(lambdas, { withFileTypes: true })
    .filter((room) => room.isDirectory())
    .flatMap((room) => {
      const functions = path.join(lambdas, room.name, 'functions');
      if (room.name === 'functions' || !existsSync(functions)) return [];
      return readdirSync(functions, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${room.name}/functions/${entry.name}`);
    })
    .sort();
}
