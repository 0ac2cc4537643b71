import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProvenance } from '../../../lambdas/provenance/read-provenance';
import { fixturePath } from '../../fixtures';
import { credentialFixtures, xmpOnlyPng } from '../../support/provenance';
import { run } from './run-cli';

/*
 * `image-intel analyze` reads provenance with the pipeline's reader (read-provenance.ts, the processor's
 * `provenance` step): the same file gives the same record, with `--trust-anchors` as with `provenanceTrustAnchors`.
 * test/e2e/provenance.test.ts checks the CLI against what the runner recorded for the same files.
 */

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'image-intel-provenance-'));
  // leaf.jpg: a photo whose tampered copy still decodes (a flipped byte can break another's entropy data).
  const photo = await readFile(fixturePath('photos/leaf.jpg'));
  const fixtures = await credentialFixtures(photo);
  await Promise.all([
    writeFile(file('generated.jpg'), fixtures.generated),
    writeFile(file('tampered.jpg'), fixtures.tampered),
    writeFile(file('camera.jpg'), fixtures.camera),
    writeFile(file('xmp.png'), await xmpOnlyPng(photo)),
    writeFile(file('anchors.pem'), fixtures.signer.trustAnchor),
    writeFile(file('not-pem.txt'), 'no certificate here\n'),
  ]);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('image-intel analyze: provenance', () => {
  const names = ['generated.jpg', 'tampered.jpg', 'camera.jpg', 'xmp.png'];

  it('prints the summary, basis, generator and credentials the pipeline reader reads from each file', async () => {
    const { code, records } = await run('analyze', ...names.map(file), fixturePath('photos/pier.jpg'));
    expect(code).toBe(0);
    const read = async (name: string) =>
      readProvenance(await readFile(file(name)), name.endsWith('.png') ? 'png' : 'jpeg');
    for (const [i, name] of names.entries())
      expect({ name, provenance: records[i]?.provenance }).toEqual({ name, provenance: await read(name) });
    expect(records.map((record) => (record.provenance as { summary: string }).summary)).toEqual([
      'ai-generated',
      'ai-generated',
      'camera',
      'ai-generated',
      'unknown',
    ]);
    expect(records[0]?.provenance).toMatchObject({
      basis: 'c2pa',
      generator: 'Imagine 3.1',
      credentials: { validation: 'untrusted', signer: { name: 'Imagine Test Signer', organization: 'Imagine Labs' } },
    });
    expect(records[1]?.provenance).toMatchObject({ credentials: { validation: 'invalid' } });
    expect(records[3]?.provenance).toEqual({
      summary: 'ai-generated',
      basis: 'xmp',
      digitalSourceType: 'trainedAlgorithmicMedia',
    });
  });

  it('checks the signer against --trust-anchors: valid under its root, a tampered copy invalid still', async () => {
    const { code, records } = await run(
      'analyze',
      '--trust-anchors',
      file('anchors.pem'),
      ...names.slice(0, 2).map(file),
    );
    expect(code).toBe(0);
    expect(
      records.map((record) => (record.provenance as { credentials?: { validation: string } }).credentials?.validation),
    ).toEqual(['valid', 'invalid']);
  });

  it('exits 2 for a --trust-anchors file it cannot read or that holds no certificate, analysing nothing', async () => {
    for (const anchors of [file('missing.pem'), file('not-pem.txt')]) {
      const { code, stderr, records } = await run('analyze', '--trust-anchors', anchors, file('generated.jpg'));
      expect({ anchors, code, records }).toEqual({ anchors, code: 2, records: [] });
      expect(stderr).toContain(`--trust-anchors ${anchors}`);
    }
  });
});
