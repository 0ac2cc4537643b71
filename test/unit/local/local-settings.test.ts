import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSettings } from '../../../lambdas/local/local-settings';

describe("the runner's settings", () => {
  it("are cdk.json's context under -c, and a deprecated name in either is a note in the output", () => {
    const project = mkdtempSync(path.join(tmpdir(), 'local-settings-'));
    writeFileSync(path.join(project, 'cdk.json'), JSON.stringify({ context: { semanticMaxDistance: 0.3 } }));
    const notes: string[] = [];
    const settings = readSettings(project, { semanticSearch: 'titan' }, (line) => notes.push(line));
    expect(settings).toMatchObject({ searchByMeaning: 'titan', meaningMaxDistance: 0.3 });
    expect(notes).toEqual([
      'semanticSearch=titan is deprecated: use searchByMeaning=titan (same behaviour)',
      'semanticMaxDistance=0.3 is deprecated: use meaningMaxDistance=0.3 (same behaviour)',
    ]);
  });
});
