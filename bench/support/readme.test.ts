import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { replaceReadmeSection } from './readme';

describe('replaceReadmeSection', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bench-readme-'));
    file = path.join(dir, 'README.md');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces only what is between the markers', () => {
    writeFileSync(file, '# Title\n\nprose\n<!-- results:start -->\nold figures\n<!-- results:end -->\n\nafter\n');
    replaceReadmeSection(file, 'results', 'new figures');
    expect(readFileSync(file, 'utf8')).toBe(
      '# Title\n\nprose\n<!-- results:start -->\nnew figures\n<!-- results:end -->\n\nafter\n',
    );
  });

  it('appends the markers and the section the first time', () => {
    writeFileSync(file, '# Title\n\nprose\n');
    replaceReadmeSection(file, 'latency', 'figures');
    expect(readFileSync(file, 'utf8')).toBe(
      '# Title\n\nprose\n\n<!-- latency:start -->\nfigures\n<!-- latency:end -->\n',
    );
  });
});
