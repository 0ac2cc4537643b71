import { ApiError } from '../../../../lambdas/cli/api-client';
import {
  archiveEdit,
  cropEdit,
  cropReset,
  dateClear,
  dateEdit,
  editCommand,
  editEach,
  favouriteEdit,
  rotateEdit,
  tagEdit,
} from '../../../../lambdas/cli/edit/edit';
import { main } from '../../../../lambdas/cli/main';

function world(answer: unknown) {
  const calls: unknown[][] = [];
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    calls,
    lines,
    errors,
    io: {
      out: (line: string) => lines.push(line),
      err: (line: string) => errors.push(line),
      client: {
        call: async (...args: unknown[]) => {
          calls.push(args);
          if (answer instanceof Error) throw answer;
          return answer;
        },
      },
    },
  };
}
const flags = { api: 'http://localhost:3000' };

describe('image-intel tag, date, favourite, rotate and crop', () => {
  it('tag: PATCHes the tags added and taken away and prints the tags now', async () => {
    const { calls, lines, io } = world({ imageId: 'img', tags: ['Holiday', 'Beach'] });
    expect(await editCommand('img', tagEdit(['Beach'], ['work']), flags, io)).toBe(0);
    expect(calls).toEqual([['PATCH', '/images/img/tags', { add: ['Beach'], remove: ['work'] }]]);
    expect(lines).toEqual(['img: Holiday, Beach']);
  });

  it('tag: says so when no tag is left', async () => {
    const { lines, io } = world({ imageId: 'img', tags: [] });
    await editCommand('img', tagEdit([], ['work']), flags, io);
    expect(lines).toEqual(['img: no tags']);
  });

  it('date: PUTs the date with its offset and prints it beside the EXIF date', async () => {
    const answer = {
      imageId: 'img',
      takenAt: '2024-07-14T18:30:00',
      takenCorrection: { takenAt: '2024-07-14T18:30:00', offset: '+02:00', at: '2026-11-28T10:00:00.000Z' },
      exifTakenAt: '2019-01-01T00:00:00',
    };
    const { calls, lines, io } = world(answer);
    expect(await editCommand('img', dateEdit('2024-07-14T18:30:00+02:00'), flags, io)).toBe(0);
    expect(calls).toEqual([['PUT', '/images/img/taken', { takenAt: '2024-07-14T18:30:00+02:00' }]]);
    expect(lines).toEqual(['img: taken 2024-07-14T18:30:00 (+02:00); its EXIF says 2019-01-01T00:00:00']);
  });

  it('date: says a date given without an offset has none', async () => {
    const answer = {
      imageId: 'img',
      takenAt: '2024-07-14T18:30:00',
      takenCorrection: { takenAt: '2024-07-14T18:30:00', at: '2026-11-28T10:00:00.000Z' },
    };
    const { calls, lines, io } = world(answer);
    expect(await editCommand('img', dateEdit('2024-07-14T18:30:00'), flags, io)).toBe(0);
    expect(calls).toEqual([['PUT', '/images/img/taken', { takenAt: '2024-07-14T18:30:00' }]]);
    expect(lines).toEqual(['img: taken 2024-07-14T18:30:00 (no offset); it has no EXIF date']);
  });

  it('date --clear: DELETEs the date given and prints the photo’s own, or that it sorts by its upload', async () => {
    const dated = world({ imageId: 'img', takenAt: '2019-01-01T00:00:00' });
    expect(await editCommand('img', dateClear(), flags, dated.io)).toBe(0);
    expect(dated.calls).toEqual([['DELETE', '/images/img/taken', undefined]]);
    expect(dated.lines).toEqual(['img: taken 2019-01-01T00:00:00, its EXIF date']);
    const undated = world({ imageId: 'img' });
    await editCommand('img', dateClear(), flags, undated.io);
    expect(undated.lines).toEqual(['img: no date taken: sorted by its upload']);
  });

  it('date: the command line sends --clear as a DELETE, and takes a date or --clear, not both nor neither', async () => {
    const fetched: Array<[string, string | undefined]> = [];
    const fetch = jest.spyOn(global, 'fetch').mockImplementation(async (url, init) => {
      fetched.push([String(url), init?.method]);
      return new Response(JSON.stringify({ imageId: 'img' }), { status: 200 });
    });
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['date', 'img', '--clear', '--api', flags.api])).toBe(0);
      expect(fetched).toEqual([[`${flags.api}/images/img/taken`, 'DELETE']]);
      expect(await main(['date', 'img', '--api', flags.api])).toBe(2);
      expect(await main(['date', 'img', '2024-07-14T18:30Z', '--clear', '--api', flags.api])).toBe(2);
      expect(fetched).toHaveLength(1);
      expect(stderr.mock.calls.map(([text]) => String(text))).toContain('error: give a date, or --clear (not both)\n');
    } finally {
      fetch.mockRestore();
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });

  it('favourite: PUTs true, or false with --off, and prints the answer as JSON with --json', async () => {
    const { calls, lines, io } = world({ imageId: 'img', favourite: false });
    await editCommand('img', favouriteEdit(false), { ...flags, json: true }, io);
    expect(calls).toEqual([['PUT', '/images/img/favourite', { favourite: false }]]);
    expect(lines).toEqual(['{"imageId":"img","favourite":false}']);
  });

  it('archive: PUTs archived for each image in turn, false with --off, one line each', async () => {
    const { calls, lines, io } = world({ imageId: 'img', archived: true });
    expect(await editEach(['a', 'b'], archiveEdit(true), flags, io)).toBe(0);
    expect(calls).toEqual([
      ['PUT', '/images/a/archived', { archived: true }],
      ['PUT', '/images/b/archived', { archived: true }],
    ]);
    expect(lines).toEqual(['img: archived', 'img: archived']);
    const back = world({ imageId: 'img', archived: false });
    await editEach(['a'], archiveEdit(false), flags, back.io);
    expect(back.calls).toEqual([['PUT', '/images/a/archived', { archived: false }]]);
    expect(back.lines).toEqual(['img: not archived']);
  });

  it('archive: tries every image and exits with the first failure’s code', async () => {
    const failing = world(new ApiError(404, 'image a not found'));
    expect(await editEach(['a', 'b'], archiveEdit(true), flags, failing.io)).toBe(1);
    expect(failing.calls).toHaveLength(2);
    expect(failing.errors).toHaveLength(2);
  });

  it('rotate: PUTs the absolute degrees and says the image is being analysed again, or was turned so already', async () => {
    const turning = world({ imageId: 'img', rotation: 90, status: 'REANALYSING' });
    await editCommand('img', rotateEdit(90), flags, turning.io);
    expect(turning.calls).toEqual([['PUT', '/images/img/rotation', { degrees: 90 }]]);
    expect(turning.lines).toEqual([expect.stringMatching(/^img: turned 90° clockwise; being analysed again/)]);
    const unchanged = world({ imageId: 'img', rotation: 0, status: 'UNCHANGED' });
    await editCommand('img', rotateEdit(0), flags, unchanged.io);
    expect(unchanged.lines).toEqual(['img: not turned already']);
  });

  it('rotate: the command line takes 0, 90, 180 or 270 and refuses anything else before calling the API', async () => {
    const fetched: string[] = [];
    const fetch = jest.spyOn(global, 'fetch').mockImplementation(async (url, init) => {
      fetched.push(`${init?.method} ${String(url)} ${String(init?.body)}`);
      return new Response(JSON.stringify({ imageId: 'img', rotation: 270, status: 'REANALYSING' }), { status: 202 });
    });
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['rotate', 'img', '270', '--api', flags.api])).toBe(0);
      expect(fetched).toEqual([`PUT ${flags.api}/images/img/rotation {"degrees":270}`]);
      for (const bad of ['45', '-90', '90.0', 'ninety']) {
        expect(await main(['rotate', 'img', bad, '--api', flags.api])).toBe(2);
      }
      expect(fetched).toHaveLength(1);
      expect(stderr.mock.calls.map(([text]) => String(text))).toContain(
        "error: degrees must be 0, 90, 180 or 270, not '45'\n",
      );
    } finally {
      fetch.mockRestore();
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });

  it("prints the API's refusal on one line and exits 1", async () => {
    const { errors, io } = world(new ApiError(409, 'image img is PENDING: it can be edited once it is PROCESSED'));
    expect(await editCommand('img', favouriteEdit(true), flags, io)).toBe(1);
    expect(errors).toEqual([expect.stringContaining('it can be edited once it is PROCESSED')]);
  });

  it('crop: PUTs the four fractions, or DELETEs for --reset, and says what it keeps', async () => {
    const part = { left: 0, top: 0, width: 0.5, height: 1 };
    const cutting = world({ imageId: 'img', crop: part, status: 'REANALYSING' });
    await editCommand('img', cropEdit(part), flags, cutting.io);
    expect(cutting.calls).toEqual([['PUT', '/images/img/crop', part]]);
    expect(cutting.lines).toEqual([
      'img: cropped to 50% x 100% at 0%, 0%; being analysed again: its thumbnails and renditions follow',
    ]);
    const whole = world({ imageId: 'img', crop: { left: 0, top: 0, width: 1, height: 1 }, status: 'UNCHANGED' });
    await editCommand('img', cropReset(), flags, whole.io);
    expect(whole.calls).toEqual([['DELETE', '/images/img/crop', undefined]]);
    expect(whole.lines).toEqual(['img: not cropped already']);
  });

  it('crop: the command line takes four numbers or --reset and refuses anything else before calling the API', async () => {
    const fetched: string[] = [];
    const fetch = jest.spyOn(global, 'fetch').mockImplementation(async (url, init) => {
      fetched.push(`${init?.method} ${String(url)} ${String(init?.body)}`);
      const crop = { left: 0.25, top: 0, width: 0.5, height: 1 };
      return new Response(JSON.stringify({ imageId: 'img', crop, status: 'REANALYSING' }), { status: 202 });
    });
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const api = ['--api', flags.api];
    try {
      const sides = ['--left', '.25', '--top', '0', '--width', '0.5', '--height', '1'];
      expect(await main(['crop', 'img', ...sides, ...api])).toBe(0);
      expect(await main(['crop', 'img', '--reset', ...api])).toBe(0);
      expect(fetched).toEqual([
        `PUT ${flags.api}/images/img/crop {"left":0.25,"top":0,"width":0.5,"height":1}`,
        `DELETE ${flags.api}/images/img/crop undefined`,
      ]);
      for (const bad of [
        ['--left', '0', '--top', '0', '--width', '0.5'],
        ['--left', 'half', '--top', '0', '--width', '0.5', '--height', '1'],
        ['--reset', '--left', '0'],
        [],
      ]) {
        expect(await main(['crop', 'img', ...bad, ...api])).toBe(2);
      }
      expect(fetched).toHaveLength(2);
      expect(stderr.mock.calls.map(([text]) => String(text))).toContain(
        "error: --left must be a number from 0 to 1, not 'half'\n",
      );
    } finally {
      fetch.mockRestore();
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });
});
