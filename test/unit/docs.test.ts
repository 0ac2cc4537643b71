import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The README and docs/ are how a user finds their way: a link to a moved file is a dead end, and a README past 200
 * lines is a manual nobody reads to the end.
 */
const ROOT = path.resolve(__dirname, '../..');

function markdownFiles(): string[] {
  const files = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory() && !['node_modules', 'corpus'].includes(entry.name)) walk(file);
      else if (entry.name.endsWith('.md')) files.push(file);
    }
  };
  for (const dir of ['docs', 'bench', 'test', 'layers']) walk(dir);
  return files;
}

/** `[text](target)` links that are neither absolute URLs nor anchors within the page. */
function relativeLinks(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((match) => match[1] as string)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#'));
}

describe('the docs', () => {
  it('keep the README at most 200 lines', () => {
    const lines = readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').length - 1;
    expect(lines).toBeLessThanOrEqual(200);
  });

  it('link only to files that exist', () => {
    const files = markdownFiles();
    expect(files.length).toBeGreaterThan(10);
    const dead = files.flatMap((file) =>
      relativeLinks(readFileSync(path.join(ROOT, file), 'utf8'))
        .filter((target) => !existsSync(path.join(ROOT, path.dirname(file), decodeURI(target.split('#')[0] as string))))
        .map((target) => `${file}: ${target}`),
    );
    expect(dead).toEqual([]);
  });
});
