import { readFileSync } from 'node:fs';
import path from 'node:path';

/*
 * c2pa-rs panicking on a file (a WebAssembly trap): its module is not used again in the process. The module is
 * replaced here by one whose reader traps on the first file and would answer on the next.
 */
const fromBytes = jest.fn();
jest.mock('@contentauth/c2pa-wasm', () => ({
  initSync: jest.fn(),
  WasmReader: { fromBytes: (...args: unknown[]) => fromBytes(...args) },
}));

import { readProvenance } from '../../../lambdas/provenance/read-provenance';
import { xmpOnlyPng } from '../../support/provenance';

const photo = readFileSync(path.join(__dirname, '../../fixtures/photos/pier.jpg'));
/** Bytes that carry the manifest store's label, so the reader hands them to c2pa-rs. */
const labelled = Buffer.concat([photo, Buffer.from('c2pa')]);

it('records the file it trapped on as unreadable, and later ones as unread, from their XMP, never as tampered', async () => {
  const trap = Object.assign(new Error('unreachable'), { name: 'RuntimeError' });
  fromBytes.mockRejectedValueOnce(trap).mockResolvedValue({ json: () => '{}', free: () => {} });

  const first = await readProvenance(labelled, 'jpeg');
  expect(first.credentials).toMatchObject({
    validation: 'invalid',
    failures: [{ code: 'manifest.unreadable', explanation: 'unreachable' }],
  });

  const xmp = Buffer.concat([await xmpOnlyPng(photo), Buffer.from('c2pa')]);
  const later = await readProvenance(xmp, 'png');
  expect(later).toEqual({
    summary: 'ai-generated',
    basis: 'xmp',
    digitalSourceType: 'trainedAlgorithmicMedia',
    unread: true,
  });
  expect(fromBytes).toHaveBeenCalledTimes(1);
  // A file with no manifest is read as ever: nothing was left unread of it.
  expect(await readProvenance(photo, 'jpeg')).toEqual({ summary: 'unknown', basis: 'none' });
});
