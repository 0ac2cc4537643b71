import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { watermarkReader } from '../../../lambdas/renditions/watermarks';
import { BadRequestError } from '../../../lambdas/shared/errors';
import { fixture, fixturePath } from '../../fixtures';

const MARKS = { credit: { text: '© Example' }, logo: { image: 'formats/alpha.png' } };

describe('watermarkReader', () => {
  it('gives a text watermark as its text', async () => {
    const read = watermarkReader(MARKS, fixturePath('.'));
    await expect(read('credit')).resolves.toEqual({ kind: 'text', text: '© Example' });
  });

  it('reads an image watermark under the root, once per name', async () => {
    const read = watermarkReader(MARKS, fixturePath('.'));
    const logo = await read('logo');
    expect(logo).toEqual({ kind: 'image', data: fixture('formats/alpha.png') });
    expect(await read('logo')).toBe(logo);
  });

  it('reads a failed image again on the next call rather than keeping the failure', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'watermarks-'));
    try {
      const read = watermarkReader(MARKS, root);
      await expect(read('logo')).rejects.toThrow(/ENOENT/);
      mkdirSync(path.join(root, 'formats'));
      copyFileSync(fixturePath('formats/alpha.png'), path.join(root, 'formats/alpha.png'));
      await expect(read('logo')).resolves.toEqual({ kind: 'image', data: fixture('formats/alpha.png') });
    } finally {
      rmSync(root, { recursive: true });
    }
  });

  it('refuses a name the settings do not configure as a bad request', async () => {
    const read = watermarkReader(MARKS, fixturePath('.'));
    await expect(read('stamp')).rejects.toThrow(new BadRequestError('watermark: no watermark stamp is configured'));
    await expect(read('stamp')).rejects.toBeInstanceOf(BadRequestError);
  });
});
