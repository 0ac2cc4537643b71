import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { gpsExifTags } from '../../../lambdas/core/analysis/exif';
import { AnalysisRecordSchema } from '../../../lambdas/core/record';
import { VisionSchema } from '../../../lambdas/core/vision-schema';
import { fixturePath } from '../../fixtures';
import { writeTinyClassifier } from '../../support/tiny-classifier';
import { type Run, run } from './run-cli';

describe('image-intel analyze', () => {
  /*
   * The models' run with --faces, which two cases read (what offline vision adds, and what --faces counts): a run
   * loads every model, several CPU seconds, and --faces adds to the records without changing their vision. Started
   * by the first case that reads it.
   */
  let offline: Promise<Run> | undefined;
  const offlineWithFaces = (): Promise<Run> => {
    offline ??= run(
      'analyze',
      '--inference',
      'offline',
      '--faces',
      fixturePath('vision/person-astronaut.jpg'),
      fixturePath('vision/text-page.png'),
      fixturePath('photos/kite.jpg'),
    );
    return offline;
  };

  it('prints one valid record per photo in a folder, in order, and exits 0 with nothing on stderr', async () => {
    const { code, records, stderr } = await run('analyze', fixturePath('photos'));
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(records.map((r) => String(r.file).split('/').pop())).toEqual([
      'boats.jpg',
      'cups.jpg',
      'forest.jpg',
      'kite.jpg',
      'leaf.jpg',
      'pier.jpg',
    ]);
    for (const record of records) {
      expect(Object.keys(record)).toEqual(['file', 'status', 'analysis', 'provenance']);
      expect(record.status).toBe('PROCESSED');
      // Plain photos: nothing says where they come from (analyze-provenance.test.ts has the other kinds).
      expect(record.provenance).toEqual({ summary: 'unknown', basis: 'none' });
      expect(AnalysisRecordSchema.parse(record.analysis).status).toBe('PROCESSED');
    }
  });

  it('keeps input order with concurrency and gives every bad file its own record, exiting 1', async () => {
    const files = ['bad/empty.jpg', 'photos/kite.jpg', 'bad/truncated.jpg', 'bad/bomb-20000.png', 'missing.jpg'];
    const { code, records, stderr } = await run('analyze', '--concurrency', '3', ...files.map(fixturePath));
    expect(code).toBe(1);
    expect(records.map((r) => [String(r.file).replace(`${fixturePath('')}/`, ''), r.status])).toEqual([
      ['bad/empty.jpg', 'REJECTED'],
      ['photos/kite.jpg', 'PROCESSED'],
      ['bad/truncated.jpg', 'REJECTED'],
      ['bad/bomb-20000.png', 'REJECTED'],
      ['missing.jpg', 'FAILED'],
    ]);
    // Nothing was read, so there is no analysis: only the error, as the API records a failure.
    expect(records[4]).toEqual({
      file: fixturePath('missing.jpg'),
      status: 'FAILED',
      error: { code: 'READ_FAILED', message: 'no such file' },
    });
    expect(stderr).toBe(
      "image-intel: 5 files: 1 processed, 3 rejected (see each record's rejection), " +
        "1 could not be read (see each record's error)\n",
    );
  });

  it('rejects every file in the bad-input set without crashing, and says so in one line', async () => {
    const { code, records, stderr } = await run('analyze', fixturePath('bad'));
    expect(code).toBe(1);
    expect(records).toHaveLength(8);
    expect(new Set(records.map((r) => r.status))).toEqual(new Set(['REJECTED']));
    expect(stderr).toBe("image-intel: 8 files: 0 processed, 8 rejected (see each record's rejection)\n");
  });

  it('nests a rejected file as the API does: the core record under analysis, its rejection beside the status', async () => {
    const { records } = await run('analyze', fixturePath('bad/empty.jpg'));
    const [record] = records as [{ analysis: unknown; rejection: unknown }];
    expect(Object.keys(record)).toEqual(['file', 'status', 'analysis', 'rejection']);
    expect(record.rejection).toEqual({ code: 'EMPTY_FILE', message: 'the file is empty (0 bytes)' });
    expect(AnalysisRecordSchema.parse(record.analysis)).toMatchObject({
      status: 'REJECTED',
      rejection: record.rejection,
    });
  });

  it('writes thumbnails when asked and names them in the record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'image-intel-'));
    try {
      const { code, records } = await run(
        'analyze',
        '--thumbnails',
        dir,
        '--sizes',
        '64,256',
        fixturePath('photos/pier.jpg'),
      );
      expect(code).toBe(0);
      const written = (await readdir(dir)).sort();
      expect(written).toHaveLength(2);
      expect(written.every((name) => /^pier-[0-9a-f]{8}-(64|256)\.webp$/.test(name))).toBe(true);
      // Like the API's size-to-key map, with the written files; their dimensions stay in the analysis.
      const record = records[0] as { thumbnails: Record<string, string>; analysis: { thumbnails: unknown[] } };
      expect(record.thumbnails).toEqual({
        64: join(dir, written.find((name) => name.endsWith('-64.webp')) as string),
        256: join(dir, written.find((name) => name.endsWith('-256.webp')) as string),
      });
      expect(record.analysis.thumbnails).toEqual([
        expect.objectContaining({ size: 256, format: 'webp' }),
        expect.objectContaining({ size: 64, format: 'webp' }),
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('where a photo was taken', () => {
    let dir: string;
    /** Photos whose EXIF GPS says where they were taken, written as a camera writes it (gpsExifTags). */
    const photo = async (name: string, latitude: number, longitude: number) => {
      const file = join(dir, name);
      await sharp(fixturePath('photos/kite.jpg'))
        .resize(64)
        .withExif({ IFD3: gpsExifTags({ latitude, longitude }) })
        .toFile(file);
      return file;
    };
    let geneva: string;
    let atSea: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'image-intel-gps-'));
      geneva = await photo('geneva.jpg', 46.2044, 6.1432);
      // Mid-Atlantic: a position the places data names nothing at.
      atSea = await photo('at-sea.jpg', 40, -40);
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('names the place of a photo with GPS as the pipeline does, and leaves the coordinates out', async () => {
      const { code, records } = await run('analyze', geneva, fixturePath('formats/exif-gps.jpg'), atSea);
      expect(code).toBe(0);
      const [inGeneva, inParis, unnamed] = records as [{ place?: unknown }, { place?: unknown }, object];
      expect(Object.keys(inGeneva)).toEqual(['file', 'status', 'analysis', 'place', 'provenance']);
      expect(inGeneva.place).toEqual({
        country: expect.objectContaining({ code: 'CH' }),
        region: expect.objectContaining({ code: 'CH-GE' }),
        locality: expect.objectContaining({ code: '2660646' }),
        source: 'gps',
        data: expect.stringMatching(/\S/),
      });
      expect(inParis.place).toMatchObject({ country: { code: 'FR' }, locality: { code: '2988507' }, source: 'gps' });
      expect(Object.keys(unnamed)).toEqual(['file', 'status', 'analysis', 'provenance']);
      // The coordinates are personal data: in the record only with --gps.
      for (const record of records) expect(JSON.stringify(record)).not.toMatch(/latitude|"position"/);
    });

    it('adds the coordinates as the API does with --gps, and no place with --no-place', async () => {
      const withGps = await run('analyze', '--gps', geneva, atSea);
      expect(withGps.records[0]).toMatchObject({
        position: { latitude: 46.2044, longitude: 6.1432 },
        analysis: { metadata: { exif: { gps: { latitude: 46.2044, longitude: 6.1432 } } } },
        place: { country: { code: 'CH' } },
      });
      expect(withGps.records[1]).toMatchObject({ position: { latitude: 40, longitude: -40 } });
      expect(withGps.records[1]).not.toHaveProperty('place');

      const noPlace = await run('analyze', '--no-place', geneva);
      expect(Object.keys(noPlace.records[0] as object)).toEqual(['file', 'status', 'analysis', 'provenance']);
    });
  });

  it('stops quietly when the reader closes the pipe early, as head does', async () => {
    const child = spawn(
      process.execPath,
      [join(__dirname, '../../../bin/image-intel.js'), 'analyze', fixturePath('photos')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('indents records with --pretty', async () => {
    const { stdout, code } = await run('analyze', '--pretty', fixturePath('photos/kite.jpg'));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'PROCESSED', analysis: { status: 'PROCESSED' } });
    expect(stdout.split('\n').length).toBeGreaterThan(20);
  });

  it('applies --max-pixels', async () => {
    const { code, records, stderr } = await run('analyze', '--max-pixels', '1000000', fixturePath('photos/kite.jpg'));
    expect(code).toBe(1);
    expect(records[0]).toMatchObject({
      status: 'REJECTED',
      rejection: { code: 'PIXEL_LIMIT_EXCEEDED' },
      analysis: { status: 'REJECTED', rejection: { code: 'PIXEL_LIMIT_EXCEEDED' } },
    });
    expect(stderr).toBe("image-intel: 1 file: 0 processed, 1 rejected (see each record's rejection)\n");
  });

  it('adds faces, text and derived labels under vision with --inference offline', async () => {
    const { code, records, stderr } = await offlineWithFaces();
    expect(code).toBe(0);
    expect(stderr).toBe('onnxruntime loaded\n');
    // faceCounts is --faces' (a record without it: the --classifier case below).
    expect(Object.keys(records[0] ?? {})).toEqual(['file', 'status', 'analysis', 'provenance', 'vision', 'faceCounts']);
    const [astronaut, page] = records.map((record) => VisionSchema.parse(record.vision));
    expect(astronaut).toMatchObject({ faces: [expect.anything()], inference: { provider: 'onnx' } });
    expect(astronaut?.labels.map((l) => l.name)).toContain('Person');
    expect(page?.text.fullText).toContain('Region-based segmentation');
  });

  it('still takes --inference onnx, the old name of offline, with a one-line note on stderr', async () => {
    const { code, records, stderr } = await run('analyze', '--inference', 'onnx', fixturePath('vision/text-page.png'));
    expect(code).toBe(0);
    expect(stderr).toBe('image-intel: --inference onnx is deprecated, use --inference offline\nonnxruntime loaded\n');
    expect(VisionSchema.parse(records[0]?.vision).text.fullText).toContain('Region-based segmentation');
  });

  it('keeps an image PROCESSED with a visionError when inference fails, as the API does, and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'image-intel-classifier-'));
    try {
      const { modelPath } = await writeTinyClassifier(dir, 'NCHW');
      // Two labels for a model with three outputs: the classifier refuses to guess.
      await writeFile(join(dir, 'two-labels.txt'), 'red\ngreen\n');
      await writeFile(
        join(dir, 'classifier.json'),
        JSON.stringify({ modelPath: basename(modelPath), labelsPath: 'two-labels.txt', inputSize: [8, 8] }),
      );
      const { code, records, stderr } = await run(
        'analyze',
        '--inference',
        'offline',
        '--classifier',
        join(dir, 'classifier.json'),
        fixturePath('photos/kite.jpg'),
      );
      expect(code).toBe(1);
      expect(records[0]).toEqual({
        file: fixturePath('photos/kite.jpg'),
        status: 'PROCESSED',
        analysis: expect.objectContaining({ status: 'PROCESSED' }),
        provenance: { summary: 'unknown', basis: 'none' },
        visionError: { code: 'Error', message: expect.stringContaining('3 classes but') },
      });
      expect(stderr).toContain("image-intel: 1 file: 1 processed (1 without vision: see each record's visionError)\n");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('adds your own classifier’s labels with --classifier', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'image-intel-classifier-'));
    try {
      const { modelPath } = await writeTinyClassifier(dir, 'NCHW');
      await writeFile(
        join(dir, 'classifier.json'),
        JSON.stringify({ modelPath: basename(modelPath), labelsPath: 'tiny-labels.txt', inputSize: [8, 8] }),
      );
      const red = join(dir, 'red.png');
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#e01010' } })
        .png()
        .toFile(red);
      const { code, records } = await run(
        'analyze',
        '--inference',
        'offline',
        '--classifier',
        join(dir, 'classifier.json'),
        red,
      );
      expect(code).toBe(0);
      expect(Object.keys(records[0] ?? {})).toEqual(['file', 'status', 'analysis', 'provenance', 'vision']);
      expect(VisionSchema.parse(records[0]?.vision).labels).toContainEqual(
        expect.objectContaining({ name: 'red', source: 'classifier' }),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('counts the faces --faces describes, and prints no descriptor', async () => {
    const { code, records, stdout } = await offlineWithFaces();
    expect(code).toBe(0);
    expect(records.map((record) => record.faceCounts)).toEqual([
      { described: 1, tooSmall: 0, overCap: 0 },
      { described: 0, tooSmall: 0, overCap: 0 },
      { described: 0, tooSmall: 0, overCap: 0 },
    ]);
    expect(stdout).not.toContain('descriptor');
    expect(records[0]).not.toHaveProperty('vision.faceDescriptions');
  });

  it('refuses --faces without --inference offline', async () => {
    const { code, stderr } = await run('analyze', '--faces', fixturePath('photos/kite.jpg'));
    expect(code).toBe(2);
    expect(stderr).toContain('--faces needs --inference offline');
  });

  it('refuses --classifier without --inference offline', async () => {
    const { code, stderr } = await run('analyze', '--classifier', 'x.json', fixturePath('photos/kite.jpg'));
    expect(code).toBe(2);
    expect(stderr).toContain('--classifier needs --inference offline');
  });

  it('loads no model without --inference', async () => {
    const { code, records, stderr } = await run('analyze', fixturePath('vision/person-astronaut.jpg'));
    expect(code).toBe(0);
    expect(stderr).not.toContain('onnxruntime loaded');
    expect(records[0]).not.toHaveProperty('vision');
  });

  it("lists every command on a line of its own in the top-level --help, and says where each one's exit codes are", async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    const listed = stdout.slice(stdout.indexOf('Commands:')).split('\n').slice(1);
    for (const command of [
      'analyze',
      'render',
      'upload',
      'search',
      'show',
      'similar',
      'smoke',
      'backfill',
      'token',
      'people',
      'webhooks',
      'albums',
      'share',
      'favourite',
      'archive',
    ]) {
      const line = listed.find((text) => text.trimStart().startsWith(`${command} `));
      // Its summary fits on its line: the next line starts another command (or ends the list).
      const next = listed[listed.indexOf(line as string) + 1] ?? '';
      expect({ command, summary: line?.replace(/^\s*\S+( \[options\])?( \S+)?\s+/, '') }).toEqual({
        command,
        summary: expect.stringMatching(/\w{3}/),
      });
      expect({ command, next }).toEqual({ command, next: expect.stringMatching(/^( {2}\w|$)/) });
    }
    // Not analyze's exit codes as if they were every command's.
    expect(stdout).not.toContain('every file was processed');
    expect(stdout).toContain('image-intel <command> --help');
  });

  it('prints usage, the record shape and the exit codes, and exits 0 for --help', async () => {
    const { code, stdout } = await run('analyze', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: image-intel analyze');
    expect(stdout).toContain('--thumbnails <dir>');
    expect(stdout).toContain('{ file, status, analysis, position?, place?, provenance?, vision?');
    expect(stdout).toContain('--no-place');
    expect(stdout).toMatch(/Exit codes:\n {2}0 {2}every file was processed.*\n {2}1 {2}some file was rejected/);
  });

  it.each([
    [['analyze'], 'missing required argument'],
    [['analyze', '--bogus', 'x.jpg'], "unknown option '--bogus'"],
    [['analyze', '--concurrency', 'zero', 'x.jpg'], 'must be a positive integer'],
    [['frobnicate'], 'unknown command'],
    [['analyze', '--inference', 'magic', 'x.jpg'], 'Allowed choices are offline, none'],
  ])('exits 2 with a message for the usage error %j', async (args, message) => {
    const { code, stderr, records } = await run(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(records).toEqual([]);
  });

  it('exits 2 when the folders hold no files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'image-intel-empty-'));
    try {
      const { code, stderr } = await run('analyze', dir);
      expect(code).toBe(2);
      expect(stderr).toContain('no files found');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
