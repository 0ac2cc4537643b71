import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Rewrites a bench README's generated section, between `<!-- name:start -->` and `<!-- name:end -->`, with a run's
 * figures; the markers are appended at the end the first time. The prose around them stays as written.
 */
export function replaceReadmeSection(file: string, name: string, section: string): void {
  const [start, end] = [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (!text.includes(start)) text = `${text.trimEnd()}\n\n${start}\n${end}\n`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  writeFileSync(file, `${text.slice(0, from)}${start}\n${section}\n${end}${text.slice(to + end.length)}`);
}
