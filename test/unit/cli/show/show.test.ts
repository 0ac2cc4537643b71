import { ApiError } from '../../../../lambdas/cli/api-client';
import { showCommand } from '../../../../lambdas/cli/show/show';
import { fakeApi } from '../fake-api';

const flags = { api: 'http://localhost:3000' };
const box = { left: 0.1, top: 0.2, width: 0.3, height: 0.4 };

/** A processed photo as GET /images/{id} answers it: a model's label, one of its owner's, one taken away, and likely matches. */
const image = {
  imageId: '01M8C7P7XRR3QY04MGQEBJ8RW7',
  status: 'PROCESSED',
  filename: 'IMG_0501.jpg',
  vision: {
    labels: [
      { name: 'Person', confidence: 0.912, source: 'objects' },
      { name: 'Dark', confidence: 0.85, source: 'colour' },
    ],
    objects: [{ name: 'person', confidence: 0.912, box }],
    text: { fullText: 'OPEN', lines: [{ text: 'OPEN', confidence: 0.95, box }] },
    faces: [],
  },
  labelCorrections: {
    added: [{ name: 'tabby', at: '2026-11-28T10:00:00.000Z' }],
    removed: [{ name: 'dark', at: '2026-11-28T10:00:00.000Z' }],
  },
  likely: [
    { field: 'object', name: 'cat', confidence: 0.5735, box },
    { field: 'label', name: 'Bright', confidence: 0.4586 },
  ],
  urls: { thumbnails: {} },
};

describe('image-intel show', () => {
  it('prints the image as its page does: labels now, objects, faces, text, then what it possibly shows', async () => {
    const { calls, out, io } = fakeApi(() => image);
    expect(await showCommand(image.imageId, flags, io)).toBe(0);
    expect(calls).toEqual([['GET', `/images/${image.imageId}`, undefined]]);
    expect(out).toEqual([
      'IMG_0501.jpg  PROCESSED  01M8C7P7XRR3QY04MGQEBJ8RW7',
      'Labels:',
      '  Person  91.2%  model',
      '  tabby          user',
      'Objects:',
      '  person  91.2%',
      'Faces: none',
      'Text:',
      '  OPEN  95%',
      'Possibly:',
      '  cat     57.4%  object',
      '  Bright  45.9%  label',
    ]);
  });

  it('says "Possibly: none" when nothing is likely, and prints the answer whole with --json', async () => {
    const plain = { ...image, likely: undefined };
    const { out, io } = fakeApi(() => plain);
    await showCommand(image.imageId, flags, io);
    expect(out.at(-1)).toBe('Possibly: none');
    const json = fakeApi(() => image);
    await showCommand(image.imageId, { ...flags, json: true }, json.io);
    expect(json.out.map((line) => JSON.parse(line))).toEqual([image]);
  });

  it('prints only the name and why for an image that was not processed', async () => {
    const rejected = {
      imageId: image.imageId,
      status: 'REJECTED',
      filename: 'broken.jpg',
      rejection: { code: 'CORRUPT', message: 'the file is not a readable image' },
      urls: { thumbnails: {} },
    };
    const { out, io } = fakeApi(() => rejected);
    await showCommand(image.imageId, flags, io);
    expect(out).toEqual([
      'broken.jpg  REJECTED  01M8C7P7XRR3QY04MGQEBJ8RW7',
      'rejected: the file is not a readable image',
    ]);
  });

  it('says why in the API’s words and exits 1 when the API refuses', async () => {
    const { err, io } = fakeApi(() => {
      throw new ApiError(404, 'GET /images/x: 404 image x not found');
    });
    expect(await showCommand('x', flags, io)).toBe(1);
    expect(err.join('\n')).toContain('image x not found');
  });
});
