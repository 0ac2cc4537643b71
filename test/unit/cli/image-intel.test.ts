import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { AnalysisRecordSchema } from '../../../lambdas/core';
import { fixturePath } from '../../fixtures';
import { writeTinyClassifier } from '../../support/tiny-classifier';

const BIN = join(__dirname, '../../../bin/image-intel.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  records: Record<string, unknown>[];
}

/** Preloaded into the CLI: reports on stderr whether ONNX Runtime was ever loaded. */
const TRACE_ONNX = join(__dirname, 'trace-onnx.js');

/** Runs the installed command the way a user does (built by `npm ci`), stdout and stderr not TTYs. */
function run(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', TRACE_ONNX, BIN, ...args],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? Number(error.code ?? 1) : 0;
        const lines = stdout.split('\n').filter((line) => line.startsWith('{"'));
        resolve({ code, stdout, stderr, records: lines.map((line) => JSON.parse(line)) });
      },
    );
  });
}

describe('image-intel analyze', () => {
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
    for (const { file: _file, ...record } of records)
      expect(AnalysisRecordSchema.parse(record).status).toBe('PROCESSED');
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
    expect(records[4]).toMatchObject({ error: { code: 'READ_FAILED', message: 'no such file' } });
    expect(stderr).toContain('4 of 5 files were not processed');
  });

  it('rejects every file in the bad-input set without crashing', async () => {
    const { code, records } = await run('analyze', fixturePath('bad'));
    expect(code).toBe(1);
    expect(records).toHaveLength(6);
    expect(new Set(records.map((r) => r.status))).toEqual(new Set(['REJECTED']));
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
      const thumbnails = records[0]?.thumbnails as { path: string }[];
      expect(thumbnails.map((t) => t.path.split('/').pop()).sort()).toEqual(written);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('indents records with --pretty', async () => {
    const { stdout, code } = await run('analyze', '--pretty', fixturePath('photos/kite.jpg'));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'PROCESSED' });
    expect(stdout.split('\n').length).toBeGreaterThan(20);
  });

  it('applies --max-pixels', async () => {
    const { code, records } = await run('analyze', '--max-pixels', '1000000', fixturePath('photos/kite.jpg'));
    expect(code).toBe(1);
    expect(records[0]).toMatchObject({ status: 'REJECTED', rejection: { code: 'PIXEL_LIMIT_EXCEEDED' } });
  });

  it('adds faces, text and derived labels with --inference onnx', async () => {
    const { code, records, stderr } = await run(
      'analyze',
      '--inference',
      'onnx',
      fixturePath('vision/person-astronaut.jpg'),
      fixturePath('vision/text-page.png'),
    );
    expect(code).toBe(0);
    expect(stderr).toContain('onnxruntime loaded');
    expect(records[0]).toMatchObject({
      status: 'PROCESSED',
      faces: [expect.anything()],
      inference: { provider: 'onnx' },
    });
    const [astronaut, page] = records as [{ labels: { name: string }[] }, { text: { fullText: string } }];
    expect(astronaut.labels.map((l) => l.name)).toContain('Person');
    expect(page.text.fullText).toContain('Region-based segmentation');
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
        'onnx',
        '--classifier',
        join(dir, 'classifier.json'),
        red,
      );
      expect(code).toBe(0);
      expect(records[0]?.labels).toContainEqual(expect.objectContaining({ name: 'red', source: 'classifier' }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses --classifier without --inference onnx', async () => {
    const { code, stderr } = await run('analyze', '--classifier', 'x.json', fixturePath('photos/kite.jpg'));
    expect(code).toBe(2);
    expect(stderr).toContain('--classifier needs --inference onnx');
  });

  it('loads no model without --inference', async () => {
    const { code, records, stderr } = await run('analyze', fixturePath('vision/person-astronaut.jpg'));
    expect(code).toBe(0);
    expect(stderr).not.toContain('onnxruntime loaded');
    expect(records[0]).not.toHaveProperty('faces');
  });

  it('prints usage and exits 0 for --help', async () => {
    const { code, stdout } = await run('analyze', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: image-intel analyze');
    expect(stdout).toContain('--thumbnails <dir>');
  });

  it.each([
    [['analyze'], 'missing required argument'],
    [['analyze', '--bogus', 'x.jpg'], "unknown option '--bogus'"],
    [['analyze', '--concurrency', 'zero', 'x.jpg'], 'must be a positive integer'],
    [['frobnicate'], 'unknown command'],
    [['analyze', '--inference', 'magic', 'x.jpg'], 'Allowed choices are onnx, none'],
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
